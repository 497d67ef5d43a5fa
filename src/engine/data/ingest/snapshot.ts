import { toWorkbenchError } from '../../../lib/errors';
import type { ColumnChunk, DatasetMeta } from '../dataset';
import { chunkBytes, chunkDigest, combineDigests } from './hash';
import type { DatasetSink } from './ingest';

/** Stores one block of chunks (every column of one chunk index) of the snapshot being written. */
export type PutChunks = (chunks: ColumnChunk[]) => Promise<void>;

/**
 * Writes a dataset snapshot all or nothing: the record goes in as 'importing', `write` stores its chunks
 * through `put` (hashed and counted here), and the record is committed 'ready' with its content hash.
 * On any failure or cancel everything written is removed, so no half-written dataset is ever listed.
 */
export async function writeSnapshot(
  sink: DatasetSink,
  base: DatasetMeta,
  write: (put: PutChunks) => Promise<void>,
): Promise<DatasetMeta> {
  let begun = false;
  try {
    await sink.beginImport({ ...base, status: 'importing' });
    begun = true;
    const digests: string[][] = base.columns.map(() => []);
    let bytes = 0;
    let chunkCount = 0;
    await write(async (chunks) => {
      await sink.putChunks(chunks);
      for (const c of chunks) {
        digests[c.column]!.push(await chunkDigest(c));
        bytes += chunkBytes(c);
        chunkCount = Math.max(chunkCount, c.index + 1);
      }
    });
    const meta: DatasetMeta = {
      ...base,
      chunkCount,
      bytes,
      contentHash: await combineDigests(digests.flat()),
      status: 'ready',
    };
    await sink.commitImport(meta);
    return meta;
  } catch (e) {
    if (begun) await sink.abortImport(base.id).catch(() => undefined);
    throw toWorkbenchError(e);
  }
}
