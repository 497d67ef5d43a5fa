import { WorkbenchError } from '../../lib/errors';

/** The limits the planner respects, plus an engine-side cap (tests set it very low). */
export interface MemoryBudget {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  /** Engine-side cap on the bytes of any one buffer; Infinity for none. */
  readonly engineCap: number;
}

/** A block of a column-major table: columns [colStart, colStart+colCount), rows [rowStart, rowStart+rowCount). */
export interface Chunk {
  readonly colStart: number;
  readonly colCount: number;
  readonly rowStart: number;
  readonly rowCount: number;
}

/** Bytes the largest single buffer may hold under this budget. */
export function bufferBudget(b: MemoryBudget): number {
  return Math.min(b.maxBufferSize, b.maxStorageBufferBindingSize, b.engineCap);
}

/**
 * Splits a rows × cols table of `bytesPerElement` values into chunks whose buffers each fit the budget.
 * Whole columns are grouped while they fit; otherwise columns are cut into row ranges that start on a
 * multiple of `rowAlign` (so a validity bitmask of 32 rows per word can be sliced by words).
 */
export function planChunks(
  rows: number,
  cols: number,
  bytesPerElement: number,
  budget: MemoryBudget,
  rowAlign = 32,
): Chunk[] {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new WorkbenchError('INVALID_INPUT', `Table shape ${rows}×${cols} is not valid`);
  }
  if (rows === 0 || cols === 0) return [];
  const maxElements = Math.floor(bufferBudget(budget) / bytesPerElement);
  const minRows = Math.min(rows, rowAlign);
  if (maxElements < minRows) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `A buffer may hold only ${maxElements} values here; at least ${minRows} are needed per chunk`,
    );
  }
  const chunks: Chunk[] = [];
  if (rows <= maxElements) {
    const colsPer = Math.min(Math.floor(maxElements / rows), budget.maxComputeWorkgroupsPerDimension);
    for (let c = 0; c < cols; c += colsPer) {
      chunks.push({ colStart: c, colCount: Math.min(colsPer, cols - c), rowStart: 0, rowCount: rows });
    }
    return chunks;
  }
  const rowsPer = Math.floor(maxElements / rowAlign) * rowAlign;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r += rowsPer) {
      chunks.push({ colStart: c, colCount: 1, rowStart: r, rowCount: Math.min(rowsPer, rows - r) });
    }
  }
  return chunks;
}
