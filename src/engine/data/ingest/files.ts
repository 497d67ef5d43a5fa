import { WorkbenchError } from '../../../lib/errors';
import type { DatasetMeta } from '../dataset';
import { ingestAudio } from './audioFiles';
import { ingestIdx, isGzip, isIdx } from './idx';
import { ingestImages, isImageName, type ImageDecoder } from './imageFiles';
import { checkCancelled, type InputFile, type MultiIngestOptions } from './imageStore';
import type { DatasetSink } from './ingest';
import { isWav, isWavName } from './wav';
import { isZip, unzipImages } from './zip';

/** How a set of chosen files is imported: as one text file, an IDX pair, or one image dataset. */
export type FilePlan =
  | { readonly kind: 'text'; readonly file: InputFile }
  | { readonly kind: 'idx'; readonly files: readonly InputFile[] }
  | { readonly kind: 'images'; readonly images: readonly InputFile[]; readonly zips: readonly InputFile[] }
  | { readonly kind: 'audio'; readonly files: readonly InputFile[] };

/** The first bytes of a file, gunzipped if it is gzip (only the first decompressed block is read). */
async function head(blob: Blob): Promise<Uint8Array> {
  const raw = new Uint8Array(await blob.slice(0, 16).arrayBuffer());
  if (!isGzip(raw)) return raw;
  const reader = blob.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    return (await reader.read()).value ?? new Uint8Array();
  } catch {
    return raw; // not really gzip: ingestIdx reports it
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/**
 * Sorts chosen files into one import. Images (by extension) and zips make one image dataset, and other
 * files beside them are skipped (a README in a folder); IDX files (raw or gzipped, found by their magic
 * number) make one IDX dataset; WAV files (by extension or RIFF/WAVE header) make one audio dataset (other
 * files beside them are skipped, as for images); a single other file goes to the text import.
 */
export async function planFiles(files: readonly InputFile[]): Promise<FilePlan> {
  if (files.length === 0) throw new WorkbenchError('INVALID_INPUT', 'No files were chosen');
  const images: InputFile[] = [];
  const zips: InputFile[] = [];
  const idx: InputFile[] = [];
  const other: InputFile[] = [];
  const wavs: InputFile[] = [];
  for (const f of files) {
    if (isWavName(f.path)) {
      wavs.push(f);
      continue;
    }
    if (isImageName(f.path)) {
      images.push(f);
      continue;
    }
    if (/\.zip$/i.test(f.name)) {
      zips.push(f);
      continue;
    }
    const h = await head(f.blob);
    if (isZip(h)) zips.push(f);
    else if (isWav(h)) wavs.push(f);
    else if (isIdx(h) || /\.(idx\d?|ubyte)(\.gz)?$|-ubyte\.gz$/i.test(f.name)) idx.push(f);
    else other.push(f);
  }
  if (wavs.length > 0) {
    if (images.length > 0 || zips.length > 0 || idx.length > 0) {
      const first = [...images, ...zips, ...idx][0]!;
      throw new WorkbenchError(
        'INVALID_INPUT',
        `${first.name} cannot be imported together with WAV audio; import audio and images separately`,
      );
    }
    return { kind: 'audio', files: wavs };
  }
  if (images.length > 0 || zips.length > 0) {
    if (idx.length > 0) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `IDX files (${idx[0]!.name}) cannot be imported together with images; import them on their own`,
      );
    }
    return { kind: 'images', images, zips };
  }
  if (idx.length > 0 && other.length === 0) return { kind: 'idx', files: idx };
  if (files.length === 1 && other.length === 1) return { kind: 'text', file: other[0]! };
  const names = [...idx, ...other].map((f) => f.name).join(', ');
  throw new WorkbenchError(
    'INVALID_INPUT',
    `These files do not make one dataset: ${names}. Choose images (or zips of them), an IDX images file with its labels file, or one CSV/JSON file at a time.`,
  );
}

/** The dataset and source names of an image import: the zip's name, or the folder the files share. */
function imageNames(
  images: readonly InputFile[],
  zips: readonly InputFile[],
  fallback = 'images',
): { dataset: string; source: string } {
  if (zips.length > 0 && images.length === 0) {
    return { dataset: zips[0]!.name.replace(/\.zip$/i, ''), source: zips.map((z) => z.name).join(' + ') };
  }
  const roots = new Set(images.map((f) => (f.path.includes('/') ? f.path.split('/')[0]! : '')));
  const root = roots.size === 1 ? [...roots][0]! : '';
  const count = `${images.length + zips.length} files`;
  return root === ''
    ? { dataset: fallback, source: count }
    : { dataset: root, source: `${root}/ (${count})` };
}

/** Imports a planned IDX, image or audio set as one dataset (see planFiles, ingestIdx, ingestImages, ingestAudio). */
export async function ingestPlanned(
  plan: Exclude<FilePlan, { kind: 'text' }>,
  decoder: ImageDecoder,
  sink: DatasetSink,
  opts: MultiIngestOptions,
): Promise<DatasetMeta> {
  if (plan.kind === 'idx') return ingestIdx(plan.files, sink, opts);
  if (plan.kind === 'audio') {
    const single = plan.files.length === 1 ? plan.files[0]!.name.replace(/\.wave?$/i, '') : 'audio';
    return ingestAudio(imageNames(plan.files, [], single), plan.files, sink, opts);
  }
  const all = [...plan.images];
  for (const z of plan.zips) {
    checkCancelled(opts.signal);
    all.push(...(await unzipImages(z)));
  }
  return ingestImages(imageNames(plan.images, plan.zips), all, decoder, sink, opts);
}
