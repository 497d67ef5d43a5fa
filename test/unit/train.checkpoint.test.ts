/**
 * Checkpoints and resume, on tfjs's WASM backend (as in train.acceptance.test.ts) with checkpoints in
 * fake-indexeddb through the app's CheckpointRepo. A run cancelled after an epoch leaves its checkpoint, as a
 * page reload would; resumed from it, the run ends exactly as the uninterrupted run does: every epoch's
 * losses and metrics, the first steps, the test evaluation and the weights. Dropout and Adam make the
 * random state and the optimizer state matter, and resuming without the optimizer state is shown to differ.
 */
import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointRepo } from '../../src/db/checkpoints.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { LoadedDataset } from '../../src/engine/preprocess/load';
import type { RunRecord, TrainEvent } from '../../src/engine/train/run';
import type { TrainConfig } from '../../src/engine/train/spec';
import type { Checkpoint, CheckpointSink, RunControl, TrainOutcome } from '../../src/engine/train/train';
import { trainModel } from '../../src/engine/train/trainer';
import { loadSample } from '../support/recipeData';
import { NODE_TRAIN_ENV } from '../support/trainWasm';

const env = NODE_TRAIN_ENV;

const config: TrainConfig = {
  datasetId: 'iris',
  target: 'target',
  task: 'auto',
  model: { kind: 'mlp', hidden: [{ units: 16, activation: 'relu', dropout: 0.3 }] },
  loss: 'auto',
  optimizer: { kind: 'adam', learningRate: 0.02 },
  batchSize: 16,
  epochs: 12,
  // Tracks the best weights (restored at the end) without stopping: that state goes through checkpoints too.
  earlyStopping: { patience: 50 },
  classWeights: 'none',
  seed: 11,
  backend: 'wasm',
};

/** Everything of a run that must not depend on an interruption (timings left out). */
function outcomeOf({ record, weights }: TrainOutcome) {
  return {
    history: record.history.map((h) => [h.epoch, h.trainLoss, h.trainMetric, h.valLoss, h.valMetric]),
    firstSteps: record.firstSteps,
    evaluation: record.evaluation,
    status: record.status,
    weights,
  };
}

interface Options {
  readonly control?: RunControl;
  readonly resume?: Checkpoint | null;
  readonly sink?: CheckpointSink | null;
  readonly onEvent?: (e: TrainEvent) => void;
}

const running: RunControl = { cancelled: false, waitWhilePaused: () => Promise.resolve() };

function train(data: LoadedDataset, runId: string, o: Options = {}): Promise<TrainOutcome> {
  return trainModel(data, config, env, {
    onEvent: o.onEvent ?? (() => undefined),
    control: o.control ?? running,
    runId,
    resume: o.resume ?? null,
    checkpoints: o.sink ?? null,
  });
}

/** A control cancelled (as a reload would end the run) once epoch `after` has been reported. */
function cancelAfter(after: number): { control: RunControl; onEvent: (e: TrainEvent) => void } {
  let cancelled = false;
  return {
    control: {
      get cancelled() {
        return cancelled;
      },
      waitWhilePaused: () => Promise.resolve(),
    },
    onEvent: (e) => {
      if (e.type === 'epoch' && e.record.epoch === after) cancelled = true;
    },
  };
}

