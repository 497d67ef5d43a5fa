import { describe, expect, it } from 'vitest';
import { columnStatsRef } from '../../src/engine/data/columnStats.ref';
import { emptyStat, mergeStats, pushStat } from '../../src/engine/data/runningStat';
import { tableFromColumns } from '../../src/engine/data/table';
import { mulberry32 } from '../../src/lib/random';

describe('data: column statistics CPU reference', () => {
  it('computes count, missing, extremes, mean and sample variance', () => {
    const t = tableFromColumns(
      ['x', 'y'],
      [
        [1, 2, 3, 4, null],
        [null, null, 10, null, null],
      ],
    );
    const [x, y] = columnStatsRef(t);
    expect(x).toEqual({ name: 'x', count: 4, missing: 1, min: 1, max: 4, mean: 2.5, variance: 5 / 3 });
    expect(y).toEqual({ name: 'y', count: 1, missing: 4, min: 10, max: 10, mean: 10, variance: null });
  });

  it('treats NaN and Infinity in input as missing, never as values', () => {
    const [s] = columnStatsRef(tableFromColumns(['x'], [[1, NaN, Infinity, 3]]));
    expect(s).toMatchObject({ count: 2, missing: 2, mean: 2 });
  });

  it('merging halves (Chan) equals one pass (Welford)', () => {
    const rand = mulberry32(5);
    const xs = Array.from({ length: 1001 }, () => 1e6 + rand());
    const all = emptyStat();
    const a = emptyStat();
    const b = emptyStat();
    xs.forEach((x, i) => {
      pushStat(all, x);
      pushStat(i < 400 ? a : b, x);
    });
    const m = mergeStats(a, b);
    expect(m.n).toBe(all.n);
    expect(m.mean).toBeCloseTo(all.mean, 6);
    expect(m.m2 / all.m2).toBeCloseTo(1, 9);
  });

  it('rejects columns of different lengths', () => {
    expect(() => tableFromColumns(['a', 'b'], [[1, 2], [1]])).toThrow(/has 1 rows, expected 2/);
  });
});
