/**
 * The training loop with checkpoints: after every epoch the run's whole state goes to a CheckpointSink
 * (IndexedDB in the app), and when the backend fails mid-run (a lost WebGPU device: tfjs's webgpu backend
 * has no recovery of its own) the loop restarts from the last checkpoint on a re-initialised backend, the
 * same one if it comes back, else the next of the fallback chain. A failure in the first epoch restarts from
 * the initial weights, kept as arrays for that purpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WorkbenchError } from '../../../lib/errors';
import type { TrainBackend } from '../spec';
import type { Checkpoint, CheckpointSink, TrainEnv } from '../train';
import { initBackend, type BackendChoice } from './backend';
import { trainLoop, type LoopOptions, type LoopResult, type LoopState } from './loop';
import { readWeights } from './model';

/** Restarts after a failure at most this many times per run. */
const MAX_RECOVERIES = 2;

export interface CheckpointedRun {
  /** The loop's options, less what this module supplies. */
  readonly loop: Omit<LoopOptions, 'resumeFrom' | 'onCheckpoint' | 'failure'>;
  readonly runId: string;
  readonly name: string;
  readonly datasetId: string;
  readonly createdAt: number;
  /** Training time (ms) before this session: a resumed checkpoint's. */
  readonly elapsedMs: number;
  readonly resume: Checkpoint | null;
  readonly sink: CheckpointSink | null;
  /** The backend running now, and what a restart needs. */
  readonly backend: BackendChoice;
  readonly env: TrainEnv;
  readonly kernels: readonly string[];
  /** Where recovery notices go (the run's notices); a resumed checkpoint's earlier ones are added first. */
  readonly notices: string[];
}

export type CheckpointedResult = LoopResult & BackendChoice;

/** Watches the current backend's WebGPU device (if any): `failure()` says why once it is lost. */
function watchDevice(): { failure: () => string | null; close: () => void } {
  let lost: string | null = null;
  let open = true;
  const device =
    tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: GPUDevice }).device : undefined;
  void device?.lost.then((info) => {
    if (open) lost = `the WebGPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''})`;
  });
  return {
    failure: () => lost,
    close: () => void (open = false),
  };
}

/**
 * Starts `kind` again after a failure. A WebGPU backend is dropped and re-registered with its factory, which
 * asks for a new adapter and device; others are kept. Falls back along the chain when it does not come back.
 */
async function restartBackend(
  was: BackendChoice,
  env: TrainEnv,
  kernels: readonly string[],
  why: string,
): Promise<BackendChoice> {
  const kind: TrainBackend = was.backend;
  if (kind === 'webgpu') {
    const factory = tf.findBackendFactory('webgpu') as
      (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null;
    try {
      tf.removeBackend('webgpu');
    } catch {
      // a lost device may fail to release its resources: it is gone either way
    }
    if (factory) tf.registerBackend('webgpu', factory, 3);
  }
  const next = await initBackend(kind, env, kernels);
  if (next.backend === kind) return was;
  return {
    backend: next.backend,
    fallbackReason: `${why[0]!.toUpperCase()}${why.slice(1)} and ${kind} did not come back: ${next.fallbackReason ?? ''}`,
  };
}

/** The loop's state in a checkpoint (the rest is the run's identity). */
function stateOf(c: Checkpoint): LoopState {
  const { epoch, step, weights, optimizer, best, patience, stopped, history, firstSteps, ema } = c;
  return { epoch, step, weights, optimizer, best, patience, stopped, history, firstSteps, ema };
}

/** Runs the training loop with a checkpoint after every epoch, restarting from the last one on a failure. */
export async function trainWithCheckpoints(r: CheckpointedRun): Promise<CheckpointedResult> {
  const t0 = performance.now();
  const recoveries: string[] = [...(r.resume?.recoveries ?? [])];
  r.notices.push(...recoveries);
  let choice = r.backend;
  const checkpoint = (s: LoopState): Checkpoint => ({
    runId: r.runId,
    name: r.name,
    config: r.loop.config,
    datasetId: r.datasetId,
    ...s,
    backend: choice.backend,
    fallbackReason: choice.fallbackReason,
    recoveries: [...recoveries],
    createdAt: r.createdAt,
    elapsedMs: r.elapsedMs + performance.now() - t0,
    savedAt: Date.now(),
  });
  // The state a failure restarts from: the resumed checkpoint, or the initial weights and a fresh optimizer.
  let last: Checkpoint =
    r.resume ??
    checkpoint({
      epoch: 0,
      step: 0,
      weights: await readWeights(r.loop.net),
      optimizer: [],
      best: null,
      patience: 0,
      stopped: false,
      history: [],
      firstSteps: [],
      ema: 0,
    });
  let resumeFrom: LoopState | null = r.resume ? stateOf(r.resume) : null;
  for (let attempt = 0; ; attempt++) {
    const watch = watchDevice();
    try {
      const result = await trainLoop({
        ...r.loop,
        resumeFrom,
        failure: watch.failure,
        onCheckpoint: async (s) => {
          const c = checkpoint(s);
          await r.sink?.save(c);
          last = c;
        },
      });
      return { ...result, ...choice };
    } catch (e) {
      const lost = watch.failure();
      // Storage errors (quota...) and cancellations are not the backend's: no restart.
      if (attempt >= MAX_RECOVERIES || r.loop.control.cancelled || e instanceof WorkbenchError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const epoch = last.epoch + 1;
      const failed = choice.backend;
      choice = await restartBackend(choice, r.env, r.kernels, lost ?? `the ${failed} backend failed`);
      const note =
        lost !== null
          ? `GPU device lost at epoch ${epoch}; resumed from the checkpoint on ${choice.backend}.`
          : `The ${failed} backend failed at epoch ${epoch} (${message}); resumed from the checkpoint on ${choice.backend}.`;
      recoveries.push(note);
      r.notices.push(note);
      resumeFrom = stateOf(last);
    } finally {
      watch.close();
    }
  }
}