describe('train: checkpoints and resume (WASM, fake-indexeddb)', { timeout: 60_000 }, () => {
  let data: LoadedDataset;
  let reference: TrainOutcome;
  let repo: CheckpointRepo;
  let saved: Checkpoint;

  beforeAll(async () => {
    data = await loadSample('iris.csv');
    data = { ...data, meta: { ...data.meta, id: 'iris' } };
    reference = await train(data, 'uninterrupted');
    repo = new CheckpointRepo(await openWorkbenchDb({ factory: new IDBFactory() }));
  });

  it('the uninterrupted reference run trains on WASM with dropout and Adam', () => {
    expect(reference.record.backend).toBe('wasm');
    expect(reference.record.history).toHaveLength(12);
    expect(reference.record.status).toBe('completed');
  });

  it('a run stopped after epoch 5 leaves one checkpoint, replaced each epoch, with the whole state', async () => {
    const saves: number[] = [];
    const stop = cancelAfter(4);
    const sink: CheckpointSink = {
      save: async (c) => {
        saves.push(c.epoch);
        await repo.save(c);
      },
    };
    const cut = await train(data, 'cut', { ...stop, sink });
    expect(cut.record.status).toBe('cancelled');
    expect(cut.record.history).toHaveLength(5);
    expect(saves).toEqual([1, 2, 3, 4, 5]);
    const all = await repo.list();
    expect(all.map((c) => c.runId)).toEqual(['cut']);
    saved = (await repo.get('cut'))!;
    expect(saved).toMatchObject({
      runId: 'cut',
      name: 'mlp 16 · iris',
      datasetId: 'iris',
      epoch: 5,
      step: 5 * Math.ceil(cut.record.rows.train / 16),
      backend: 'wasm',
      stopped: false,
    });
    expect(saved.config).toEqual(config);
    expect(saved.history).toEqual(cut.record.history);
    expect(saved.weights.map((w) => w.shape)).toEqual([[4, 16], [16], [16, 3], [3]]);
    // Adam: iterations, first and second moments of the 4 variables, β1^t and β2^t.
    expect(saved.optimizer.map((w) => w.name)[0]).toBe('iter');
    expect(saved.optimizer).toHaveLength(1 + 8 + 2);
    expect(saved.optimizer[0]!.data[0]).toBe(saved.step);
    expect(saved.best?.weights).toHaveLength(4);
    expect(saved.weights[0]!.data).toBeInstanceOf(Float32Array); // as IndexedDB stored it
  });

  it('resumed from that checkpoint, the run ends exactly as the uninterrupted one', async () => {
    const events: TrainEvent[] = [];
    const resumed = await train(data, 'cut', { resume: saved, onEvent: (e) => events.push(e) });
    expect(resumed.record.id).toBe('cut');
    expect(resumed.record.backend).toBe('wasm');
    expect(outcomeOf(resumed)).toEqual(outcomeOf(reference));
    // The epochs done before are reported again first, so the page's charts start where the run was.
    const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.record.epoch] : []));
    expect(epochs).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const steps = events.flatMap((e) => (e.type === 'batches' ? e.points.map((p) => p.step) : []));
    expect(steps[0]).toBe(saved.step);
    expect(resumed.record.createdAt).toBe(saved.createdAt);
  });

  it('the test can fail: resuming without the optimizer state (or Adam’s β powers), or at another step, ends differently', async () => {
    const noOptimizer = await train(data, 'cut', { resume: { ...saved, optimizer: [] } });
    expect(outcomeOf(noOptimizer).history).not.toEqual(outcomeOf(reference).history);
    // tfjs's own setWeights recomputes Adam's β1^t, β2^t as pow(): not bit-equal to the running product.
    const slotsOnly = saved.optimizer.filter((w) => !w.name.startsWith('__'));
    const noBetas = await train(data, 'cut', { resume: { ...saved, optimizer: slotsOnly } });
    expect(outcomeOf(noBetas).history).not.toEqual(outcomeOf(reference).history);
    const otherStep = await train(data, 'cut', { resume: { ...saved, step: saved.step + 1 } });
    expect(outcomeOf(otherStep).history).not.toEqual(outcomeOf(reference).history);
  });

  it('a backend failure mid-run restarts from the last checkpoint, says so, and ends as the uninterrupted run', async () => {
    let failAt = -1;
    let calls = 0;
    const control: RunControl = {
      cancelled: false,
      waitWhilePaused: () => {
        calls++;
        if (calls === failAt) return Promise.reject(new Error('injected backend failure'));
        return Promise.resolve();
      },
    };
    const onEvent = (e: TrainEvent): void => {
      // Fails at the third batch of epoch 7 (1-based), once.
      if (e.type === 'epoch' && e.record.epoch === 5 && failAt < 0) failAt = calls + 3;
    };
    const saves: number[] = [];
    const recovered = await train(data, 'recover', {
      control,
      onEvent,
      sink: { save: (c) => Promise.resolve(void saves.push(c.epoch)) },
    });
    expect(outcomeOf(recovered)).toEqual(outcomeOf(reference));
    expect(recovered.record.notices).toContain(
      'The wasm backend failed at epoch 7 (injected backend failure); resumed from the checkpoint on wasm.',
    );
    expect(saves).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('a failure in the first epoch restarts from the initial weights', async () => {
    let calls = 0;
    const control: RunControl = {
      cancelled: false,
      waitWhilePaused: () => (++calls === 2 ? Promise.reject(new Error('early failure')) : Promise.resolve()),
    };
    const recovered = await train(data, 'early', { control });
    expect(outcomeOf(recovered)).toEqual(outcomeOf(reference));
    expect(recovered.record.notices.join('\n')).toMatch(/failed at epoch 1 \(early failure\)/);
  });

  it('a resumed checkpoint that early stopping had already stopped goes straight to evaluation', async () => {
    const stopped = { ...saved, stopped: true };
    const r: RunRecord = (await train(data, 'cut', { resume: stopped })).record;
    expect(r.status).toBe('early-stopped');
    expect(r.history).toHaveLength(5);
    expect(r.evaluation).not.toBeNull();
  });
});
