import { WorkbenchError } from '../../lib/errors';
import type { GpuSession } from '../gpu/context';
import {
  checkCodeCounts,
  checkFitRows,
  checkOutputs,
  checkProgram,
  checkQuantiles,
  checkWorkTable,
} from './gpu/checks';
import { gpuCodeCounts } from './gpu/codeCounts';
import { gpuMoments } from './gpu/moments';
import { gpuQuantiles } from './gpu/quantiles';
import { createResident } from './gpu/resident';
import { gpuRun } from './gpu/run';
import type { PreprocessBackend, WorkTable } from './program';

/**
 * The WebGPU preprocess backend. The table (values, validity, codes) is uploaded once here, in row blocks that
 * fit the buffer budget, and stays resident until dispose(). Statistics run the program's passes into resident
 * scratch buffers and reduce them there, reading back only the small results; run() reads back once per block.
 */
export async function createGpuBackend(session: GpuSession, table: WorkTable): Promise<PreprocessBackend> {
  checkWorkTable(table);
  const res = await createResident(session, table);
  let disposed = false;
  const live = (): void => {
    if (disposed) throw new WorkbenchError('INVALID_INPUT', 'The GPU preprocess backend was disposed');
  };
  return {
    kind: 'webgpu',
    moments: async (program, fitRows, outputs) => {
      live();
      checkProgram(table, program);
      checkFitRows(table, fitRows);
      checkOutputs(program, outputs);
      return gpuMoments(res, program, fitRows, outputs);
    },
    quantiles: async (program, fitRows, queries) => {
      live();
      checkProgram(table, program);
      checkFitRows(table, fitRows);
      checkQuantiles(program, queries);
      return gpuQuantiles(res, program, fitRows, queries);
    },
    codeCounts: async (fitRows, queries) => {
      live();
      checkFitRows(table, fitRows);
      checkCodeCounts(table, queries);
      return gpuCodeCounts(res, fitRows, queries);
    },
    run: async (program) => {
      live();
      checkProgram(table, program);
      return gpuRun(res, program);
    },
    dispose: () => {
      disposed = true;
      res.destroy();
    },
  };
}
