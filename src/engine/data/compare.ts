import type { ColumnStats } from './runningStat';

/** Largest relative difference between two statistics lists over mean, variance, min and max. */
export function maxRelativeDifference(a: readonly ColumnStats[], b: readonly ColumnStats[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i];
    if (y === undefined || x.count !== y.count) {
      worst = Infinity;
      return;
    }
    for (const key of ['mean', 'variance', 'min', 'max'] as const) {
      const u = x[key];
      const v = y[key];
      if (u === null || v === null) {
        if (u !== v) worst = Infinity;
        continue;
      }
      const scale = Math.max(Math.abs(u), Math.abs(v), 1e-12);
      worst = Math.max(worst, Math.abs(u - v) / scale);
    }
  });
  return worst;
}
