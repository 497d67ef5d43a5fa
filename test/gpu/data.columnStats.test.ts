import { afterAll, describe, expect, it } from 'vitest';
import { columnStatsGpu } from '../../src/engine/data/columnStats.gpu';
import { columnStatsRef } from '../../src/engine/data/columnStats.ref';
import type { ColumnStats } from '../../src/engine/data/runningStat';
import { tableFromColumns, wordsPerColumn, type NumericTable } from '../../src/engine/data/table';
import { newCounters } from '../../src/engine/gpu/buffers';
import { mulberry32 } from '../../src/lib/random';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

const { ctx, events } = testContext();
afterAll(async () => {
  expect(uncaptured(events)).toEqual([]);
  await ctx.dispose();
});

function close(actual: number | null, expected: number | null, rel: number, abs = 0): void {
  if (expected === null) return void expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  const tol = Math.max(abs, rel * Math.abs(expected));
  expect(Math.abs((actual ?? NaN) - expected), `${actual} vs ${expected} (tol ${tol})`).toBeLessThanOrEqual(
    tol,
  );
}

/** GPU f32 vs CPU f64: counts exact, extremes exact, mean and variance within stated tolerances. */
function expectMatches(gpu: ColumnStats[], ref: ColumnStats[], meanTol = 1e-5, varTol = 1e-4): void {
  expect(gpu.length).toBe(ref.length);
  gpu.forEach((g, i) => {
    const r = ref[i]!;
    expect(g.name).toBe(r.name);
    expect(g.count).toBe(r.count);
    expect(g.missing).toBe(r.missing);
    expect(g.min).toBe(r.min);
    expect(g.max).toBe(r.max);
    const spread = Math.sqrt(r.variance ?? 0);
    close(g.mean, r.mean, meanTol, meanTol * spread);
    close(g.variance, r.variance, varTol, 1e-6);
  });
}

function randomTable(seed: number, rows: number, cols: number, missingRate: number): NumericTable {
  const rand = mulberry32(seed);
  const columns = Array.from({ length: cols }, (_, c) =>
    Array.from({ length: rows }, () => (rand() < missingRate ? null : (rand() - 0.5) * 10 ** (c % 5) + c)),
  );
  return tableFromColumns(
    columns.map((_, c) => `c${c}`),
    columns,
  );
}

describe('data: column statistics kernel on WebGPU', () => {
  it('runs on the expected adapter', async () => {
    const s = await ctx.session();
    expectExpectedAdapter(s.adapter.architecture);
  });

  it.each([
    ['one row', [[5]]],
    ['all missing', [[null, null, null]]],
    ['constant', [[2, 2, 2, 2]]],
    ['mixed missing', [[1, null, 3, null, 5, 6, null, 8]]],
    ['negatives', [[-1e3, 4, -7.5, 0, 12]]],
    ['33 rows across a mask word', [Array.from({ length: 33 }, (_, i) => (i % 7 === 0 ? null : i * 1.5))]],
  ] as const)('matches the CPU reference: %s', async (_, cols) => {
    const t = tableFromColumns(
      cols.map((_c, i) => `x${i}`),
      cols,
    );
    expectMatches(await columnStatsGpu(await ctx.session(), t), columnStatsRef(t));
  });

  it.each([1, 2, 3, 4])(
    'matches the reference on seeded random 5000x7 with missing values (seed %i)',
    async (seed) => {
      const t = randomTable(seed, 5000, 7, 0.1);
      expectMatches(await columnStatsGpu(await ctx.session(), t), columnStatsRef(t));
    },
  );

  it('stays precise on a column with mean 1e6 and std 1', async () => {
    const rand = mulberry32(7);
    const col = Array.from({ length: 100_000 }, () => 1e6 + (rand() + rand() + rand() - 1.5) * 2);
    const t = tableFromColumns(['big'], [col]);
    const ref = columnStatsRef(t);
    const gpu = await columnStatsGpu(await ctx.session(), t);
    expectMatches(gpu, ref, 1e-9, 1e-3);
    expect(gpu[0]!.variance).toBeGreaterThan(0.9);
    expect(gpu[0]!.variance).toBeLessThan(1.1);
  });

  it('handles 10^7 rows with one readback', async () => {
    const rows = 10_000_000;
    const values = new Float32Array(rows);
    const rand = mulberry32(11);
    for (let i = 0; i < rows; i++) values[i] = rand() * 100 - 20;
    const validity = new Uint32Array(wordsPerColumn(rows)).fill(0xffffffff);
    validity[0] = 0xfffffffe; // row 0 missing
    const t: NumericTable = { rows, names: ['big'], values, validity };
    const counters = newCounters();
    const gpu = await columnStatsGpu(await ctx.session(), t, { counters });
    expectMatches(gpu, columnStatsRef(t), 1e-5, 1e-4);
    expect(gpu[0]!.missing).toBe(1);
    expect(counters.readbacks).toBe(1);
    expect(counters.dispatches).toBe(2);
  });
});
