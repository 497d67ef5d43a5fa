import { afterAll, describe, expect, it } from 'vitest';
import { tableFromColumns, wordsPerColumn } from '../../src/engine/data/table';
import type { GpuSession } from '../../src/engine/gpu/context';
import { usageSince } from '../../src/engine/gpu/instrument';
import { applyOp, createCpuBackend } from '../../src/engine/preprocess/cpuBackend';
import { createGpuBackend } from '../../src/engine/preprocess/gpuBackend';
import {
  OP,
  intermediateWidth,
  type ElementOp,
  type EncodeSpec,
  type Moments,
  type PreprocessBackend,
  type Program,
  type ProgramOutput,
  type WorkTable,
} from '../../src/engine/preprocess/program';
import { mulberry32 } from '../../src/lib/random';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

/*
 * Tolerances (GPU f32 kernels vs the CPU reference):
 * - validity bits, encode outputs, codes and code counts: exact.
 * - element-wise values, one operation: |gpu − cpu| ≤ 1e-6·max(1, |cpu|). WGSL's + − × are correctly rounded
 *   (affine, clip and impute are bit-exact); sqrt, log, exp2 are within a few ulps, log has 2^-21 absolute
 *   error near 1 (so log1p of small x is absolute-accurate only), and non-integer powers run as
 *   exp2(a·log2|x|) whose relative error grows with |a·log2 x|; integer powers use repeated squaring.
 * - element-wise values, random 5-operation chains: |gpu − cpu| ≤ 4·bound + 1e-7·max(1, |cpu|), where bound is a
 *   first-order error bound propagated along the chain (chainBound): chains with cancellation or log1p near −1
 *   amplify few-ulp differences far beyond any fixed relative tolerance. Over 40 seeds the worst error was 0.21 of
 *   this allowance, and validity never differed.
 * - quantiles: bit-exact (radix select returns the order statistics themselves, interpolated in f64 as the CPU).
 * - moments: n, min, max exact; mean within 1e-5·max(|mean|, std); std within 1e-5 relative (+1e-7 absolute).
 */

const { ctx, events } = testContext();
const capped = testContext({ engineCap: 16 * 1024 });
afterAll(async () => {
  expect(uncaptured(events)).toEqual([]);
  expect(uncaptured(capped.events)).toEqual([]);
  await ctx.dispose();
  await capped.ctx.dispose();
});

const op = (o: ElementOp['op'], a = 0, b = 0): ElementOp => ({ op: o, a, b });

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

/** Seeded table: mixed magnitudes, negatives, an offset column (mean 1e6), 10% missing values and codes. */
function randomWork(seed: number, rows: number, cols: number, cards: number[]): WorkTable {
  const rand = mulberry32(seed);
  const numeric = Array.from({ length: cols }, (_, c) =>
    Array.from({ length: rows }, () => {
      if (rand() < 0.1) return null;
      const u = rand() - 0.5;
      return c % 3 === 0 ? u * 10 ** (c % 7) : c % 3 === 1 ? 1e6 + u * 100 : 4 * u + 1;
    }),
  );
  const codes = cards.map((k) =>
    Array.from({ length: rows }, () => (rand() < 0.1 ? -1 : Math.floor(rand() * k))),
  );
  return work(numeric, codes, cards);
}

/** A seeded program: `outputs` columns of `steps` operations each, reading any intermediate column. */
function randomProgram(seed: number, width: number, outputs: number, steps: number): Program {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const makeOp = (): ElementOp => {
    switch (pick([OP.impute, OP.affine, OP.clip, OP.log, OP.log1p, OP.sqrt, OP.power])) {
      case OP.impute:
        return op(OP.impute, Math.round(rand() * 1000 - 500) / 100);
      case OP.affine:
        return op(OP.affine, (rand() - 0.5) * 10, (rand() < 0.5 ? -1 : 1) * (0.5 + rand() * 1.5));
      case OP.clip:
        return op(OP.clip, -rand() * 100, rand() * 100);
      case OP.power:
        return op(OP.power, pick([2, 3, 0.5, -1, 1.5]));
      default:
        return op(pick([OP.log, OP.log1p, OP.sqrt]));
    }
  };
  return {
    encode: [],
    elementwise: Array.from({ length: outputs }, () => ({
      input: Math.floor(rand() * width),
      ops: Array.from({ length: steps }, makeOp),
    })),
    codes: [],
  };
}

