import type { ColumnChunk, DatasetMeta } from './dataset';
import { wordsPerColumn, type NumericTable } from './table';

/** Column types the statistics kernel summarises. */
export const NUMERIC_TYPES: ReadonlySet<string> = new Set(['number', 'integer', 'date']);

/**
 * Gathers a dataset's numeric columns into the GPU layout: f64 storage becomes f32 here, at upload time,
 * and chunk validity masks are re-packed into one mask per column.
 */
export async function numericTableOf(
  meta: DatasetMeta,
  readColumn: (column: number) => Promise<ColumnChunk[]>,
): Promise<NumericTable> {
  const picked = meta.columns.flatMap((c, i) => (NUMERIC_TYPES.has(c.type) ? [i] : []));
  const rows = meta.rows;
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(picked.length * rows);
  const validity = new Uint32Array(picked.length * wpc);
  for (const [k, column] of picked.entries()) {
    let row = 0;
    for (const chunk of await readColumn(column)) {
      const data = chunk.data as Float64Array;
      for (let r = 0; r < chunk.rows; r++, row++) {
        if ((((chunk.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 0) continue;
        values[k * rows + row] = data[r] ?? 0;
        validity[k * wpc + (row >>> 5)]! |= 1 << (row & 31);
      }
    }
  }
  return { rows, names: picked.map((i) => meta.columns[i]!.name), values, validity };
}

/** Counts of each category of a categorical column, most frequent first. */
export function categoryCounts(
  dictionary: readonly string[],
  chunks: readonly ColumnChunk[],
): { value: string; count: number }[] {
  const counts = new Array<number>(dictionary.length).fill(0);
  for (const c of chunks) {
    const codes = c.data as Int32Array;
    for (let r = 0; r < c.rows; r++) {
      const code = codes[r] ?? -1;
      if (code >= 0 && code < counts.length) counts[code]!++;
    }
  }
  return dictionary.map((value, i) => ({ value, count: counts[i] ?? 0 })).sort((a, b) => b.count - a.count);
}
