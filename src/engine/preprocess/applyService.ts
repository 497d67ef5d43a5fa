import type { BackendChoice } from '../../bridge/contracts';
import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import type { DatasetMeta } from '../data/dataset';
import { CPU_FALLBACK_CODES, type GpuContext } from '../gpu/context';
import { newUsage, usageSince, type DeviceUsage } from '../gpu/instrument';
import type { AdapterSummary } from '../gpu/probe';
import { applyFittedRecipe } from './apply';
import { createCpuBackend } from './cpuBackend';
import type { FittedRecipe } from './fitted';
import { createGpuBackend } from './gpuBackend';
import { createCpuImageBackend } from './imageCpu';
import { createGpuImageBackend } from './imageGpu';
import type { LoadedColumn, LoadedDataset } from './load';

/** A fitted recipe applied to other data, and where it ran. */
export interface AppliedRecipe {
  readonly columns: readonly LoadedColumn[];
  readonly fitted: FittedRecipe;
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: AdapterSummary | null;
  readonly fallbackReason: string | null;
  readonly usage: DeviceUsage;
  readonly wallMs: number;
}

/** The fitted recipe a recipe's output snapshot carries in its lineage, or a clear error. */
export function fittedRecipeOf(meta: DatasetMeta): FittedRecipe {
  const recipe = meta.parent?.recipe as Partial<FittedRecipe> | undefined;
  if (recipe?.version !== 1 || recipe.program === undefined || recipe.input === undefined) {
    throw new WorkbenchError('INVALID_INPUT', `“${meta.name}” was not written by a preprocessing recipe`);
  }
  return recipe as FittedRecipe;
}

/**
 * Applies a stored fitted recipe to another dataset with the same columns: nothing is refitted, rows keep
 * their order, no split and no augmentation (inference-time preparation). GPU first under 'auto'.
 */
export async function applyRecipeOn(
  gpu: GpuContext,
  fitted: FittedRecipe,
  data: LoadedDataset,
  backend: BackendChoice,
): Promise<AppliedRecipe> {
  const start = performance.now();
  const cpu = async (fallbackReason: string | null): Promise<AppliedRecipe> => {
    const columns = await applyFittedRecipe(
      fitted,
      data,
      (t) => Promise.resolve(createCpuBackend(t)),
      createCpuImageBackend(),
    );
    return {
      columns,
      fitted,
      backend: 'cpu',
      adapter: null,
      fallbackReason,
      usage: newUsage(),
      wallMs: performance.now() - start,
    };
  };
  if (backend === 'cpu') return cpu(null);
  try {
    return await gpu.run(async (s) => {
      const before = { ...s.usage };
      const columns = await applyFittedRecipe(
        fitted,
        data,
        (t) => createGpuBackend(s, t),
        await createGpuImageBackend(s),
      );
      return {
        columns,
        fitted,
        backend: 'webgpu' as const,
        adapter: s.adapter,
        fallbackReason: null,
        usage: usageSince(before, s.usage),
        wallMs: performance.now() - start,
      };
    });
  } catch (e) {
    const err = toWorkbenchError(e);
    if (backend === 'webgpu' || !CPU_FALLBACK_CODES.has(err.code)) throw err;
    return cpu(`${err.message} — the CPU reference applied the recipe instead`);
  }
}
