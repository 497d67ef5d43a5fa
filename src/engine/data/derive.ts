import type { DatasetRepo } from '../../db/datasets.repo';
import { WorkbenchError } from '../../lib/errors';
import type { ColumnChunk, DatasetMeta } from './dataset';
import { writeSnapshot } from './ingest/snapshot';
import { isRetypeTarget, retypeColumn } from './retype';

/** The recipe step recorded in a retyped snapshot's lineage. */
export interface RetypeStep {
  readonly op: 'retype';
  readonly column: string;
  readonly to: string;
}

/**
 * Datasets are immutable: changing a column's type writes a new snapshot whose parent is the original
 * and whose recipe names the change. Other columns are copied chunk by chunk, all or nothing.
 */
export async function deriveRetyped(
  repo: DatasetRepo,
  source: DatasetMeta,
  column: string,
  to: string,
  id: string,
  now = Date.now(),
): Promise<DatasetMeta> {
  const c = source.columns.findIndex((x) => x.name === column);
  if (c < 0) throw new WorkbenchError('INVALID_INPUT', `No column ${column}`);
  if (!isRetypeTarget(to)) throw new WorkbenchError('INVALID_INPUT', `Unknown type ${to}`);
  const converted = retypeColumn(source.columns[c]!, await repo.readColumn(source.id, c), to);
  const step: RetypeStep = { op: 'retype', column, to };
  const base: DatasetMeta = {
    ...source,
    id,
    columns: source.columns.map((x, i) => (i === c ? converted.meta : x)),
    createdAt: now,
    contentHash: '',
    bytes: 0,
    parent: { datasetId: source.id, recipe: [step] },
    stats: null,
    status: 'importing',
  };
  return writeSnapshot(repo, base, async (put) => {
    for (let index = 0; index < source.chunkCount; index++) {
      const chunks: ColumnChunk[] = [];
      for (let k = 0; k < source.columns.length; k++) {
        const from = k === c ? converted.chunks[index] : await repo.readChunk(source.id, k, index);
        if (from === undefined)
          throw new WorkbenchError('INTERNAL', `${source.name} is missing chunk ${k}/${index}`);
        chunks.push({ ...from, datasetId: id });
      }
      await put(chunks);
    }
  });
}
