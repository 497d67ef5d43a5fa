// The one module that imports fflate (CONVENTIONS 7: one adapter per outside runtime). Only its
// synchronous API is used: fflate's async API starts blob: workers, which the CSP forbids.
import { unzipSync } from 'fflate';
import { WorkbenchError } from '../../../lib/errors';
import { isImageName } from './imageFiles';
import type { InputFile } from './imageStore';

/** Most bytes a zip may expand to (its images are held in memory while they are decoded). */
export const MAX_UNZIPPED_BYTES = 2 * 2 ** 30;

/** True when bytes start with a zip signature (a local file header, or an empty archive's end record). */
export function isZip(head: Uint8Array): boolean {
  return (
    head[0] === 0x50 &&
    head[1] === 0x4b &&
    (head[2] === 3 || head[2] === 5) &&
    (head[3] === 4 || head[3] === 6)
  );
}

/** A path inside a zip that holds no data for us: folders, macOS resource forks, hidden files. */
function skipped(path: string): boolean {
  return path.endsWith('/') || path.startsWith('__MACOSX/') || path.split('/').some((p) => p.startsWith('.'));
}

/**
 * The images in a zip archive, as files with their paths inside it ('cat/1.png'); other entries are
 * skipped. A file that is not a zip, or a damaged one, is a PARSE_ERROR naming it.
 */
export async function unzipImages(zip: InputFile): Promise<InputFile[]> {
  const bytes = new Uint8Array(await zip.blob.arrayBuffer());
  if (!isZip(bytes)) throw new WorkbenchError('PARSE_ERROR', `${zip.name} is not a zip archive`);
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f) => {
        if (skipped(f.name) || !isImageName(f.name)) return false;
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) {
          throw new WorkbenchError('INVALID_INPUT', `${zip.name} expands to more than 2 GiB; split it`);
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof WorkbenchError) throw e;
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${zip.name} is not a valid zip archive (${(e as Error).message}); nothing was stored`,
    );
  }
  return Object.entries(entries).map(([path, data]) => ({
    name: path.split('/').pop() ?? path,
    path,
    blob: new Blob([data as Uint8Array<ArrayBuffer>]),
  }));
}
