import type { IDBPDatabase } from 'idb';
import type { TrainApi } from '../../bridge/contracts';
import { CheckpointRepo } from '../../db/checkpoints.repo';
import { DatasetRepo } from '../../db/datasets.repo';
import { RunRepo } from '../../db/runs.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import { loadDataset } from '../preprocess/load';
import { exportRunOnnx, exportRunPredictions } from './exportRun';
import type { RunRecord, TrainEvent } from './run';
import type { TrainConfig } from './spec';
import type { Checkpoint, RunControl, TrainEnv, TrainModel } from './train';

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
  /** The run going on now (its checkpoint is not an interrupted one). */
  let activeRun: string | null = null;
  const repos = db.then((d) => ({
    datasets: new DatasetRepo(d),
    runs: new RunRepo(d),
    checkpoints: new CheckpointRepo(d),
  }));
  repos.catch(() => undefined);

  /**
   * Trains `config` as run `runId` (from `resume` when given), checkpointing every epoch. The checkpoint is
   * deleted once the run is stored (finished or cancelled) or has failed for good; a reload or a crash of
   * the page leaves it for resumeRun.
   */
  const run = async (
    config: TrainConfig,
    runId: string,
    resume: Checkpoint | null,
    onEvent: (e: TrainEvent) => void,
  ): Promise<RunRecord> => {
    if (control !== null) throw new WorkbenchError('INVALID_INPUT', 'A training run is already going on');
    const mine = new Control();
    control = mine;
    activeRun = runId;
    const { datasets, runs, checkpoints } = await repos.catch((e: unknown) => {
      control = activeRun = null;
      throw e;
    });
    try {
      const meta = await datasets.getDataset(config.datasetId);
      if (meta?.status !== 'ready') {
        throw new WorkbenchError('INVALID_INPUT', `No dataset ${config.datasetId} to train on`);
      }
      const data = await loadDataset(meta, (c) => datasets.readColumn(meta.id, c));
      const [trainModel, trainEnv] = await Promise.all([loadTrainer(), env()]);
      const outcome = await trainModel(data, config, trainEnv, {
        onEvent,
        control: mine,
        runId,
        resume,
        checkpoints,
      });
      await runs.putRun(outcome.record, outcome.weights);
      await checkpoints.delete(runId);
      return outcome.record;
    } catch (e) {
      await checkpoints.delete(runId).catch(() => undefined);
      throw e;
    } finally {
      control = activeRun = null;
    }
  };

  return {
    start(config, onEvent) {
      const runId = `run-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;
      return run(config, runId, null, onEvent);
    },
    async resumeRun(runId, onEvent) {
      if (control !== null) throw new WorkbenchError('INVALID_INPUT', 'A training run is already going on');
      const checkpoint = await (await repos).checkpoints.get(runId);
      if (checkpoint === undefined) {
        throw new WorkbenchError('INVALID_INPUT', `No checkpoint of run ${runId} to resume from`);
      }
      return run(checkpoint.config, runId, checkpoint, onEvent);
    },
    async interruptedRuns() {
      const { runs, checkpoints } = await repos;
      const stored = new Set((await runs.listRuns()).map((r) => r.id));
      const out = [];
      for (const c of await checkpoints.list()) {
        if (c.runId === activeRun) continue;
        // Stored already (the page went away between storing the run and deleting its checkpoint).
        if (stored.has(c.runId)) {
          await checkpoints.delete(c.runId);
          continue;
        }
        out.push({
          runId: c.runId,
          name: c.name,
          datasetId: c.datasetId,
          epoch: c.epoch,
          epochs: c.config.epochs,
          backend: c.backend,
          savedAt: c.savedAt,
        });
      }
      return out;
    },
    async discardRun(runId) {
      await (await repos).checkpoints.delete(runId);
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
    async exportOnnx(runId) {
      return exportRunOnnx(await repos, runId);
    },
    async predictions(runId, datasetId, format) {
      // Predictions switch tfjs's backend, which a run in progress is using.
      if (control !== null) throw new WorkbenchError('INVALID_INPUT', 'Predictions wait for the run to end');
      return exportRunPredictions(await repos, env, runId, datasetId, format);
    },
  };
}
