import type { IDBPDatabase } from 'idb';
import type { TrainApi } from '../../bridge/contracts';
import { DatasetRepo } from '../../db/datasets.repo';
import { RunRepo } from '../../db/runs.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import { loadDataset } from '../preprocess/load';
import type { RunControl, TrainEnv, TrainModel } from './train';

/** Pause / resume / cancel state shared by the API calls and the training loop. */
class Control implements RunControl {
  cancelled = false;
  paused = false;
  private resumeWaiters: (() => void)[] = [];

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const r of this.resumeWaiters.splice(0)) r();
  }

  cancel(): void {
    this.cancelled = true;
    this.resume();
  }

  waitWhilePaused(): Promise<void> {
    if (!this.paused || this.cancelled) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }
}

let runCounter = 0;

/**
 * The training worker's API over the workbench database. `trainModel` is loaded lazily (it pulls in tfjs),
 * `env` says where the WASM binaries are and whether the GPU is a software adapter.
 */
export function createTrainApi(
  db: Promise<IDBPDatabase<WorkbenchDB>>,
  loadTrainer: () => Promise<TrainModel>,
  env: () => Promise<TrainEnv>,
): TrainApi {
  let control: Control | null = null;
  const repos = db.then((d) => ({ datasets: new DatasetRepo(d), runs: new RunRepo(d) }));
  repos.catch(() => undefined);
  return {
    async start(config, onEvent) {
      if (control !== null) throw new WorkbenchError('INVALID_INPUT', 'A training run is already going on');
      const mine = new Control();
      control = mine;
      try {
        const { datasets, runs } = await repos;
        const meta = await datasets.getDataset(config.datasetId);
        if (meta?.status !== 'ready') {
          throw new WorkbenchError('INVALID_INPUT', `No dataset ${config.datasetId} to train on`);
        }
        const data = await loadDataset(meta, (c) => datasets.readColumn(meta.id, c));
        const [trainModel, trainEnv] = await Promise.all([loadTrainer(), env()]);
        const runId = `run-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;
        const outcome = await trainModel(data, config, trainEnv, { onEvent, control: mine, runId });
        await runs.putRun(outcome.record, outcome.weights);
        return outcome.record;
      } finally {
        control = null;
      }
    },
    pause: () => Promise.resolve(control?.pause()),
    resume: () => Promise.resolve(control?.resume()),
    cancel: () => Promise.resolve(control?.cancel()),
    async listRuns() {
      return (await repos).runs.listRuns();
    },
    async deleteRun(id) {
      await (await repos).runs.deleteRun(id);
    },
  };
}
