import { wordsPerColumn } from '../data/table';
import {
  checkCodeCounts,
  checkFitRows,
  checkOutputs,
  checkProgram,
  checkQuantiles,
  checkWorkTable,
  interpolate,
  quantileRanks,
} from './gpu/checks';
import {
  OP,
  type ElementOp,
  type EncodeSpec,
  type Moments,
  type PreprocessBackend,
  type Program,
  type ProgramOutput,
  type WorkTable,
} from './program';

/**
 * The CPU reference of the preprocess backends. Element-wise math is f32 (Math.fround after each operation,
 * as WGSL computes it); moments accumulate in f64; quantiles sort the f32 values exactly; counts are exact.
 */
export function createCpuBackend(table: WorkTable): PreprocessBackend {
  checkWorkTable(table);
  return {
    kind: 'cpu',
    moments: (program, fitRows, outputs) =>
      settle(() => {
        checkProgram(table, program);
        checkFitRows(table, fitRows);
        checkOutputs(program, outputs);
        return outputs.map((o) => columnMoments(evalColumn(table, program, o, fitRows)));
      }),
    quantiles: (program, fitRows, queries) =>
      settle(() => {
        checkProgram(table, program);
        checkFitRows(table, fitRows);
        checkQuantiles(program, queries);
        const sorted = new Map<number, Float32Array>();
        return queries.map(({ output, q }) => {
          let xs = sorted.get(output);
          if (xs === undefined) {
            // Typed-array sort is numeric with −0 before +0: the order of the GPU's radix keys.
            xs = presentValues(evalColumn(table, program, output, fitRows)).sort();
            sorted.set(output, xs);
          }
          if (xs.length === 0) return NaN;
          const { lo, hi, frac } = quantileRanks(xs.length, q);
          return interpolate(xs[lo]!, xs[hi]!, frac);
        });
      }),
    codeCounts: (fitRows, queries) =>
      settle(() => {
        checkFitRows(table, fitRows);
        checkCodeCounts(table, queries);
        return queries.map(({ input, fill }) => {
          const counts = new Uint32Array(table.codes.cardinality[input]!);
          const col = codeColumn(table, input, fill, fitRows);
          for (const c of col) if (c >= 0) counts[c]!++;
          return counts;
        });
      }),
    run: (program) =>
      settle(() => {
        checkProgram(table, program);
        return runProgram(table, program);
      }),
    dispose: () => undefined,
  };
}

/** Runs `fn` now; its result or thrown error becomes the promise's outcome (input errors reject). */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

/** One column of values with its presence flags. */
interface Column {
  readonly values: Float32Array;
  readonly present: Uint8Array;
}

/** Applies one operation to an f32 value; null = missing. Non-finite results become missing. */
export function applyOp(x: number | null, { op, a, b }: ElementOp): number | null {
  const fa = Math.fround(a);
  const fb = Math.fround(b);
  if (op === OP.impute) return x === null ? finite(fa) : x;
  if (x === null) return null;
  switch (op) {
    case OP.affine:
      return finite(Math.fround(Math.fround(x - fa) * fb));
    case OP.clip:
      return finite(Math.min(Math.max(x, fa), fb));
    case OP.log:
      return x <= 0 ? null : finite(Math.fround(Math.log(x)));
    case OP.log1p:
      return x <= -1 ? null : finite(Math.fround(Math.log1p(x)));
    case OP.sqrt:
      return x < 0 ? null : finite(Math.fround(Math.sqrt(x)));
    case OP.power:
      return x < 0 && !Number.isInteger(fa) ? null : finite(Math.fround(Math.pow(x, fa)));
    default:
      return x;
  }
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Codes of one code column over rows [0, rows) with missing codes replaced by `fill` (−1: kept missing). */
function codeColumn(t: WorkTable, input: number, fill: number, rows: number): Int32Array {
  const col = t.codes.codes.slice(input * t.rows, input * t.rows + rows);
  if (fill >= 0) for (let r = 0; r < rows; r++) if (col[r]! < 0) col[r] = fill;
  return col;
}

/** The `width` intermediate columns one encode spec produces over rows [0, rows). */
function encodeColumns(t: WorkTable, e: EncodeSpec, rows: number): Column[] {
  const codes = codeColumn(t, e.input, e.fill, rows);
  const cols = Array.from({ length: e.width }, () => ({
    values: new Float32Array(rows),
    present: new Uint8Array(rows),
  }));
  for (let r = 0; r < rows; r++) {
    const c = codes[r]!;
    const m = c >= 0 && c < e.map.length ? e.map[c]! : -1;
    if (e.mode === 'onehot') {
      for (const col of cols) col.present[r] = 1;
      if (m >= 0) cols[m]!.values[r] = 1;
    } else if (m >= 0) {
      cols[0]!.values[r] = m;
      cols[0]!.present[r] = 1;
    }
  }
  return cols;
}

/** Intermediate column `index` of a program over rows [0, rows). */
function intermediateColumn(t: WorkTable, p: Program, index: number, rows: number): Column {
  const n = t.numeric.cols;
  if (index < n) {
    const wpc = wordsPerColumn(t.rows);
    const present = new Uint8Array(rows);
    for (let r = 0; r < rows; r++)
      present[r] = (t.numeric.validity[index * wpc + (r >>> 5)]! >>> (r & 31)) & 1;
    return { values: t.numeric.values.slice(index * t.rows, index * t.rows + rows), present };
  }
  let k = index - n;
  for (const e of p.encode) {
    if (k < e.width) return encodeColumns(t, e, rows)[k]!;
    k -= e.width;
  }
  throw new RangeError(`Intermediate column ${index} does not exist`);
}

/** Elementwise output `output` of a program over rows [0, rows). */
function evalColumn(t: WorkTable, p: Program, output: number, rows: number): Column {
  const spec = p.elementwise[output]!;
  const src = intermediateColumn(t, p, spec.input, rows);
  const values = new Float32Array(rows);
  const present = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let x: number | null = src.present[r] === 1 ? src.values[r]! : null;
    for (const op of spec.ops) x = applyOp(x, op);
    if (x !== null) {
      values[r] = x;
      present[r] = 1;
    }
  }
  return { values, present };
}

function presentValues(c: Column): Float32Array {
  return c.values.filter((_, r) => c.present[r] === 1);
}

/** Population moments in f64 (two passes) of a column's present values. */
function columnMoments(c: Column): Moments {
  const xs = presentValues(c);
  const n = xs.length;
  if (n === 0) return { n: 0, mean: NaN, std: NaN, min: NaN, max: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / n;
  let m2 = 0;
  for (const x of xs) m2 += (x - mean) * (x - mean);
  return { n, mean, std: Math.sqrt(m2 / n), min, max };
}

/** Runs a whole program over every row. */
function runProgram(t: WorkTable, p: Program): ProgramOutput {
  const rows = t.rows;
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(p.elementwise.length * rows);
  const validity = new Uint32Array(p.elementwise.length * wpc);
  p.elementwise.forEach((_, j) => {
    const col = evalColumn(t, p, j, rows);
    values.set(col.values, j * rows);
    for (let r = 0; r < rows; r++) if (col.present[r] === 1) validity[j * wpc + (r >>> 5)]! |= 1 << (r & 31);
  });
  const codes = new Int32Array(p.codes.length * rows);
  p.codes.forEach((c, j) => codes.set(codeColumn(t, c.input, c.fill, rows), j * rows));
  return { rows, values, validity, codes };
}
