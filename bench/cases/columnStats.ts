import { columnStatsGpu } from '../../src/engine/data/columnStats.gpu';
import { columnStatsRef } from '../../src/engine/data/columnStats.ref';
import type { ColumnStats } from '../../src/engine/data/runningStat';
import type { NumericTable } from '../../src/engine/data/table';
import type { GpuSession } from '../../src/engine/gpu/context';
import { intParam, randomTable } from '../data';
import { defineCase } from '../runner';

interface State {
  readonly session: GpuSession;
  readonly table: NumericTable;
}

function near(what: string, a: number | null, b: number | null, tol: number): void {
  if (a === null || b === null) {
    if (a !== b) throw new Error(`${what}: ${a} vs ${b}`);
    return;
  }
  if (!(Math.abs(a - b) <= tol)) throw new Error(`${what}: GPU ${a} vs CPU ${b} (tolerance ${tol})`);
}

/** GPU f32 against CPU f64: counts and extremes exact, mean and variance within f32 tolerances. */
function checkStats(gpu: ColumnStats[], ref: ColumnStats[]): void {
  if (gpu.length !== ref.length) throw new Error(`${gpu.length} GPU columns vs ${ref.length} CPU columns`);
  gpu.forEach((g, i) => {
    const r = ref[i]!;
    const where = `column ${r.name}`;
    if (g.count !== r.count || g.missing !== r.missing) {
      throw new Error(`${where}: count/missing ${g.count}/${g.missing} vs ${r.count}/${r.missing}`);
    }
    near(`${where} min`, g.min, r.min, 0);
    near(`${where} max`, g.max, r.max, 0);
    const spread = Math.sqrt(r.variance ?? 0);
    near(`${where} mean`, g.mean, r.mean, Math.max(1e-4 * spread, 1e-5 * Math.abs(r.mean ?? 0)));
    near(`${where} variance`, g.variance, r.variance, Math.max(1e-6, 1e-3 * Math.abs(r.variance ?? 0)));
  });
}

/**
 * Row 1: per-column count, missing, min, max, mean, variance of a seeded random table.
 * Query: `?statsRows=100000&statsCols=8` to change the shape.
 */
export const columnStatsCase = defineCase<State, ColumnStats[], ColumnStats[]>({
  id: 'column-stats',
  description: 'Per-column statistics (Welford, ~5% missing), WGSL kernel vs JS f64 reference',
  labels: { ours: 'columnStatsGpu (WGSL, readback included)', peer: 'columnStatsRef (JS f64 loop)' },
  params: ['statsRows', 'statsCols'],
  setup: ({ session, params }) => ({
    session,
    table: randomTable({
      rows: intParam(params, 'statsRows', 100_000),
      cols: intParam(params, 'statsCols', 8),
      missing: 0.05,
      seed: 20_261_129,
    }),
  }),
  ours: ({ session, table }, counters) => columnStatsGpu(session, table, { counters }),
  peer: ({ table }) => columnStatsRef(table),
  check: checkStats,
  counts: ({ table }) => ({
    rows: table.rows,
    cols: table.names.length,
    inputBytes: table.values.byteLength + table.validity.byteLength,
  }),
});
