import { wordsPerColumn, type NumericTable } from '../src/engine/data/table';
import { mulberry32 } from '../src/lib/random';

/** Shape of a generated table. */
export interface RandomTableSpec {
  readonly rows: number;
  readonly cols: number;
  /** Share of missing cells, 0–1. */
  readonly missing: number;
  readonly seed: number;
}

/**
 * A seeded random NumericTable, built directly in the GPU layout. Column c has its own offset and scale
 * (means far from zero on some columns exercise the kernel's shifted reduction).
 */
export function randomTable({ rows, cols, missing, seed }: RandomTableSpec): NumericTable {
  const rand = mulberry32(seed);
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(cols * rows);
  const validity = new Uint32Array(cols * wpc);
  const names: string[] = [];
  for (let c = 0; c < cols; c++) {
    names.push(`col${c}`);
    const offset = (rand() - 0.5) * 10 ** (c % 4);
    const scale = 1 + rand() * 10;
    for (let r = 0; r < rows; r++) {
      if (rand() < missing) continue;
      values[c * rows + r] = offset + (rand() - 0.5) * scale;
      validity[c * wpc + (r >>> 5)]! |= 1 << (r & 31);
    }
  }
  return { rows, names, values, validity };
}

/** Reads a positive integer query parameter, or the fallback. */
export function intParam(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`Query parameter ${key}=${raw} must be a positive integer`);
  return v;
}
