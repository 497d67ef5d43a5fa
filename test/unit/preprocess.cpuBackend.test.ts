import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../../src/engine/data/table';
import { createCpuBackend } from '../../src/engine/preprocess/cpuBackend';
import {
  OP,
  type ElementOp,
  type EncodeSpec,
  type Program,
  type WorkTable,
} from '../../src/engine/preprocess/program';

const f = Math.fround;

/** Builds a WorkTable from numeric columns (null = missing) and code columns with their cardinalities. */
function work(numeric: (number | null)[][], codes: number[][] = [], cardinality: number[] = []): WorkTable {
  const t = tableFromColumns(
    numeric.map((_, i) => `x${i}`),
    numeric,
  );
  const rows = numeric[0]?.length ?? codes[0]?.length ?? 0;
  return {
    rows,
    numeric: { values: t.values, validity: t.validity, cols: numeric.length },
    codes: { codes: Int32Array.from(codes.flat()), cardinality },
  };
}

// Rows:          0   1     2   3    4  5
const X0 = [1, null, 4, -2, 9, 0];
const X1 = [10, 20, null, 40, 50, 60];
const C0 = [0, 1, -1, 2, 1, 0]; // cardinality 3
const C1 = [1, -1, 0, 0, -1, 1]; // cardinality 2
const table = work([X0, X1], [C0, C1], [3, 2]);

const op = (o: ElementOp['op'], a = 0, b = 0): ElementOp => ({ op: o, a, b });
const program = (
  elementwise: Program['elementwise'],
  encode: EncodeSpec[] = [],
  codes: Program['codes'] = [],
) => ({
  encode,
  elementwise,
  codes,
});

/** Runs one output column and returns it with missing values as null. */
async function column(
  ops: ElementOp[],
  input = 0,
  encode: EncodeSpec[] = [],
  t = table,
): Promise<(number | null)[]> {
  const out = await createCpuBackend(t).run(program([{ input, ops }], encode));
  return Array.from(out.values, (v, r) => (((out.validity[r >>> 5]! >>> (r & 31)) & 1) === 1 ? v : null));
}

describe('preprocess CPU reference: element-wise operations', () => {
  it('passes values through with no operations, keeping missing values at 0 and bit clear', async () => {
    const out = await createCpuBackend(table).run(program([{ input: 0, ops: [] }]));
    expect(Array.from(out.values)).toEqual([1, 0, 4, -2, 9, 0]);
    expect(Array.from(out.validity)).toEqual([0b111101]);
  });

  it.each([
    ['impute 7', [op(OP.impute, 7)], [1, 7, 4, -2, 9, 0]],
    ['affine (x − 1) · 0.5', [op(OP.affine, 1, 0.5)], [0, null, 1.5, -1.5, 4, -0.5]],
    ['clip [0, 5]', [op(OP.clip, 0, 5)], [1, null, 4, 0, 5, 0]],
    ['log (x ≤ 0 missing)', [op(OP.log)], [0, null, f(Math.log(4)), null, f(Math.log(9)), null]],
    ['log1p', [op(OP.log1p)], [f(Math.log(2)), null, f(Math.log(5)), null, f(Math.log(10)), 0]],
    ['sqrt (x < 0 missing)', [op(OP.sqrt)], [1, null, 2, null, 3, 0]],
    ['power 2', [op(OP.power, 2)], [1, null, 16, 4, 81, 0]],
    ['power 3 keeps the sign', [op(OP.power, 3)], [1, null, 64, -8, 729, 0]],
    ['power 0.5 (negative base missing)', [op(OP.power, 0.5)], [1, null, 2, null, 3, 0]],
    ['power −1 (0^−1 missing)', [op(OP.power, -1)], [1, null, 0.25, -0.5, f(1 / 9), null]],
    [
      'impute then log',
      [op(OP.impute, Math.E), op(OP.log)],
      [0, f(Math.log(f(Math.E))), f(Math.log(4)), null, f(Math.log(9)), null],
    ],
    [
      'log then impute fills domain errors',
      [op(OP.log), op(OP.impute, -1)],
      [0, -1, f(Math.log(4)), -1, f(Math.log(9)), -1],
    ],
  ] as const)('%s', async (_, ops, expected) => {
    expect(await column([...ops])).toEqual(expected);
  });

  it('turns an overflow into a missing value that a later impute fills', async () => {
    const big = f(f(10) * f(1e37));
    const twice = f(f(20) * f(1e37));
    expect(await column([op(OP.affine, 0, 1e37), op(OP.impute, -1)], 1)).toEqual([
      big,
      twice,
      -1,
      -1,
      -1,
      -1,
    ]);
    expect(await column([op(OP.power, 40)], 1)).toEqual([null, null, null, null, null, null]);
  });

  it('rounds every step to f32', async () => {
    expect(await column([op(OP.affine, 0, 0.1), op(OP.affine, 0.3, 3)], 1)).toEqual(
      X1.map((x) => (x === null ? null : f(f(f(f(x) * f(0.1)) - f(0.3)) * f(3)))),
    );
  });
});

