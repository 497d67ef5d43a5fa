import type { BackendChoice, StatsRun } from '../../bridge/contracts';
import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import { newCounters } from '../gpu/buffers';
import type { GpuContext } from '../gpu/context';
import { PassTimer } from '../gpu/timing';
import { columnStatsGpu } from './columnStats.gpu';
import { columnStatsRef } from './columnStats.ref';
import type { NumericTable } from './table';

/** Codes after which 'auto' runs the job on the CPU instead of failing. */
const FALLBACK_CODES = new Set(['GPU_UNAVAILABLE', 'GPU_DEVICE_LOST', 'GPU_LIMIT', 'GPU_OUT_OF_MEMORY']);

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
      const { stats, session, timings } = await gpu.run(async (session) => {
        const timer = PassTimer.create(session.device);
        const stats = await columnStatsGpu(session, table, { counters, timer });
        return { stats, session, timings: timer ? await timer.durations() : {} };
      });
      return {
        stats,
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
      if (backend === 'webgpu' || !FALLBACK_CODES.has(err.code)) throw err;
      return cpuRun(table, start, `${err.message} — computed on the CPU instead`);
    }
  }
  return cpuRun(table, start, null);
}

function cpuRun(table: NumericTable, start: number, fallbackReason: string | null): StatsRun {
  return {
    stats: columnStatsRef(table),
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
