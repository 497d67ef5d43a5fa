import { WorkbenchError } from '../../lib/errors';

/**
 * A numeric table in the layout the GPU reads: column-major f32 values plus a validity bitmask
 * (bit r%32 of word r/32 of a column set = row r present). Missing values are never NaN.
 */
export interface NumericTable {
  readonly rows: number;
  readonly names: readonly string[];
  /** cols × rows, column-major. Missing slots hold 0. */
  readonly values: Float32Array;
  /** cols × wordsPerColumn(rows). */
  readonly validity: Uint32Array;
}

/** Number of 32-bit mask words per column. */
export function wordsPerColumn(rows: number): number {
  return Math.ceil(rows / 32);
}

/** Whether row `row` of column `col` holds a value. */
export function isValid(t: NumericTable, col: number, row: number): boolean {
  const word = t.validity[col * wordsPerColumn(t.rows) + (row >>> 5)] ?? 0;
  return ((word >>> (row & 31)) & 1) === 1;
}

/** Builds a table from columns of numbers, where null, undefined and non-finite numbers are missing. */
export function tableFromColumns(
  names: readonly string[],
  columns: readonly (readonly (number | null | undefined)[])[],
): NumericTable {
  const rows = columns[0]?.length ?? 0;
  if (names.length !== columns.length) {
    throw new WorkbenchError('INVALID_INPUT', `${names.length} names for ${columns.length} columns`);
  }
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(columns.length * rows);
  const validity = new Uint32Array(columns.length * wpc);
  columns.forEach((column, c) => {
    if (column.length !== rows) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Column ${names[c] ?? c} has ${column.length} rows, expected ${rows}`,
      );
    }
    for (let r = 0; r < rows; r++) {
      const v = column[r];
      if (typeof v === 'number' && Number.isFinite(v)) {
        values[c * rows + r] = v;
        validity[c * wpc + (r >>> 5)]! |= 1 << (r & 31);
      }
    }
  });
  return { rows, names, values, validity };
}

/** Checks that a table's arrays match its declared shape (it may have crossed a worker boundary). */
export function assertTableShape(t: NumericTable): void {
  const cols = t.names.length;
  if (!Number.isInteger(t.rows) || t.rows < 0) throw new WorkbenchError('INVALID_INPUT', `rows = ${t.rows}`);
  if (t.values.length !== cols * t.rows) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `values has ${t.values.length} entries, expected ${cols}×${t.rows}`,
    );
  }
  if (t.validity.length !== cols * wordsPerColumn(t.rows)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `validity has ${t.validity.length} words for ${cols}×${t.rows}`,
    );
  }
}
