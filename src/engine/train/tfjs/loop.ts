/**
 * The training loop: our own seeded batch order, one optimizer step per batch, validation after each
 * epoch, early stopping with the best weights kept, pause / cancel between batches, and throttled events.
 * Batch losses stay on the device until a flush (at most every ~250 ms and at each epoch's end), so a
 * WebGPU run does not stall on a readback per batch. With `onCheckpoint`, the full state (weights, optimizer
 * slots, early stopping, history, step) is handed over as plain arrays after every epoch; `resumeFrom` starts
 * from such a state and replays the remaining epochs exactly (batch order and dropout depend only on seed,
 * epoch and step).
 */
import * as tf from '@tensorflow/tfjs-core';
import { epochOrder } from '../batching';
import type { BatchPoint, EpochRecord, TrainEvent } from '../run';
import type { OptimizerSpec, TrainConfig } from '../spec';
import type { Checkpoint, RunControl, WeightTensor } from '../train';
import { fromArrays, readOptimizer, restoreOptimizer, toArrays } from './checkpointState';
import { metricSum, perSampleLoss, type LossKind } from './loss';
import { readWeights, restore, snapshot, type Net } from './model';

/** The loop's own state after an epoch: what a checkpoint holds besides the run's identity. */
export type LoopState = Pick<
  Checkpoint,
  | 'epoch'
  | 'step'
  | 'weights'
  | 'optimizer'
  | 'best'
  | 'patience'
  | 'stopped'
  | 'history'
  | 'firstSteps'
  | 'ema'
>;

/** Rows of one part: flat features (rows × width) and labels. */
export interface LoopData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
}

export interface LoopOptions {
  readonly net: Net;
  readonly loss: LossKind;
  readonly classes: number;
  readonly train: LoopData;
  readonly validation: LoopData | null;
  /** Per training row (class weights), or null for all ones. */
  readonly sampleWeights: Float32Array | null;
  readonly config: TrainConfig;
  /** Reported loss = raw loss × lossScale; regression metric (MAE) = raw × metricScale (target units). */
  readonly lossScale: number;
  readonly metricScale: number;
  readonly onEvent: (e: TrainEvent) => void;
  readonly control: RunControl;
  /** Start from this state (weights, optimizer, early stopping, position) instead of the net as it is. */
  readonly resumeFrom?: LoopState | null;
  /** Called (and awaited) after every epoch with the state to resume from. */
  readonly onCheckpoint?: ((state: LoopState) => Promise<void>) | null;
  /** Why the backend can no longer be trusted (a lost GPU device), or null: checked between batches. */
  readonly failure?: (() => string | null) | null;
}

export interface LoopResult {
  readonly history: EpochRecord[];
  readonly status: 'completed' | 'early-stopped' | 'cancelled';
  /** Losses of the first training steps, in order. */
  readonly firstSteps: readonly number[];
}

/** 'batches' events come at most this often. */
const EMIT_MS = 250;
/** Batch losses kept in the run record, for parity checks between backends. */
const FIRST_STEPS = 100;

/** EMA factor of the smoothed loss (debiased). */
const BETA = 0.9;

function optimizerOf(o: OptimizerSpec): tf.Optimizer {
  if (o.kind === 'sgd') return tf.train.sgd(o.learningRate);
  if (o.kind === 'momentum') return tf.train.momentum(o.learningRate, o.momentum ?? 0.9);
  return tf.train.adam(o.learningRate);
}

/** Disposes an optimizer. tfjs 4.22's MomentumOptimizer.dispose() forgets SGD's learning-rate scalar `c`. */
function disposeOptimizer(opt: tf.Optimizer): void {
  opt.dispose();
  if (opt instanceof tf.MomentumOptimizer) {
    const c = (opt as unknown as { c?: tf.Tensor }).c;
    if (c !== undefined && !c.isDisposed) c.dispose();
  }
}

/** Uploads one part: x [rows, width], y [rows]. */
function upload(d: LoopData): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const width = d.rows === 0 ? 0 : d.x.length / d.rows;
  return { x: tf.tensor2d(d.x, [d.rows, width]), y: tf.tensor1d(d.y) };
}

/** A macrotask yield (MessageChannel: no 4 ms timer clamp), so pause / cancel messages are handled. */
function yielder(): { next: () => Promise<void>; close: () => void } {
  if (typeof MessageChannel === 'undefined') {
    return { next: () => new Promise((r) => setTimeout(r, 0)), close: () => undefined };
  }
  const ch = new MessageChannel();
  let wake: (() => void) | null = null;
  ch.port1.onmessage = () => wake?.();
  return {
    next: () =>
      new Promise<void>((r) => {
        wake = r;
        ch.port2.postMessage(0);
      }),
    close: () => {
      ch.port1.close();
      ch.port2.close();
    },
  };
}

