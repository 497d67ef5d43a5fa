import type { ColumnChunk, ColumnMeta, DatasetMeta } from '../data/dataset';
import type { DatasetSink } from '../data/ingest/ingest';
import { writeSnapshot } from '../data/ingest/snapshot';
import type { FittedRecipe } from './fitted';
import { present, type LoadedColumn } from './load';

/** Bytes one stored chunk of a recipe's output aims at (float images are 4× their bytes). */
const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Writes a recipe's output as a new immutable snapshot: lineage (parent id + fitted recipe), split sizes, the
 * target kept when it survived the recipe. All or nothing, like every snapshot.
 */
export async function saveRecipeOutput(
  sink: DatasetSink,
  source: DatasetMeta,
  columns: readonly LoadedColumn[],
  fitted: FittedRecipe,
  id: string,
  name: string,
  now = Date.now(),
): Promise<DatasetMeta> {
  const rows = columns[0] === undefined ? 0 : rowCount(columns[0], source.rows);
  const rowBytes = columns.reduce((n, c) => n + bytesPerRow(c, rows), 0);
  const chunkRows = Math.max(32, Math.min(source.chunkRows, Math.floor(CHUNK_BYTES / Math.max(1, rowBytes))));
  const metas: ColumnMeta[] = columns.map((c) => c.meta);
  const base: DatasetMeta = {
    id,
    name,
    rows,
    columns: metas,
    target: metas.some((c) => c.name === source.target) ? source.target : null,
    chunkRows,
    chunkCount: 0,
    bytes: 0,
    createdAt: now,
    contentHash: '',
    source: source.source,
    parent: { datasetId: source.id, recipe: fitted },
    ...(fitted.split
      ? { split: { train: fitted.split.train, validation: fitted.split.validation, test: fitted.split.test } }
      : {}),
    stats: null,
    status: 'importing',
  };
  return writeSnapshot(sink, base, async (put) => {
    for (let index = 0, start = 0; start < rows; index++, start += chunkRows) {
      const end = Math.min(rows, start + chunkRows);
      await put(columns.map((c, column) => chunkOf(c, id, column, index, start, end, rows)));
    }
  });
}

function rowCount(c: LoadedColumn, fallback: number): number {
  return Array.isArray(c.data) ? c.data.length : fallback;
}

function bytesPerRow(c: LoadedColumn, rows: number): number {
  if (Array.isArray(c.data)) return 16;
  return rows === 0 ? 0 : c.data.byteLength / rows;
}

function chunkOf(
  c: LoadedColumn,
  datasetId: string,
  column: number,
  index: number,
  start: number,
  end: number,
  rows: number,
): ColumnChunk {
  const n = end - start;
  const validity = new Uint32Array(Math.ceil(n / 32));
  for (let r = 0; r < n; r++) if (present(c.validity, start + r)) validity[r >>> 5]! |= 1 << (r & 31);
  let data: ColumnChunk['data'];
  if (Array.isArray(c.data)) data = c.data.slice(start, end);
  else {
    const width = rows === 0 ? 0 : c.data.length / rows;
    data = c.data.slice(start * width, end * width);
  }
  return { datasetId, column, index, rows: n, data, validity };
}
