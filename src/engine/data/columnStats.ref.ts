import { assertTableShape, isValid, type NumericTable } from './table';
import { emptyStat, finalizeStat, pushStat, type ColumnStats } from './runningStat';

/** CPU reference for column statistics: plain f64 Welford loops. The test oracle and the no-GPU path. */
export function columnStatsRef(t: NumericTable): ColumnStats[] {
  assertTableShape(t);
  return t.names.map((name, c) => {
    const s = emptyStat();
    const base = c * t.rows;
    for (let r = 0; r < t.rows; r++) {
      if (isValid(t, c, r)) pushStat(s, t.values[base + r] ?? 0);
    }
    return finalizeStat(name, t.rows, s);
  });
}