function present(o: ProgramOutput, j: number, r: number): boolean {
  return ((o.validity[j * wordsPerColumn(o.rows) + (r >>> 5)]! >>> (r & 31)) & 1) === 1;
}

/** Absolute allowance for output value i given the CPU's value. */
type Allowance = (i: number, cpu: number) => number;

/** tol·max(1, |cpu|). */
const rel =
  (tol: number): Allowance =>
  (_, cpu) =>
    tol * Math.max(1, Math.abs(cpu));

/** Validity exact, codes exact, |gpu − cpu| ≤ allow(i, cpu) for every value. */
function expectOutputsMatch(gpu: ProgramOutput, cpu: ProgramOutput, allow: Allowance): void {
  expect(gpu.rows).toBe(cpu.rows);
  expect(gpu.validity).toEqual(cpu.validity);
  expect(gpu.codes).toEqual(cpu.codes);
  expect(gpu.values.length).toBe(cpu.values.length);
  let worst = { ratio: 0, at: -1 };
  for (let i = 0; i < cpu.values.length; i++) {
    const err = Math.abs(gpu.values[i]! - cpu.values[i]!);
    const ratio = err === 0 ? 0 : err / allow(i, cpu.values[i]!);
    if (!(ratio <= worst.ratio)) worst = { ratio, at: i };
  }
  const at = worst.at;
  expect(
    worst.ratio,
    `value ${at}: gpu ${gpu.values[at]} vs cpu ${cpu.values[at]} (error / allowance)`,
  ).toBeLessThanOrEqual(1);
}

const EPS = 2 ** -24;

/**
 * First-order bound on |gpu − cpu| for one element of a chain: each operation scales the incoming difference by
 * its derivative and adds its own rounding, `ulps`·ε·|result|, with ulps = 2 for affine (two roundings), 8 for
 * log / log1p / sqrt / integer powers (a few ulps each, squaring steps included) and 8 + 4|a·log2 x| for
 * non-integer powers (exp2 of a rounded argument). Ill-conditioned steps (cancellation in x − a, log1p near
 * −1) make the bound large, as they make any two f32 implementations differ.
 */
function chainBound(x0: number | null, ops: readonly ElementOp[]): number {
  let x = x0;
  let e = 0;
  for (const o of ops) {
    const y = applyOp(x, o);
    if (x === null || y === null) {
      [x, e] = [y, 0];
      continue;
    }
    const ay = Math.abs(y);
    const a = Math.fround(o.a);
    let gain = 1;
    let ulps = 0;
    if (o.op === OP.affine) [gain, ulps] = [Math.abs(Math.fround(o.b)), 2];
    if (o.op === OP.log) [gain, ulps] = [1 / Math.abs(x), 8];
    if (o.op === OP.log1p) [gain, ulps] = [1 / Math.abs(1 + x), 8];
    if (o.op === OP.sqrt) [gain, ulps] = [ay === 0 ? Infinity : 0.5 / ay, 8];
    if (o.op === OP.power) {
      gain = x === 0 ? Infinity : Math.abs((a * y) / x);
      ulps = Number.isInteger(a) ? 8 : 8 + 4 * Math.abs(a * Math.log2(Math.abs(x)));
    }
    e = (gain === Infinity ? (e === 0 ? 0 : Infinity) : gain * e) + ulps * EPS * ay;
    x = y;
  }
  return e;
}