/** Waits while paused, with 'state' events around a pause; returns the ms spent paused. */
async function pauseIfAsked(control: RunControl, onEvent: (e: TrainEvent) => void): Promise<number> {
  let resumed = false;
  const wait = control.waitWhilePaused().then(() => void (resumed = true));
  await Promise.resolve(); // an already resolved wait has set `resumed` by now
  if (resumed) return 0;
  const t0 = performance.now();
  onEvent({ type: 'state', state: 'paused' });
  await wait;
  onEvent({ type: 'state', state: 'running' });
  return performance.now() - t0;
}

/** Trains `net` for `config.epochs` epochs (fewer if stopped early or cancelled). */
export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  const { net, config, onEvent, control } = o;
  const optimizer = optimizerOf(config.optimizer);
  const train = upload(o.train);
  const val = o.validation && o.validation.rows > 0 ? upload(o.validation) : null;
  const weights = o.sampleWeights ? tf.tensor1d(o.sampleWeights) : null;
  const batch = Math.max(1, Math.floor(config.batchSize));
  const tick = yielder();
  const from = o.resumeFrom ?? null;
  const history: EpochRecord[] = from ? [...from.history] : [];
  let pending: { loss: tf.Scalar; metric: tf.Scalar; step: number; size: number }[] = [];
  let points: BatchPoint[] = [];
  const firstSteps: number[] = from ? [...from.firstSteps] : [];
  let ema = from?.ema ?? 0;
  let step = from?.step ?? 0;
  let lastEmit = performance.now();
  let window = { samples: 0, steps: 0, ms: 0 };
  let best: { loss: number; weights: tf.Tensor[] } | null = null;
  /** The best weights as arrays for checkpoints, read once per improvement. */
  let bestArrays: readonly WeightTensor[] | null = from?.best?.weights ?? null;
  let patience = from?.patience ?? 0;
  let status: LoopResult['status'] = from?.stopped ? 'early-stopped' : 'completed';
  const checkFailure = (): void => {
    const why = o.failure?.() ?? null;
    if (why !== null) throw new Error(why);
  };

  const trainStep = (idx: Int32Array, at: number): [tf.Scalar, tf.Scalar] =>
    tf.tidy(() => {
      const i = tf.tensor1d(idx, 'int32');
      const xb = tf.gather(train.x, i);
      const yb = tf.gather(train.y, i);
      const wb = weights ? tf.gather(weights, i) : null;
      const held: { metric: tf.Scalar | null } = { metric: null };
      const cost = optimizer.minimize(
        () => {
          const out = net.forward(xb, true, at);
          held.metric = tf.keep(metricSum(o.loss, out, yb));
          const l = perSampleLoss(o.loss, out, yb, o.classes);
          return tf.mean(wb ? tf.mul(l, wb) : l);
        },
        true,
        net.variables,
      );
      return [cost!, held.metric!];
    });

  /** Reads pending batch results; returns their sums and adds chart points. */
  const drain = async (): Promise<{ loss: number; metric: number; samples: number }> => {
    if (pending.length === 0) return { loss: 0, metric: 0, samples: 0 };
    const packed = tf.tidy(() => tf.stack(pending.flatMap((p) => [p.loss, p.metric])));
    const v = await packed.data<'float32'>();
    packed.dispose();
    const sums = { loss: 0, metric: 0, samples: 0 };
    pending.forEach((p, k) => {
      const loss = v[2 * k]! * o.lossScale;
      ema = BETA * ema + (1 - BETA) * loss;
      points.push({ step: p.step, loss, smoothed: ema / (1 - BETA ** (p.step + 1)) });
      if (firstSteps.length < FIRST_STEPS) firstSteps.push(loss);
      sums.loss += v[2 * k]! * p.size;
      sums.metric += v[2 * k + 1]!;
      sums.samples += p.size;
      p.loss.dispose();
      p.metric.dispose();
    });
    pending = [];
    return sums;
  };

  const emit = (epoch: number): void => {
    if (points.length === 0) return;
    const ms = Math.max(window.ms, 1e-3);
    onEvent({
      type: 'batches',
      epoch,
      points,
      samplesPerSec: (window.samples * 1000) / ms,
      msPerStep: window.steps === 0 ? 0 : ms / window.steps,
      memoryBytes: tf.memory().numBytes,
    });
    points = [];
    window = { samples: 0, steps: 0, ms: 0 };
    lastEmit = performance.now();
  };

  /** Mean loss and metric over a part, in eval mode (no dropout), in chunks. */
  const evaluatePart = async (part: { x: tf.Tensor2D; y: tf.Tensor1D }): Promise<[number, number]> => {
    const rows = part.x.shape[0];
    const sums: tf.Tensor1D[] = [];
    for (let at = 0; at < rows; at += 1024) {
      const n = Math.min(1024, rows - at);
      sums.push(
        tf.tidy(() => {
          const out = net.forward(tf.slice(part.x, [at, 0], [n, -1]), false, 0);
          const y = tf.slice(part.y, [at], [n]);
          return tf.stack([tf.sum(perSampleLoss(o.loss, out, y, o.classes)), metricSum(o.loss, out, y)]);
        }) as tf.Tensor1D,
      );
    }
    const total = tf.addN(sums);
    const [l, m] = await total.data<'float32'>();
    tf.dispose([total, ...sums]);
    return [
      (l! / rows) * o.lossScale,
      (m! / rows) * (o.loss === 'mse' || o.loss === 'mae' ? o.metricScale : 1),
    ];
  };

  try {
    if (from) {
      const w = fromArrays(from.weights);
      net.model.setWeights(w);
      tf.dispose(w);
      await restoreOptimizer(optimizer, from.optimizer);
      if (from.best) best = { loss: from.best.loss, weights: fromArrays(from.best.weights) };
    }
    onEvent({ type: 'state', state: 'running' });
    for (const record of history) onEvent({ type: 'epoch', record });
    for (let epoch = from?.epoch ?? 0; epoch < config.epochs && status === 'completed'; epoch++) {
      const order = epochOrder(o.train.rows, config.seed, epoch);
      const epochStart = performance.now();
      let paused = 0;
      let steps = 0;
      const sums = { loss: 0, metric: 0, samples: 0 };
      const add = (s: typeof sums): void =>
        void ((sums.loss += s.loss), (sums.metric += s.metric), (sums.samples += s.samples));
      for (let from = 0; from < order.length; from += batch) {
        await tick.next();
        checkFailure();
        paused += await pauseIfAsked(control, onEvent);
        if (control.cancelled) {
          status = 'cancelled';
          break;
        }
        const t0 = performance.now();
        const idx = order.subarray(from, Math.min(from + batch, order.length));
        const [loss, metric] = trainStep(idx, step);
        pending.push({ loss, metric, step: step++, size: idx.length });
        steps++;
        window.samples += idx.length;
        window.steps++;
        if (performance.now() - lastEmit >= EMIT_MS) add(await drain());
        window.ms += performance.now() - t0;
        if (performance.now() - lastEmit >= EMIT_MS) emit(epoch);
      }
      add(await drain());
      if (status === 'cancelled') break;
      const trainMs = Math.max(performance.now() - epochStart - paused, 1e-3);
      if (performance.now() - lastEmit >= EMIT_MS) emit(epoch);
      const [valLoss, valMetric] = val ? await evaluatePart(val) : [null, null];
      const regression = o.loss === 'mse' || o.loss === 'mae';
      const record: EpochRecord = {
        epoch,
        trainLoss: (sums.loss / sums.samples) * o.lossScale,
        trainMetric: (sums.metric / sums.samples) * (regression ? o.metricScale : 1),
        valLoss,
        valMetric,
        samplesPerSec: (sums.samples * 1000) / trainMs,
        msPerStep: trainMs / Math.max(steps, 1),
      };
      history.push(record);
      onEvent({ type: 'epoch', record });
      if (config.earlyStopping && valLoss !== null) {
        if (best === null || valLoss < best.loss - (config.earlyStopping.minDelta ?? 0)) {
          if (best) tf.dispose(best.weights);
          best = { loss: valLoss, weights: snapshot(net) };
          bestArrays = null;
          patience = 0;
        } else if (++patience >= config.earlyStopping.patience) status = 'early-stopped';
      }
      if (o.onCheckpoint) {
        if (best !== null && bestArrays === null) bestArrays = await toArrays(best.weights);
        const state: LoopState = {
          epoch: epoch + 1,
          step,
          weights: await readWeights(net),
          optimizer: await readOptimizer(optimizer),
          best: best === null || bestArrays === null ? null : { loss: best.loss, weights: bestArrays },
          patience,
          stopped: status === 'early-stopped',
          history: [...history],
          firstSteps: [...firstSteps],
          ema,
        };
        checkFailure(); // never save what a lost device read back
        await o.onCheckpoint(state);
      }
    }
    emit(Math.max(0, history.length - 1));
    if (best !== null && status !== 'cancelled') {
      restore(net, best.weights);
      best = null;
    }
    return { history, status, firstSteps };
  } finally {
    tick.close();
    for (const p of pending) tf.dispose([p.loss, p.metric]);
    if (best) tf.dispose(best.weights);
    tf.dispose([train.x, train.y, ...(val ? [val.x, val.y] : []), ...(weights ? [weights] : [])]);
    disposeOptimizer(optimizer);
  }
}
