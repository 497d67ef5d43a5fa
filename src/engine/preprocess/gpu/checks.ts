import { WorkbenchError } from '../../../lib/errors';
import { wordsPerColumn } from '../../data/table';
import {
  OP,
  intermediateWidth,
  type CodeCountQuery,
  type Program,
  type QuantileQuery,
  type WorkTable,
} from '../program';

/**
 * Input checks shared by the CPU and GPU preprocess backends, so both reject the same programs with the same
 * INVALID_INPUT messages before any work starts.
 */

const OP_CODES: ReadonlySet<number> = new Set(Object.values(OP));

function invalid(message: string): never {
  throw new WorkbenchError('INVALID_INPUT', message);
}

function isIndex(i: number, length: number): boolean {
  return Number.isInteger(i) && i >= 0 && i < length;
}

/** Checks array sizes against `rows` and that every code lies in [−1, cardinality). */
export function checkWorkTable(t: WorkTable): void {
  const { rows, numeric, codes } = t;
  if (!Number.isInteger(rows) || rows < 0) invalid(`WorkTable rows = ${rows} is not a row count`);
  if (!Number.isInteger(numeric.cols) || numeric.cols < 0)
    invalid(`WorkTable has ${numeric.cols} numeric columns`);
  if (numeric.values.length !== numeric.cols * rows) {
    invalid(`Numeric values hold ${numeric.values.length} entries, expected ${numeric.cols}×${rows}`);
  }
  if (numeric.validity.length !== numeric.cols * wordsPerColumn(rows)) {
    invalid(
      `Numeric validity holds ${numeric.validity.length} words, expected ${numeric.cols}×${wordsPerColumn(rows)}`,
    );
  }
  const k = codes.cardinality.length;
  if (codes.codes.length !== k * rows)
    invalid(`Codes hold ${codes.codes.length} entries, expected ${k}×${rows}`);
  codes.cardinality.forEach((card, c) => {
    if (!Number.isInteger(card) || card < 0) invalid(`Code column ${c} has cardinality ${card}`);
    const col = codes.codes.subarray(c * rows, (c + 1) * rows);
    for (let r = 0; r < rows; r++) {
      const v = col[r]!;
      if (v < -1 || v >= card) invalid(`Code column ${c} row ${r} holds ${v}, outside [−1, ${card})`);
    }
  });
}

function checkFill(fill: number, card: number, what: string): void {
  if (!Number.isInteger(fill) || fill < -1 || fill >= card)
    invalid(`${what}: fill ${fill} is outside [−1, ${card})`);
}

function checkParam(x: number, what: string): void {
  if (!Number.isFinite(Math.fround(x))) invalid(`${what}: parameter ${x} is not a finite f32`);
}

/** Checks every column index, fill, map and operation of a program against a table. */
export function checkProgram(t: WorkTable, p: Program): void {
  const card = t.codes.cardinality;
  p.encode.forEach((e, i) => {
    const what = `Encode spec ${i}`;
    if (!isIndex(e.input, card.length))
      invalid(`${what} reads code column ${e.input}; there are ${card.length}`);
    checkFill(e.fill, card[e.input]!, what);
    if (e.mode !== 'onehot' && e.mode !== 'ordinal') invalid(`${what}: unknown mode ${String(e.mode)}`);
    if (!Number.isInteger(e.width) || e.width < 1 || (e.mode === 'ordinal' && e.width !== 1)) {
      invalid(`${what}: width ${e.width} is not valid for ${e.mode}`);
    }
    for (const m of e.map) {
      if (m < -1 || (e.mode === 'onehot' && m >= e.width)) invalid(`${what}: map entry ${m} is out of range`);
    }
  });
  const width = intermediateWidth(t.numeric.cols, p);
  p.elementwise.forEach((col, j) => {
    if (!isIndex(col.input, width))
      invalid(`Output ${j} reads column ${col.input}; the program has ${width}`);
    col.ops.forEach((o, k) => {
      if (!OP_CODES.has(o.op)) invalid(`Output ${j} operation ${k}: unknown op code ${o.op}`);
      checkParam(o.a, `Output ${j} operation ${k}`);
      checkParam(o.b, `Output ${j} operation ${k}`);
    });
  });
  p.codes.forEach((c, j) => {
    if (!isIndex(c.input, card.length))
      invalid(`Code output ${j} reads code column ${c.input}; there are ${card.length}`);
    checkFill(c.fill, card[c.input]!, `Code output ${j}`);
  });
}

/** Checks fitRows ∈ [0, rows]. */
export function checkFitRows(t: WorkTable, fitRows: number): void {
  if (!Number.isInteger(fitRows) || fitRows < 0 || fitRows > t.rows) {
    invalid(`fitRows = ${fitRows} is outside [0, ${t.rows}]`);
  }
}

/** Checks output indices of a moments call. */
export function checkOutputs(p: Program, outputs: readonly number[]): void {
  for (const o of outputs) {
    if (!isIndex(o, p.elementwise.length))
      invalid(`Output ${o} does not exist; the program has ${p.elementwise.length}`);
  }
}

/** Checks quantile queries: existing outputs, q ∈ [0, 1]. */
export function checkQuantiles(p: Program, queries: readonly QuantileQuery[]): void {
  checkOutputs(
    p,
    queries.map((q) => q.output),
  );
  for (const q of queries) if (!(q.q >= 0 && q.q <= 1)) invalid(`Quantile q = ${q.q} is outside [0, 1]`);
}

/** Checks code-count queries against the table's code columns. */
export function checkCodeCounts(t: WorkTable, queries: readonly CodeCountQuery[]): void {
  const card = t.codes.cardinality;
  queries.forEach((q, i) => {
    if (!isIndex(q.input, card.length))
      invalid(`Count query ${i} reads code column ${q.input}; there are ${card.length}`);
    checkFill(q.fill, card[q.input]!, `Count query ${i}`);
  });
}

/**
 * Maps a quantile onto its two order statistics as numpy's 'linear' method does: h = (n−1)q, result =
 * x[⌊h⌋] + (h − ⌊h⌋)(x[⌈h⌉] − x[⌊h⌋]) in f64. `n` must be positive.
 */
export function quantileRanks(n: number, q: number): { lo: number; hi: number; frac: number } {
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  return { lo, hi: Math.min(Math.ceil(h), n - 1), frac: h - lo };
}

/** The interpolation step of quantileRanks. */
export function interpolate(xlo: number, xhi: number, frac: number): number {
  return frac === 0 ? xlo : xlo + frac * (xhi - xlo);
}