describe('preprocess CPU reference: encoding and codes', () => {
  const onehot: EncodeSpec = {
    input: 0,
    fill: -1,
    mode: 'onehot',
    map: Int32Array.from([0, -1, 1]),
    width: 2,
  };
  const ordinal: EncodeSpec = { input: 1, fill: -1, mode: 'ordinal', map: Int32Array.from([2, 3]), width: 1 };

  it('one-hot: unseen and missing codes give all zeros, always present', async () => {
    // Intermediate columns: x0, x1, slot 0, slot 1, ordinal.
    expect(await column([], 2, [onehot, ordinal])).toEqual([1, 0, 0, 0, 0, 1]);
    expect(await column([], 3, [onehot, ordinal])).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('one-hot with fill: a missing code takes the fill category first', async () => {
    expect(await column([], 3, [{ ...onehot, fill: 2 }])).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('ordinal: map value, missing when the code is missing or unseen; then impute', async () => {
    expect(await column([], 4, [onehot, ordinal])).toEqual([3, null, 2, 2, null, 3]);
    const unseen = { ...ordinal, map: Int32Array.from([-1, 3]) };
    expect(await column([op(OP.impute, 0)], 4, [onehot, unseen])).toEqual([3, 0, 0, 0, 0, 3]);
    expect(await column([], 2, [{ ...ordinal, fill: 0 }])).toEqual([3, 2, 2, 2, 2, 3]);
  });

  it('code passes replace missing codes by fill', async () => {
    const out = await createCpuBackend(table).run(
      program(
        [],
        [],
        [
          { input: 1, fill: 0 },
          { input: 1, fill: -1 },
          { input: 0, fill: 2 },
        ],
      ),
    );
    expect(Array.from(out.codes)).toEqual([...[1, 0, 0, 0, 0, 1], ...C1, ...[0, 1, 2, 2, 1, 0]]);
    expect(out.values.length).toBe(0);
  });

  it('counts categories after fill, over the fitting rows only', async () => {
    const be = createCpuBackend(table);
    const all = await be.codeCounts(6, [
      { input: 0, fill: -1 },
      { input: 0, fill: 0 },
      { input: 1, fill: 1 },
    ]);
    expect(all.map((c) => Array.from(c))).toEqual([
      [2, 2, 1],
      [3, 2, 1],
      [2, 4],
    ]);
    const fit = await be.codeCounts(3, [
      { input: 0, fill: -1 },
      { input: 0, fill: 2 },
    ]);
    expect(fit.map((c) => Array.from(c))).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
  });
});

describe('preprocess CPU reference: statistics', () => {
  const identity = program([
    { input: 0, ops: [] },
    { input: 1, ops: [op(OP.affine, 10, 0.1)] },
  ]);

  it('moments: population std in f64 over present values', async () => {
    const [m0, m1] = await createCpuBackend(table).moments(identity, 6, [0, 1]);
    // x0 present: 1, 4, −2, 9, 0 → mean 2.4, Σ(x − mean)² = 73.2, var 14.64.
    expect(m0!.n).toBe(5);
    expect(m0!.mean).toBeCloseTo(2.4, 12);
    expect(m0!.std).toBeCloseTo(Math.sqrt(14.64), 12);
    expect([m0!.min, m0!.max]).toEqual([-2, 9]);
    // (x1 − 10) · 0.1 present: 0, 1, 3, 4, 5 → mean 2.6, var (6.76 + 2.56 + 0.16 + 1.96 + 5.76) / 5 = 3.44.
    expect(m1!.n).toBe(5);
    expect(m1!.mean).toBeCloseTo(2.6, 6);
    expect(m1!.std).toBeCloseTo(Math.sqrt(3.44), 6);
  });

  it('quantiles match numpy linear interpolation', async () => {
    // Sorted x0: −2, 0, 1, 4, 9; np.quantile(x, [0, .1, .25, .5, .9, 1]) = [−2, −1.2, 0, 1, 7, 9].
    const qs = [0, 0.1, 0.25, 0.5, 0.9, 1];
    const got = await createCpuBackend(table).quantiles(
      identity,
      6,
      qs.map((q) => ({ output: 0, q })),
    );
    [-2, -1.2, 0, 1, 7, 9].forEach((e, i) => expect(got[i]).toBeCloseTo(e, 12));
  });

  it('ignores rows at and after fitRows', async () => {
    const be = createCpuBackend(table);
    const [m] = await be.moments(identity, 3, [0]);
    expect(m).toEqual({ n: 2, mean: 2.5, std: 1.5, min: 1, max: 4 });
    expect(await be.quantiles(identity, 3, [{ output: 0, q: 0.5 }])).toEqual([2.5]);
    expect(await be.quantiles(identity, 0, [{ output: 0, q: 0.5 }])).toEqual([NaN]);
  });

  it('an all-missing column: n = 0, NaN statistics, and impute fills it', async () => {
    const t = work([[null, null, null]]);
    const be = createCpuBackend(t);
    const p = program([{ input: 0, ops: [] }]);
    expect(await be.moments(p, 3, [0])).toEqual([{ n: 0, mean: NaN, std: NaN, min: NaN, max: NaN }]);
    expect(await be.quantiles(p, 3, [{ output: 0, q: 0.5 }])).toEqual([NaN]);
    expect(await column([op(OP.impute, 4)], 0, [], t)).toEqual([4, 4, 4]);
  });
});

describe('preprocess CPU reference: input checks', () => {
  const be = createCpuBackend(table);
  const code = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (e: unknown) => (e as { code?: string }).code,
    );

  it('rejects bad column indices, op codes, parameters and queries', async () => {
    expect(await code(be.run(program([{ input: 2, ops: [] }])))).toBe('INVALID_INPUT');
    expect(await code(be.run(program([{ input: 0, ops: [{ op: 9 as 1, a: 0, b: 0 }] }])))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(be.run(program([{ input: 0, ops: [op(OP.clip, -Infinity, 1)] }])))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(be.run(program([], [], [{ input: 2, fill: -1 }])))).toBe('INVALID_INPUT');
    expect(await code(be.quantiles(program([{ input: 0, ops: [] }]), 6, [{ output: 0, q: 1.5 }]))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(be.moments(program([{ input: 0, ops: [] }]), 7, [0]))).toBe('INVALID_INPUT');
    expect(await code(be.codeCounts(6, [{ input: 0, fill: 3 }]))).toBe('INVALID_INPUT');
  });

  it('rejects arrays that do not match the row count and codes outside the cardinality', () => {
    expect(() => createCpuBackend({ ...table, rows: 7 })).toThrow(/expected 2×7/);
    expect(() => createCpuBackend(work([[1, 2]], [[0, 5]], [3]))).toThrow(/outside/);
  });
});
