import { WorkbenchError } from '../../lib/errors';
import type { ChunkData, ColumnChunk, ColumnMeta, DatasetMeta } from '../data/dataset';
import { wordsPerColumn } from '../data/table';
import type { WorkTable } from './program';
import type { Recipe } from './recipe';
import type { SplitPlan } from './split';
import { isNumericType } from './validate';

/** One whole column in source row order. */
export interface LoadedColumn {
  readonly meta: ColumnMeta;
  readonly data: ChunkData;
  /** Bit r%32 of word r/32 set = row r present. */
  readonly validity: Uint32Array;
}

/** A dataset read whole for a recipe. */
export interface LoadedDataset {
  readonly meta: DatasetMeta;
  readonly columns: readonly LoadedColumn[];
}

/** Reads every column of a dataset, chunks joined. */
export async function loadDataset(
  meta: DatasetMeta,
  readColumn: (column: number) => Promise<ColumnChunk[]>,
): Promise<LoadedDataset> {
  const columns: LoadedColumn[] = [];
  for (const [c, col] of meta.columns.entries()) {
    columns.push(joinChunks(col, meta.rows, await readColumn(c)));
  }
  return { meta, columns };
}

/** Joins a column's chunks (any chunk size) into one array and one validity mask. */
export function joinChunks(col: ColumnMeta, rows: number, chunks: readonly ColumnChunk[]): LoadedColumn {
  const validity = new Uint32Array(wordsPerColumn(rows));
  const total = chunks.reduce((n, c) => n + c.rows, 0);
  if (total !== rows)
    throw new WorkbenchError('INTERNAL', `${col.name}: ${total} stored rows, expected ${rows}`);
  let row = 0;
  for (const c of chunks) {
    for (let r = 0; r < c.rows; r++, row++) {
      if ((((c.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 1) validity[row >>> 5]! |= 1 << (row & 31);
    }
  }
  const first = chunks[0]?.data;
  let data: ChunkData;
  if (first === undefined || Array.isArray(first)) {
    data = chunks.flatMap((c) => c.data as string[]);
  } else {
    const Ctor = first.constructor as new (n: number) => Exclude<ChunkData, string[]>;
    const width =
      rows === 0 ? 0 : chunks.reduce((n, c) => n + (c.data as ArrayLike<number>).length, 0) / rows;
    const out = new Ctor(rows * width);
    let at = 0;
    for (const c of chunks) {
      const part = c.data as Exclude<ChunkData, string[]>;
      (out as Float64Array).set(part, at);
      at += part.length;
    }
    data = out;
  }
  return { meta: col, data, validity };
}

/** Whether row r is present. */
export function present(validity: Uint32Array, r: number): boolean {
  return (((validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 1;
}

/** How many of rows [0, rows) are present. */
export function countPresent(validity: Uint32Array, rows: number): number {
  let n = 0;
  for (let r = 0; r < rows; r++) if (present(validity, r)) n++;
  return n;
}

/** Source dictionaries with each constant-impute category appended when it is new. */
export function extendedDictionaries(columns: readonly ColumnMeta[], recipe: Recipe): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of columns) if (c.type === 'categorical') out.set(c.name, [...(c.dictionary ?? [])]);
  for (const s of recipe.steps) {
    if (s.kind !== 'impute' || s.strategy !== 'constant' || typeof s.value !== 'string') continue;
    for (const name of s.columns) {
      const d = out.get(name);
      if (d !== undefined && !d.includes(s.value)) d.push(s.value);
    }
  }
  return out;
}

/** Which source columns feed the backend table: numeric ones and categorical ones, in schema order. */
export function tableInputs(columns: readonly ColumnMeta[]): { numeric: number[]; codes: number[] } {
  const numeric: number[] = [];
  const codes: number[] = [];
  columns.forEach((c, i) => {
    if (isNumericType(c.type)) numeric.push(i);
    else if (c.type === 'categorical') codes.push(i);
  });
  return { numeric, codes };
}

/**
 * The backend's table in split order. Numbers become f32 here: Inf, NaN and values beyond f32 range become
 * missing (counted per column in `nonFinite`), never Inf on the GPU; each categorical column gets one extra code, its dictionary length, for categories unseen in the
 * fitted dictionary (used when a fitted recipe is applied to new data).
 */
export function buildWorkTable(
  data: LoadedDataset,
  inputs: { numeric: readonly number[]; codes: readonly number[] },
  dictionaries: ReadonlyMap<string, readonly string[]>,
  plan: SplitPlan,
  nonFinite?: Map<string, number>,
): WorkTable {
  const rows = plan.order.length;
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(inputs.numeric.length * rows);
  const validity = new Uint32Array(inputs.numeric.length * wpc);
  inputs.numeric.forEach((c, k) => {
    const col = data.columns[c]!;
    const src = col.data as Float64Array;
    for (let i = 0; i < rows; i++) {
      const r = plan.order[i]!;
      if (!present(col.validity, r)) continue;
      const v = Math.fround(src[r] ?? NaN);
      if (!Number.isFinite(v)) {
        nonFinite?.set(col.meta.name, (nonFinite.get(col.meta.name) ?? 0) + 1);
        continue;
      }
      values[k * rows + i] = v;
      validity[k * wpc + (i >>> 5)]! |= 1 << (i & 31);
    }
  });
  const codes = new Int32Array(inputs.codes.length * rows);
  const cardinality = inputs.codes.map((c, k) => {
    const col = data.columns[c]!;
    const src = col.data as Int32Array;
    for (let i = 0; i < rows; i++) {
      const r = plan.order[i]!;
      codes[k * rows + i] = present(col.validity, r) ? (src[r] ?? -1) : -1;
    }
    return (dictionaries.get(col.meta.name)?.length ?? 0) + 1;
  });
  return {
    rows,
    numeric: { values, validity, cols: inputs.numeric.length },
    codes: { codes, cardinality },
  };
}
