import { afterAll, describe, expect, it } from 'vitest';
import { columnHistogramsGpu } from '../../src/engine/data/histogram.gpu';
import { columnHistogramsRef } from '../../src/engine/data/histogram.ref';
import { tableFromColumns } from '../../src/engine/data/table';
import { newCounters } from '../../src/engine/gpu/buffers';
import { mulberry32 } from '../../src/lib/random';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

const { ctx, events } = testContext();
afterAll(async () => {
  expect(uncaptured(events)).toEqual([]);
  await ctx.dispose();
});

describe('data: column histogram kernel on WebGPU', () => {
  it('matches the CPU reference bin for bin on edge cases', async () => {
    const s = await ctx.session();
    expectExpectedAdapter(s.adapter.architecture);
    const t = tableFromColumns(
      ['edges', 'constant', 'missing', 'neg'],
      [
        [0, 0.25, 0.5, 0.75, 1, 1, null, 0.999999],
        [3, 3, 3, 3, 3, 3, 3, 3],
        [null, null, null, null, null, null, null, null],
        [-5, -4, -3, -2, -1, 0, 1, 2],
      ],
    );
    const ranges: [number, number][] = [
      [0, 1],
      [3, 3],
      [0, 0],
      [-5, 2],
    ];
    const gpu = await columnHistogramsGpu(s, t, ranges, 4);
    expect(gpu).toEqual(columnHistogramsRef(t, ranges, 4));
    expect(gpu[0]!.counts).toEqual([1, 1, 1, 4]);
    expect(gpu[1]!.counts).toEqual([8, 0, 0, 0]);
  });

  it.each([1, 2, 3])(
    'matches the reference on seeded random 20000x5, 32 bins, in one readback (seed %i)',
    async (seed) => {
      const rand = mulberry32(seed);
      const cols = Array.from({ length: 5 }, (_, c) =>
        Array.from({ length: 20_000 }, () => (rand() < 0.05 ? null : (rand() + rand() - 1) * 10 ** c)),
      );
      const t = tableFromColumns(
        cols.map((_, c) => `c${c}`),
        cols,
      );
      const ranges = cols.map((col): [number, number] => {
        const xs = col.filter((x): x is number => x !== null);
        return [Math.min(...xs), Math.max(...xs)];
      });
      const counters = newCounters();
      const gpu = await columnHistogramsGpu(await ctx.session(), t, ranges, 32, counters);
      expect(gpu).toEqual(columnHistogramsRef(t, ranges, 32));
      expect(counters.readbacks).toBe(1);
    },
  );

  it('splits work under a tiny engine cap and still matches', async () => {
    const { ctx: small } = testContext({ engineCap: 4096 });
    const rand = mulberry32(9);
    const col = Array.from({ length: 5000 }, () => rand() * 100);
    const t = tableFromColumns(['x', 'y'], [col, col.map((x) => -x)]);
    const ranges: [number, number][] = [
      [0, 100],
      [-100, 0],
    ];
    const counters = newCounters();
    const gpu = await small.run((s) => columnHistogramsGpu(s, t, ranges, 16, counters));
    expect(gpu).toEqual(columnHistogramsRef(t, ranges, 16));
    expect(counters.dispatches).toBeGreaterThan(2);
    expect(counters.readbacks).toBe(1);
    await small.dispose();
  });
});