/** Allowance for a program's chains: 4× the chain bound plus 1e-7·max(1, |cpu|); inputs from the CPU reference. */
async function chainAllowance(t: WorkTable, p: Program): Promise<Allowance> {
  const width = intermediateWidth(t.numeric.cols, p);
  const inputs = Array.from({ length: width }, (_, input) => ({ input, ops: [] }));
  const mid = await createCpuBackend(t).run({ encode: p.encode, elementwise: inputs, codes: [] });
  return (i, cpu) => {
    const col = p.elementwise[Math.floor(i / t.rows)]!;
    const r = i % t.rows;
    const x0 = present(mid, col.input, r) ? mid.values[col.input * t.rows + r]! : null;
    return 4 * chainBound(x0, col.ops) + 1e-7 * Math.max(1, Math.abs(cpu));
  };
}

function expectMomentsMatch(gpu: readonly Moments[], cpu: readonly Moments[]): void {
  expect(gpu.length).toBe(cpu.length);
  gpu.forEach((g, i) => {
    const c = cpu[i]!;
    expect(g.n).toBe(c.n);
    if (c.n === 0) return void expect(g).toEqual(c);
    expect(g.min).toBe(c.min);
    expect(g.max).toBe(c.max);
    expect(Math.abs(g.mean - c.mean), `mean ${g.mean} vs ${c.mean}`).toBeLessThanOrEqual(
      1e-5 * Math.max(Math.abs(c.mean), c.std),
    );
    expect(Math.abs(g.std - c.std), `std ${g.std} vs ${c.std}`).toBeLessThanOrEqual(1e-5 * c.std + 1e-7);
  });
}

/** The quantile the CPU sort gives for the values a run produced (bit-exact reference for any program). */
function sortQuantile(o: ProgramOutput, j: number, rows: number, q: number): number {
  const xs = o.values
    .subarray(j * o.rows, j * o.rows + rows)
    .filter((_, r) => present(o, j, r))
    .sort();
  if (xs.length === 0) return NaN;
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  const frac = h - lo;
  const a = xs[lo]!;
  return frac === 0 ? a : a + frac * (xs[Math.min(lo + 1, xs.length - 1)]! - a);
}

async function both(t: WorkTable, session?: GpuSession): Promise<[PreprocessBackend, PreprocessBackend]> {
  return [await createGpuBackend(session ?? (await ctx.session()), t), createCpuBackend(t)];
}

const CASE = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2,
  1e-3,
  -1e-3,
  1e6,
  -1e6,
  3e38,
  -3e38,
  1e-30,
  7.25,
  -2.5,
  null,
  100,
  0.999,
  1.001,
];
/** Non-integer powers run as exp2(a·log2 x): the argument's rounding scales the relative error by |a·log2 x|. */
const powTol =
  (a: number): Allowance =>
  (i, cpu) =>
    1e-6 * Math.max(1, Math.abs(cpu)) * Math.max(1, Math.abs(a * Math.log2(Math.abs(CASE[i] ?? 1))));
const CASE_OPS: [string, ElementOp[], Allowance][] = [
  ['impute', [op(OP.impute, 3.5)], rel(1e-6)],
  ['affine', [op(OP.affine, 0.1, 3)], rel(1e-6)],
  ['affine overflow', [op(OP.affine, -1, 1e30)], rel(1e-6)],
  ['clip', [op(OP.clip, -1, 2)], rel(1e-6)],
  ['log', [op(OP.log)], rel(1e-6)],
  ['log1p', [op(OP.log1p)], rel(1e-6)],
  ['sqrt', [op(OP.sqrt)], rel(1e-6)],
  ['power 2', [op(OP.power, 2)], rel(1e-6)],
  ['power 3', [op(OP.power, 3)], rel(1e-6)],
  ['power -1', [op(OP.power, -1)], rel(1e-6)],
  ['power -2', [op(OP.power, -2)], rel(1e-6)],
  ['power 0', [op(OP.power, 0)], rel(1e-6)],
  ['power 65', [op(OP.power, 65)], rel(1e-6)],
  ['power 2^25 + 2', [op(OP.power, 2 ** 25 + 2)], rel(1e-6)],
  ['power 0.5', [op(OP.power, 0.5)], powTol(0.5)],
  ['power 1.5', [op(OP.power, 1.5)], powTol(1.5)],
  ['power 2.5', [op(OP.power, 2.5)], powTol(2.5)],
  ['log then impute', [op(OP.log), op(OP.impute, -7)], rel(1e-6)],
];

