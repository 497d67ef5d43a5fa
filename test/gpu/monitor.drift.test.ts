import { afterAll, describe, expect, it } from 'vitest';
import { newCounters } from '../../src/engine/gpu/buffers';
import { driftCountsGpu } from '../../src/engine/monitor/driftGpu';
import { countsCpu, type FeatureInput } from '../../src/engine/monitor/report';
import { distributionOf } from '../../src/engine/train/reference';
import { mulberry32 } from '../../src/lib/random';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

const { ctx, events } = testContext();
afterAll(async () => {
  expect(uncaptured(events)).toEqual([]);
  await ctx.dispose();
});

/** A feature: training values (kept or not) and compared values drawn with an offset and ties. */
function feature(name: string, seed: number, n: number, m: number, shift: number, keep = true): FeatureInput {
  const rand = mulberry32(seed);
  const draw = (k: number, s: number) =>
    Float32Array.from({ length: k }, () => Math.round((rand() + rand() + rand() + s) * 200) / 100);
  const train = draw(n, 0);
  return {
    reference: distributionOf(name, train, 0, 1),
    refValues: keep ? train : null,
    curValues: draw(m, shift),
  };
}

const D_TOLERANCE = 1e-6;

describe('monitor: drift kernels on WebGPU', () => {
  it('match the CPU reference on edge cases (ties, out of range, constant, empty)', async () => {
    const s = await ctx.session();
    expectExpectedAdapter(s.adapter.architecture);
    const ref = Float32Array.from([0, 0.25, 0.5, 0.75, 1, 1, 1]);
    const constant = Float32Array.from([3, 3, 3, 3]);
    const inputs: FeatureInput[] = [
      {
        reference: distributionOf('edges', ref, 0, 1, 4),
        refValues: ref,
        curValues: Float32Array.from([-1, 0, 0.5, 1, 2, 2]),
      },
      {
        reference: distributionOf('constant', constant, 0, 1, 4),
        refValues: constant,
        curValues: Float32Array.from([3, 3, 4]),
      },
      { reference: distributionOf('empty', ref, 0, 1, 4), refValues: ref, curValues: new Float32Array(0) },
      {
        reference: distributionOf('binned', ref, 0, 1, 4),
        refValues: null,
        curValues: Float32Array.from([0.1, 0.9]),
      },
    ];
    const gpu = await driftCountsGpu(s, inputs);
    const cpu = inputs.map(countsCpu);
    gpu.forEach((g, f) => {
      expect(g.refCounts).toEqual(cpu[f]!.refCounts);
      expect(g.curCounts).toEqual(cpu[f]!.curCounts);
      if (Number.isNaN(cpu[f]!.ks)) expect(g.ks).toBeNaN();
      else expect(Math.abs(g.ks - cpu[f]!.ks)).toBeLessThanOrEqual(D_TOLERANCE);
    });
    expect(gpu[0]!.curCounts).toEqual([2, 0, 1, 3]);
    expect(gpu[0]!.ks).toBeCloseTo(cpu[0]!.ks, 6);
  });

  it.each([1, 2, 3])(
    'matches on seeded 30 features × 20000 vs 8000 rows, 20 bins (seed %i)',
    async (seed) => {
      const inputs = Array.from({ length: 30 }, (_, j) =>
        feature(`f${j}`, seed * 100 + j, 20_000, 8_000, j % 7 === 0 ? 0.4 : 0, j !== 5),
      );
      const counters = newCounters();
      const gpu = await ctx.run((s) => driftCountsGpu(s, inputs, counters));
      const cpu = inputs.map(countsCpu);
      let worst = 0;
      gpu.forEach((g, f) => {
        expect(g.refCounts).toEqual(cpu[f]!.refCounts);
        expect(g.curCounts).toEqual(cpu[f]!.curCounts);
        worst = Math.max(worst, Math.abs(g.ks - cpu[f]!.ks));
      });
      expect(worst).toBeLessThanOrEqual(D_TOLERANCE);
      expect(cpu[0]!.ks).toBeGreaterThan(0.1); // the shifted features do differ
      expect(counters.dispatches).toBe(2);
      expect(counters.readbacks).toBe(2);
    },
  );

  it('splits features into groups under a tiny engine cap and still matches', async () => {
    const { ctx: small } = testContext({ engineCap: 64 * 1024 });
    const inputs = Array.from({ length: 6 }, (_, j) => feature(`g${j}`, 40 + j, 5000, 3000, j * 0.1));
    const counters = newCounters();
    const gpu = await small.run((s) => driftCountsGpu(s, inputs, counters));
    const cpu = inputs.map(countsCpu);
    gpu.forEach((g, f) => {
      expect(g.curCounts).toEqual(cpu[f]!.curCounts);
      expect(g.refCounts).toEqual(cpu[f]!.refCounts);
      expect(Math.abs(g.ks - cpu[f]!.ks)).toBeLessThanOrEqual(D_TOLERANCE);
    });
    expect(counters.dispatches).toBeGreaterThan(2);
    await small.dispose();
  });
});
