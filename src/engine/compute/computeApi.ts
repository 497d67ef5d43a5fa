import type { IDBPDatabase } from 'idb';
import type { ComputeApi, WorkerEvent } from '../../bridge/contracts';
import { DatasetRepo } from '../../db/datasets.repo';
import type { WorkbenchDB } from '../../db/schema';
import type { MonitorService } from '../monitor/service';
import { WorkbenchError } from '../../lib/errors';
import { newDatasetId } from '../../lib/ids';
import { numericTableOf } from '../data/numericTable';
import { computeColumnStats } from '../data/statsService';
import { GpuContext } from '../gpu/context';
import { probeGpu } from '../gpu/probe';
import { loadDataset } from '../preprocess/load';
import { saveRecipeOutput } from '../preprocess/persist';
import { applyRecipeOn, fittedRecipeOf } from '../preprocess/applyService';
import { runRecipeOn } from '../preprocess/service';
import { summarize } from '../preprocess/summary';

/** Builds the compute worker's API over a WebGPU entry point and the workbench database. */
export function createComputeApi(
  gpu: GPU | undefined,
  db: Promise<IDBPDatabase<WorkbenchDB>>,
): Omit<ComputeApi, keyof MonitorService> & { emit(e: WorkerEvent): void } {
  let listener: (e: WorkerEvent) => void = () => undefined;
  const emit = (e: WorkerEvent): void => listener(e);
  const context = new GpuContext(gpu, { onEvent: emit });
  const repo = db.then((d) => new DatasetRepo(d));
  repo.catch(() => undefined); // each call that needs storage reports the failure itself

  return {
    emit,
    probe: () => probeGpu(gpu),
    subscribe(l) {
      listener = l;
    },
    async datasetStats(id, backend) {
      const r = await repo;
      const meta = await r.getDataset(id);
      if (meta === undefined) throw new WorkbenchError('INVALID_INPUT', `No dataset ${id}`);
      const table = await numericTableOf(meta, (column) => r.readColumn(id, column));
      const run = await computeColumnStats(context, table, backend);
      if (backend !== 'cpu') await r.updateStats(id, run.stats);
      return run;
    },
    async runRecipe(id, recipe, options) {
      const r = await repo;
      const meta = await r.getDataset(id);
      if (meta === undefined) throw new WorkbenchError('INVALID_INPUT', `No dataset ${id}`);
      const data = await loadDataset(meta, (column) => r.readColumn(id, column));
      const { run, columns } = await runRecipeOn(context, data, recipe, options.backend);
      const name = options.name?.trim() || `${meta.name} · prepared`;
      const output = options.save
        ? await saveRecipeOutput(r, meta, columns, run.fitted, newDatasetId(), name)
        : null;
      return { ...run, output };
    },
    async applyRecipe(preparedId, targetId, options) {
      const r = await repo;
      const [prepared, target] = await Promise.all([r.getDataset(preparedId), r.getDataset(targetId)]);
      if (prepared === undefined) throw new WorkbenchError('INVALID_INPUT', `No dataset ${preparedId}`);
      if (target === undefined) throw new WorkbenchError('INVALID_INPUT', `No dataset ${targetId}`);
      const fitted = fittedRecipeOf(prepared);
      const data = await loadDataset(target, (column) => r.readColumn(targetId, column));
      const applied = await applyRecipeOn(context, fitted, data, options.backend);
      const name = options.name?.trim() || `${target.name} · ${prepared.name} recipe`;
      const output = await saveRecipeOutput(
        r,
        target,
        applied.columns,
        { ...fitted, split: null },
        newDatasetId(),
        name,
      );
      return {
        output,
        backend: applied.backend,
        adapter: applied.adapter,
        fallbackReason: applied.fallbackReason,
        usage: applied.usage,
        after: summarize(applied.columns, target.rows),
        wallMs: applied.wallMs,
      };
    },
    async injectBadDispatch() {
      const { device } = await context.session();
      const encoder = device.createCommandEncoder({ label: 'Canary.encoder' });
      const pass = encoder.beginComputePass({ label: 'Canary.pass' });
      pass.dispatchWorkgroups(1); // no pipeline set: a validation error, deliberately outside any scope
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}