describe('preprocess kernels on WebGPU', () => {
  it('runs on the expected adapter', async () => {
    const s = await ctx.session();
    expectExpectedAdapter(s.adapter.architecture);
  });

  it.each(CASE_OPS)('element-wise %s matches the CPU reference on the case table', async (_, ops, tol) => {
    const [gpu, cpu] = await both(work([CASE]));
    const p: Program = { encode: [], elementwise: [{ input: 0, ops }], codes: [] };
    expectOutputsMatch(await gpu.run(p), await cpu.run(p), tol);
    gpu.dispose();
  });

  it('encodes one-hot / ordinal columns and code passes exactly, with fill, unseen and missing codes', async () => {
    const t = randomWork(5, 3001, 2, [4, 3]);
    const [gpu, cpu] = await both(t);
    const encode: EncodeSpec[] = [
      { input: 0, fill: -1, mode: 'onehot', map: Int32Array.from([0, -1, 2, 1]), width: 3 },
      { input: 1, fill: 2, mode: 'onehot', map: Int32Array.from([1, 0]), width: 2 },
      { input: 0, fill: 3, mode: 'ordinal', map: Int32Array.from([5, -1, 7, 9]), width: 1 },
      { input: 1, fill: -1, mode: 'ordinal', map: Int32Array.from([2, 1, 0]), width: 1 },
    ];
    const p: Program = {
      encode,
      elementwise: [
        ...[2, 3, 4, 5, 6, 7, 8].map((input) => ({ input, ops: [] })),
        { input: 7, ops: [op(OP.impute, -1), op(OP.affine, 5, 0.5)] },
        { input: 0, ops: [op(OP.impute, 0)] },
      ],
      codes: [
        { input: 0, fill: -1 },
        { input: 1, fill: 0 },
      ],
    };
    const out = await gpu.run(p);
    expectOutputsMatch(out, await cpu.run(p), rel(0));
    expect(Array.from(out.codes.subarray(0, 3001)).filter((c) => c === -1).length).toBeGreaterThan(200);
    gpu.dispose();
  });

  it.each([1, 2, 3])(
    'a random 5-step program (seed %i) runs in ONE dispatch and one readback',
    async (seed) => {
      const t = randomWork(100 + seed, 50_000, 6, []);
      const [gpu, cpu] = await both(t);
      const p = randomProgram(seed, 6, 6, 5);
      const s = await ctx.session();
      const before = { ...s.usage };
      const out = await gpu.run(p);
      const used = usageSince(before, s.usage);
      expect(used.dispatches).toBe(1);
      expect(used.readbacks).toBe(1);
      expect(used.submits).toBe(1);
      expect(used.uploads).toBe(1); // the program and its parameters; the table was uploaded at creation
      expectOutputsMatch(out, await cpu.run(p), await chainAllowance(t, p));
      gpu.dispose();
    },
  );

  it('quantiles are bit-exact vs the CPU sort, for exact and inexact programs, with fitRows < rows', async () => {
    const rows = 60_000;
    const t = randomWork(7, rows, 6, []);
    const [gpu, cpu] = await both(t);
    const qs = [0, 0.01, 0.1, 0.25, 1 / 3, 0.5, 0.9, 0.999, 1];
    const exact: Program = {
      encode: [],
      elementwise: [
        { input: 0, ops: [] },
        { input: 1, ops: [op(OP.affine, 1e6, 0.25)] },
        { input: 3, ops: [op(OP.clip, -2, 30), op(OP.impute, 3)] },
        { input: 2, ops: [op(OP.affine, 1, -3)] },
      ],
      codes: [],
    };
    for (const fitRows of [rows, 45_001]) {
      const queries = [0, 1, 2, 3].flatMap((output) => qs.map((q) => ({ output, q })));
      expect(await gpu.quantiles(exact, fitRows, queries)).toEqual(
        await cpu.quantiles(exact, fitRows, queries),
      );
    }
    const inexact = randomProgram(9, 6, 3, 5);
    const queries = [0, 1, 2].flatMap((output) => qs.map((q) => ({ output, q })));
    const got = await gpu.quantiles(inexact, 40_000, queries);
    const out = await gpu.run(inexact);
    expect(got).toEqual(queries.map(({ output, q }) => sortQuantile(out, output, 40_000, q)));
    gpu.dispose();
  });

  it('quantiles: one upload, 4 radix dispatches for all queries, a single block computed once', async () => {
    const t = randomWork(8, 20_000, 3, []);
    const gpu = await createGpuBackend(await ctx.session(), t);
    const p: Program = { encode: [], elementwise: [0, 1, 2].map((input) => ({ input, ops: [] })), codes: [] };
    const s = await ctx.session();
    const before = { ...s.usage };
    await gpu.quantiles(
      p,
      20_000,
      [0, 1, 2].flatMap((output) => [0.1, 0.5, 0.75].map((q) => ({ output, q }))),
    );
    const used = usageSince(before, s.usage);
    expect(used.dispatches).toBe(1 + 4);
    expect(used.readbacks).toBe(4);
    gpu.dispose();
  });

  it.each([11, 12])('moments match the f64 reference (seed %i), also past a large offset', async (seed) => {
    const t = randomWork(seed, 100_000, 6, []);
    const [gpu, cpu] = await both(t);
    const p: Program = {
      encode: [],
      elementwise: [0, 1, 2, 3, 4, 5]
        .map((input) => ({ input, ops: [op(OP.impute, input)] }))
        .concat([
          { input: 4, ops: [op(OP.affine, 1e6, 1e-3)] },
          { input: 5, ops: [] },
        ]),
      codes: [],
    };
    const outputs = [0, 1, 2, 3, 4, 5, 6, 7];
    expectMomentsMatch(await gpu.moments(p, 100_000, outputs), await cpu.moments(p, 100_000, outputs));
    expectMomentsMatch(await gpu.moments(p, 77_777, [7, 1]), await cpu.moments(p, 77_777, [7, 1]));
    gpu.dispose();
  });

  it('moments stay precise on a column with mean 1e6 and std 1', async () => {
    const rand = mulberry32(21);
    const t = work([Array.from({ length: 200_000 }, () => 1e6 + (rand() + rand() + rand() - 1.5) * 2)]);
    const [gpu, cpu] = await both(t);
    const p: Program = { encode: [], elementwise: [{ input: 0, ops: [] }], codes: [] };
    const [g] = await gpu.moments(p, 200_000, [0]);
    const [c] = await cpu.moments(p, 200_000, [0]);
    expectMomentsMatch([g!], [c!]);
    expect(g!.std).toBeGreaterThan(0.9);
    gpu.dispose();
  });

  it('code counts are exact, with fill and fitRows', async () => {
    const t = randomWork(13, 70_000, 1, [3, 300, 1, 2000]);
    const [gpu, cpu] = await both(t);
    const queries = [
      { input: 0, fill: -1 },
      { input: 1, fill: 299 },
      { input: 2, fill: 0 },
      { input: 3, fill: -1 },
      { input: 3, fill: 1999 },
    ];
    for (const fit of [70_000, 33_333, 0]) {
      expect(await gpu.codeCounts(fit, queries)).toEqual(await cpu.codeCounts(fit, queries));
    }
    gpu.dispose();
  });

  it('an all-missing column: moments n = 0, quantile NaN, impute fills it', async () => {
    const t = work([Array.from({ length: 100 }, () => null), Array.from({ length: 100 }, (_, i) => i)]);
    const [gpu, cpu] = await both(t);
    const p: Program = {
      encode: [],
      elementwise: [
        { input: 0, ops: [] },
        { input: 0, ops: [op(OP.impute, 2.5)] },
      ],
      codes: [],
    };
    expect(await gpu.moments(p, 100, [0])).toEqual([{ n: 0, mean: NaN, std: NaN, min: NaN, max: NaN }]);
    expect(await gpu.quantiles(p, 100, [{ output: 0, q: 0.5 }])).toEqual([NaN]);
    expect(await gpu.moments(p, 100, [1])).toEqual([{ n: 100, mean: 2.5, std: 0, min: 2.5, max: 2.5 }]);
    expectOutputsMatch(await gpu.run(p), await cpu.run(p), rel(0));
    gpu.dispose();
  });

  it('splits into row blocks under a small engineCap, with results identical to the uncapped run', async () => {
    const rows = 20_000;
    const t = randomWork(17, rows, 3, [5, 40]);
    const big = await createGpuBackend(await ctx.session(), t);
    const s = await capped.ctx.session();
    const small = await createGpuBackend(s, t);
    const p: Program = {
      encode: [{ input: 0, fill: 4, mode: 'onehot', map: Int32Array.from([0, 1, 2, -1, 3]), width: 4 }],
      elementwise: [
        ...randomProgram(3, 7, 3, 5).elementwise,
        { input: 5, ops: [op(OP.affine, 0.5, 2)] },
        { input: 1, ops: [op(OP.affine, 1e6, 1), op(OP.impute, 0)] },
      ],
      codes: [{ input: 1, fill: 0 }],
    };
    const before = { ...s.usage };
    const out = await small.run(p);
    const used = usageSince(before, s.usage);
    expect(used.dispatches).toBeGreaterThan(2 * 10);
    expect(used.readbacks).toBeGreaterThan(10);
    expect(out).toEqual(await big.run(p));
    expectOutputsMatch(out, await createCpuBackend(t).run(p), await chainAllowance(t, p));
    const queries = [0, 1, 2, 3, 4].flatMap((output) => [0, 0.05, 0.5, 0.95, 1].map((q) => ({ output, q })));
    expect(await small.quantiles(p, 15_000, queries)).toEqual(await big.quantiles(p, 15_000, queries));
    const counts = [
      { input: 0, fill: -1 },
      { input: 1, fill: 3 },
    ];
    expect(await small.codeCounts(15_000, counts)).toEqual(await big.codeCounts(15_000, counts));
    // Moments merge partials in a different order per block layout: equal within the moments tolerance.
    expectMomentsMatch(await small.moments(p, 15_000, [3, 4]), await big.moments(p, 15_000, [3, 4]));
    big.dispose();
    small.dispose();
  });

  it('throws GPU_LIMIT when not even a 32-row block fits, INVALID_INPUT for bad programs', async () => {
    const tiny = testContext({ engineCap: 256 });
    const t = randomWork(19, 100, 3, []);
    await expect(createGpuBackend(await tiny.ctx.session(), t)).rejects.toMatchObject({ code: 'GPU_LIMIT' });
    await tiny.ctx.dispose();
    const gpu = await createGpuBackend(await ctx.session(), t);
    const p = (input: number): Program => ({ encode: [], elementwise: [{ input, ops: [] }], codes: [] });
    await expect(gpu.run(p(3))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(gpu.moments(p(0), 101, [0])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(gpu.quantiles(p(0), 100, [{ output: 1, q: 0.5 }])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    gpu.dispose();
    await expect(createGpuBackend(await ctx.session(), { ...t, rows: 99 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
