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

/** Shape of a generated CSV file. */
export interface RandomCsvSpec {
  /** Target size in bytes; the file ends at the first row boundary at or past it. */
  readonly bytes: number;
  readonly seed: number;
  readonly name: string;
}

/** A generated CSV file and what it holds. */
export interface RandomCsv {
  readonly file: File;
  /** Data rows (the header excluded). */
  readonly rows: number;
  readonly cols: number;
}

const CSV_NUMERIC_COLS = 8;
const CSV_CATEGORIES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
/** Rows are joined into pieces of about this many characters, pieces into Blobs of about BLOB_CHARS. */
const PIECE_CHARS = 1 << 20;
const BLOB_CHARS = 16 << 20;

/**
 * A seeded CSV: 8 numeric columns (x0–x7, 4 decimals, ~1% empty cells, column c scaled by 10^(c % 4))
 * and one categorical column `group` of 8 values; about 70 bytes a row, ASCII (bytes = characters).
 * Built in 16 MB Blobs so a 200 MB file never sits in the JS heap as strings all at once.
 */
export function randomCsv({ bytes, seed, name }: RandomCsvSpec): RandomCsv {
  const rand = mulberry32(seed);
  const offsets = Array.from({ length: CSV_NUMERIC_COLS }, (_, c) => (rand() - 0.5) * 10 ** (c % 4));
  const scales = Array.from({ length: CSV_NUMERIC_COLS }, (_, c) => (1 + rand() * 10) * 10 ** (c % 4));
  const header = [...offsets.map((_, c) => `x${c}`), 'group'].join(',') + '\n';
  const blobs: Blob[] = [];
  let pieces: string[] = [header];
  let blobChars = header.length;
  let total = header.length;
  let rows = 0;
  while (total < bytes) {
    const lines: string[] = [];
    let pieceChars = 0;
    while (pieceChars < PIECE_CHARS && total + pieceChars < bytes) {
      const cells: string[] = [];
      for (let c = 0; c < CSV_NUMERIC_COLS; c++) {
        cells.push(rand() < 0.01 ? '' : (offsets[c]! + (rand() - 0.5) * scales[c]!).toFixed(4));
      }
      cells.push(CSV_CATEGORIES[Math.floor(rand() * CSV_CATEGORIES.length)]!);
      const line = cells.join(',') + '\n';
      lines.push(line);
      pieceChars += line.length;
      rows++;
    }
    pieces.push(lines.join(''));
    blobChars += pieceChars;
    total += pieceChars;
    if (blobChars >= BLOB_CHARS) {
      blobs.push(new Blob(pieces));
      pieces = [];
      blobChars = 0;
    }
  }
  if (pieces.length > 0) blobs.push(new Blob(pieces));
  const file = new File(blobs, name, { type: 'text/csv' });
  return { file, rows, cols: CSV_NUMERIC_COLS + 1 };
}
