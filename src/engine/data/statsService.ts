import type { BackendChoice, StatsRun } from '../../bridge/contracts';
import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import { newCounters } from '../gpu/buffers';
import { CPU_FALLBACK_CODES, type GpuContext } from '../gpu/context';
import { PassTimer } from '../gpu/timing';
import { columnStatsGpu } from './columnStats.gpu';
import { columnStatsRef } from './columnStats.ref';
import { columnHistogramsGpu } from './histogram.gpu';
import { columnHistogramsRef } from './histogram.ref';
import type { ColumnStats } from './runningStat';
import type { NumericTable } from './table';

/** Column statistics on the chosen backend; 'auto' falls back to the CPU reference and says why. */
export async function computeColumnStats(
  gpu: GpuContext,
  table: NumericTable,
  backend: BackendChoice,
): Promise<StatsRun> {
  const start = performance.now();
  if (backend !== 'cpu') {
    const counters = newCounters();
    try {
      const { stats, histograms, session, timings } = await gpu.run(async (session) => {
        const timer = PassTimer.create(session.device);
        const stats = await columnStatsGpu(session, table, { counters, timer });
        const histograms = await columnHistogramsGpu(
          session,
          table,
          rangesOf(stats),
          HISTOGRAM_BINS,
          counters,
        );
        return { stats, histograms, session, timings: timer ? await timer.durations() : {} };
      });
      return {
        stats,
        histograms,
        backend: 'webgpu',
        adapter: session.adapter,
        deviceGeneration: session.generation,
        fallbackReason: null,
        counters,
        gpuTimingsMs: timings,
        wallMs: performance.now() - start,
      };
    } catch (e) {
      const err = toWorkbenchError(e);
      if (backend === 'webgpu' || !CPU_FALLBACK_CODES.has(err.code)) throw err;
      return cpuRun(table, start, `${err.message} — computed on the CPU instead`);
    }
  }
  return cpuRun(table, start, null);
}

/** Bins of the per-column histograms shown with the statistics. */
export const HISTOGRAM_BINS = 20;

/** Histogram ranges: each column's [min, max] (empty columns get [0, 0]). */
function rangesOf(stats: readonly ColumnStats[]): [number, number][] {
  return stats.map((s) => [s.min ?? 0, s.max ?? 0]);
}

function cpuRun(table: NumericTable, start: number, fallbackReason: string | null): StatsRun {
  const stats = columnStatsRef(table);
  return {
    stats,
    histograms: columnHistogramsRef(table, rangesOf(stats), HISTOGRAM_BINS),
    backend: 'cpu',
    adapter: null,
    deviceGeneration: null,
    fallbackReason,
    counters: newCounters(),
    gpuTimingsMs: {},
    wallMs: performance.now() - start,
  };
}

/** Throws a clear error for an unknown data set id. */
export function missingDataset(id: string): WorkbenchError {
  return new WorkbenchError('INVALID_INPUT', `No data set with id "${id}" is loaded`);
}
