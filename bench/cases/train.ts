import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { version_layers } from '@tensorflow/tfjs-layers';
import type { GpuCounters } from '../../src/engine/gpu/buffers';
import { newUsage, usageSince, type DeviceUsage } from '../../src/engine/gpu/instrument';
import type { TrainBackend } from '../../src/engine/train/spec';
import type { TrainOutcome } from '../../src/engine/train/train';
import { trainModel } from '../../src/engine/train/trainer';
import { alternate, optionsFromQuery, summarize, timeOnce } from '../measure';
import { intParam } from '../data';
import { defineCase, defineOnce, type BenchContext, type OnceFigure } from '../runner';
import {
  BENCH_ENV,
  CLASSES,
  HIDDEN,
  TRAIN_PARAMS,
  WIDTH,
  assertBackend,
  bareModel,
  countWebgpu,
  disposeModel,
  firstLoss,
  makeTrainData,
  relDiff,
  startBackends,
  trainConfig,
  trainData,
  switchBackend,
  type CountedWebgpu,
  type TrainData,
} from './trainData';

/**
 * Both sides start from the same weights and see the same batches in epoch 0 (fit with shuffle: false on the
 * rows in our trainer's epoch-0 order), so their epoch-0 mean losses must agree; f32 on different backends and
 * op orders differs by far less than this.
 */
const LOSS_TOL = 1e-3;

const MODEL = `MLP ${WIDTH}-${HIDDEN.join('-')}-${CLASSES} (relu, softmax), Adam 1e-3`;

/** Copies the wrapper's counts into the runner's per-run counters (dispatches/run etc.). */
function report(counters: GpuCounters, u: DeviceUsage): void {
  counters.dispatches += u.dispatches;
  counters.submits += u.submits;
  counters.readbacks += u.readbacks;
  counters.bytesUploaded += u.bytesUploaded;
  counters.bytesRead += u.bytesRead;
}

/** Adds `u` into `sum`, field by field. */
function addUsage(sum: DeviceUsage, u: DeviceUsage): void {
  for (const k of Object.keys(u) as (keyof DeviceUsage)[]) sum[k] += u[k];
}

/** Runs `fn` and returns its result with the counted device's usage during it (zero off webgpu). */
async function counted<T>(c: CountedWebgpu, fn: () => Promise<T>): Promise<{ out: T; usage: DeviceUsage }> {
  const before = { ...c.usage };
  const out = await fn();
  return { out, usage: usageSince(before, c.usage) };
}

function checkLoss(what: string, a: number, b: number, worst: Map<string, number>): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw new Error(`${what}: loss ${a} vs ${b}`);
  const d = relDiff(a, b);
  worst.set(what, Math.max(worst.get(what) ?? 0, d));
  if (d > LOSS_TOL) {
    throw new Error(
      `${what}: epoch-0 loss ${a} vs ${b} (relative ${d.toExponential(2)} > ${LOSS_TOL}): not the same training`,
    );
  }
}

const worstDiff = new Map<string, number>();

/**
 * tfjs's live tensor count after each run of ours, from the second on (by then both sides have run once and
 * created their optimizer state): a growth across runs is a leak.
 */
interface TensorWatch {
  calls: number;
  second: number | null;
  last: number | null;
}

function newTensorWatch(): TensorWatch {
  return { calls: 0, second: null, last: null };
}

function watchTensors(w: TensorWatch): void {
  w.calls++;
  const n = tf.memory().numTensors;
  if (w.calls === 2) w.second = n;
  w.last = n;
}

function tensorGrowth(w: TensorWatch): number {
  return w.second === null || w.last === null ? NaN : w.last - w.second;
}

// ---------------------------------------------------------------------------------------------------------
// Bare tfjs-layers fit on a warm model (task 1: backend against backend).

/** A compiled bare model and its data, created while `kind` was tfjs's backend (they live there). */
interface WarmFit {
  readonly kind: TrainBackend;
  readonly model: tfl.Sequential;
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
}

async function warmFit(kind: TrainBackend, d: TrainData, c: CountedWebgpu): Promise<WarmFit> {
  await switchBackend(kind, c);
  return {
    kind,
    model: bareModel(d.seed),
    x: tf.tensor2d(d.x, [d.rows, WIDTH]),
    y: tf.tensor2d(d.yHot, [d.rows, CLASSES]),
  };
}

/** One `model.fit` of `epochs` epochs over the rows (training continues from the last run's weights). */
async function fitWarm(w: WarmFit, d: TrainData, c: CountedWebgpu): Promise<number> {
  await switchBackend(w.kind, c);
  const h = await w.model.fit(w.x, w.y, { batchSize: d.batch, epochs: d.epochs, shuffle: false, verbose: 0 });
  return firstLoss(h);
}

function disposeWarm(w: WarmFit): void {
  disposeModel(w.model);
  tf.dispose([w.x, w.y]);
}

interface FitState {
  readonly d: TrainData;
  readonly counted: CountedWebgpu;
  readonly gpu: WarmFit;
  readonly other: WarmFit;
  readonly tensors: TensorWatch;
}

async function fitSetup({ session, params }: BenchContext, other: TrainBackend): Promise<FitState> {
  const d = trainData(params);
  const c = await countWebgpu(session.adapter);
  try {
    await startBackends(['webgpu', other], c, 'webgpu');
    const gpu = await warmFit('webgpu', d, c);
    return { d, counted: c, gpu, other: await warmFit(other, d, c), tensors: newTensorWatch() };
  } catch (e) {
    c.restore();
    throw e;
  }
}

function fitCase(other: 'wasm' | 'cpu') {
  const id = `train-fit-${other}`;
  return defineCase<FitState, number, number>({
    id,
    description: `tfjs-layers fit of the ${MODEL}: webgpu vs ${other}, same model, data and batch`,
    labels: {
      ours: `tfjs-layers ${version_layers} model.fit, webgpu (counted device), 1 run = trainEpochs × trainRows`,
      peer: `the same model.fit on ${other}${other === 'wasm' ? ' (single-threaded, as the app runs it)' : ''}`,
    },
    params: TRAIN_PARAMS,
    setup: (ctx) => fitSetup(ctx, other),
    ours: async (s, counters) => {
      const { out, usage } = await counted(s.counted, () => fitWarm(s.gpu, s.d, s.counted));
      report(counters, usage);
      watchTensors(s.tensors);
      return out;
    },
    peer: (s) => fitWarm(s.other, s.d, s.counted),
    check: (gpu, cpu) => checkLoss(`${id}: webgpu vs ${other}`, gpu, cpu, worstDiff),
    counts: (s) => ({
      rows: s.d.rows,
      batch: s.d.batch,
      epochs: s.d.epochs,
      stepsPerRun: s.d.steps,
      samplesPerRun: s.d.rows * s.d.epochs,
      maxRelLossDiff: worstDiff.get(`${id}: webgpu vs ${other}`) ?? NaN,
      tensorGrowth: tensorGrowth(s.tensors),
    }),
    teardown: (s) => {
      disposeWarm(s.gpu);
      disposeWarm(s.other);
      s.counted.restore();
    },
  });
}

/** Row: tfjs-layers fit, webgpu vs wasm. */
export const trainFitWasmCase = fitCase('wasm');
/** Row: tfjs-layers fit, webgpu vs cpu. */
export const trainFitCpuCase = fitCase('cpu');

// ---------------------------------------------------------------------------------------------------------
// Our trainer against a bare fit from the same arrays (task 2: our overhead).

const HOOKS = {
  runId: 'bench-train',
  onEvent: () => undefined,
  control: { cancelled: false, waitWhilePaused: () => Promise.resolve() },
} as const;

interface OursOut {
  /** Epoch-0 mean training loss. */
  readonly loss: number;
  readonly weights: number;
}

/** One whole training run through the app's entry point: trainModel(dataset, config, env, hooks). */
async function oursRun(kind: TrainBackend, d: TrainData): Promise<OursOut> {
  const outcome: TrainOutcome = await trainModel(d.dataset, trainConfig(d, kind), BENCH_ENV, HOOKS);
  const r = outcome.record;
  if (r.backend !== kind || r.fallbackReason !== null) {
    throw new Error(`our trainer ran on ${r.backend}, not ${kind}: ${r.fallbackReason ?? ''}`);
  }
  if (r.status !== 'completed' || r.history.length !== d.epochs) {
    throw new Error(`our trainer ${r.status} after ${r.history.length} of ${d.epochs} epochs`);
  }
  return { loss: r.history[0]!.trainLoss, weights: outcome.weights.length };
}

/**
 * What a tfjs user writes for the same job from the same Float32Arrays: build and compile the model,
 * tensor2d x and one-hot y, model.fit (shuffle: false: the rows come in our trainer's epoch-0 order), read the
 * weights back, dispose. Our trainer also builds its model, uploads, trains and reads its weights per run.
 */
async function bareRun(kind: TrainBackend, d: TrainData, c: CountedWebgpu): Promise<OursOut> {
  await switchBackend(kind, c);
  const model = bareModel(d.seed);
  const x = tf.tensor2d(d.x, [d.rows, WIDTH]);
  const y = tf.tensor2d(d.yHot, [d.rows, CLASSES]);
  try {
    const h = await model.fit(x, y, { batchSize: d.batch, epochs: d.epochs, shuffle: false, verbose: 0 });
    const weights = await Promise.all(model.getWeights().map((w) => w.data()));
    return { loss: firstLoss(h), weights: weights.length };
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}

interface OursState {
  readonly d: TrainData;
  readonly counted: CountedWebgpu;
  readonly kind: TrainBackend;
  readonly peerUsage: DeviceUsage;
  peerRuns: number;
  readonly tensors: TensorWatch;
}

function oursCase(kind: 'wasm' | 'webgpu') {
  const id = `train-ours-${kind}`;
  return defineCase<OursState, OursOut, OursOut>({
    id,
    description: `Our trainer (trainModel) vs a bare tfjs-layers fit, ${MODEL}, both on ${kind}`,
    labels: {
      ours: `trainModel(LoadedDataset in memory, config, env): features, initBackend, model, seeded batches, weights`,
      peer: `tfjs-layers ${version_layers}: sequential + compile, tensor2d, fit, getWeights().data(), dispose`,
    },
    params: TRAIN_PARAMS,
    setup: async ({ session, params }) => {
      const d = trainData(params);
      const c = await countWebgpu(session.adapter);
      try {
        await startBackends([kind], c, kind);
      } catch (e) {
        c.restore();
        throw e;
      }
      return {
        d,
        counted: c,
        kind,
        peerUsage: newUsage(),
        peerRuns: 0,
        tensors: newTensorWatch(),
      };
    },
    ours: async (s, counters) => {
      const { out, usage } = await counted(s.counted, () => oursRun(s.kind, s.d));
      assertBackend(s.kind, s.counted);
      report(counters, usage);
      watchTensors(s.tensors);
      return out;
    },
    peer: async (s) => {
      const { out, usage } = await counted(s.counted, () => bareRun(s.kind, s.d, s.counted));
      addUsage(s.peerUsage, usage);
      s.peerRuns++;
      return out;
    },
    check: (ours, bare) => {
      checkLoss(`${id}: ours vs bare fit`, ours.loss, bare.loss, worstDiff);
      if (ours.weights !== bare.weights) throw new Error(`${ours.weights} weights vs ${bare.weights}`);
    },
    counts: (s) => {
      const per = (v: number): number => v / Math.max(1, s.peerRuns);
      return {
        rows: s.d.rows,
        batch: s.d.batch,
        epochs: s.d.epochs,
        stepsPerRun: s.d.steps,
        samplesPerRun: s.d.rows * s.d.epochs,
        maxRelLossDiff: worstDiff.get(`${id}: ours vs bare fit`) ?? NaN,
        peerDispatchesPerRun: per(s.peerUsage.dispatches),
        peerSubmitsPerRun: per(s.peerUsage.submits),
        peerReadbacksPerRun: per(s.peerUsage.readbacks),
        peerUploadsPerRun: per(s.peerUsage.uploads),
        tensorGrowth: tensorGrowth(s.tensors),
      };
    },
    teardown: (s) => s.counted.restore(),
  });
}

/** Row: our trainer vs a bare fit on wasm. */
export const trainOursWasmCase = oursCase('wasm');
/** Row: our trainer vs a bare fit on webgpu (counted device). */
export const trainOursWebgpuCase = oursCase('webgpu');

// ---------------------------------------------------------------------------------------------------------
// One-off: samples/s per backend, ratios, and device counts per training step.

/** Timings of `fns` run in rotation (warm-up rounds first, then `runs` timed rounds). */
async function rotate(
  fns: readonly (() => Promise<unknown>)[],
  warmup: number,
  runs: number,
): Promise<number[][]> {
  const times = fns.map((): number[] => []);
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  for (let i = 0; i < runs; i++) {
    for (const [k, fn] of fns.entries()) times[k]!.push(await timeOnce(fn));
  }
  return times;
}

const CALLS = ['dispatches', 'submits', 'uploads', 'readbacks'] as const;

/** `(a − b) / n` per field. */
function perStep(a: DeviceUsage, b: DeviceUsage, n: number): DeviceUsage {
  const u = usageSince(b, a);
  for (const k of Object.keys(u) as (keyof DeviceUsage)[]) u[k] /= n;
  return u;
}

function describeUsage(u: DeviceUsage): string {
  const r = (v: number): string => String(Math.round(v * 100) / 100);
  return (
    `${r(u.dispatches)} dispatches, ${r(u.submits)} submits, ${r(u.uploads)} uploads ` +
    `(${r(u.bytesUploaded)} B), ${r(u.readbacks)} readbacks (${r(u.bytesRead)} B)`
  );
}

/**
 * Samples/s of tfjs-layers fit on webgpu, wasm and cpu (warm models, A B C rotation), of our trainer and a
 * bare fit on wasm and webgpu (A B alternation), and the counted device's calls per training step on webgpu:
 * one warm `trainOnBatch`, and per step of fit and of our trainer as the difference between a run of 4 and of
 * 2 batches (so per-run costs cancel), divided by 2.
 */
export const trainRatesOnce = defineOnce({
  id: 'train-rates',
  description: `Training samples/s (tfjs-layers fit per backend, our trainer vs bare fit) and webgpu calls per step`,
  params: TRAIN_PARAMS,
  run: async ({ session, params }) => {
    const d = trainData(params);
    const options = optionsFromQuery(params);
    const runs = Math.min(options.minRuns, intParam(params, 'trainSweepRuns', 10));
    const warmup = Math.min(options.warmup, 2);
    const samples = d.rows * d.epochs;
    const rate = (times: readonly number[]): number => (samples * 1000) / summarize(times).p50;
    const c = await countWebgpu(session.adapter);
    const figures: OnceFigure[] = [];
    const notes: string[] = [];
    const series: Record<string, number[]> = {};
    const kinds = ['webgpu', 'wasm', 'cpu'] as const;
    const warm: WarmFit[] = [];
    try {
      await startBackends(kinds, c, 'webgpu');
      for (const k of kinds) warm.push(await warmFit(k, d, c));
      // Same start, same batches: the first fit's losses agree across backends before anything is timed.
      const first = [];
      for (const w of warm) first.push(await fitWarm(w, d, c));
      for (const [i, k] of kinds.entries()) {
        if (i > 0) checkLoss(`train-rates: fit webgpu vs ${k}`, first[0]!, first[i]!, worstDiff);
      }
      const fitTimes = await rotate(
        warm.map((w) => () => fitWarm(w, d, c)),
        warmup,
        runs,
      );
      const fitRate = Object.fromEntries(kinds.map((k, i) => [k, rate(fitTimes[i]!)])) as Record<
        (typeof kinds)[number],
        number
      >;
      for (const [i, k] of kinds.entries()) series[`fitMs.${k}`] = fitTimes[i]!;
      for (const k of kinds) {
        figures.push({ name: `tfjs-layers fit samples/s, ${k}`, value: fitRate[k], unit: 'samples/s' });
      }
      figures.push({
        name: 'fit ratio webgpu/wasm (samples/s)',
        value: fitRate.webgpu / fitRate.wasm,
        unit: '×',
      });
      figures.push({
        name: 'fit ratio webgpu/cpu (samples/s)',
        value: fitRate.webgpu / fitRate.cpu,
        unit: '×',
      });

      // Our trainer against a bare fit, per backend.
      for (const k of ['wasm', 'webgpu'] as const) {
        await switchBackend(k, c);
        const ours = await oursRun(k, d);
        const bare = await bareRun(k, d, c);
        checkLoss(`train-rates: ours vs bare fit on ${k}`, ours.loss, bare.loss, worstDiff);
        const ab = await alternate(
          () => oursRun(k, d),
          () => bareRun(k, d, c),
          { warmup, minRuns: runs, minSeconds: 0, maxRuns: runs },
        );
        series[`oursMs.${k}`] = ab.a;
        series[`bareMs.${k}`] = ab.b;
        const o = rate(ab.a);
        const b = rate(ab.b);
        figures.push({ name: `our trainer samples/s, ${k}`, value: o, unit: 'samples/s' });
        figures.push({
          name: `bare fit (build, fit, read weights) samples/s, ${k}`,
          value: b,
          unit: 'samples/s',
        });
        figures.push({
          name: `our overhead on ${k}: bare/ours samples/s (time ours/bare)`,
          value: b / o,
          unit: '×',
        });
      }

      // Device calls per step on webgpu.
      const gpu = warm[0]!;
      await switchBackend('webgpu', c);
      const xb = tf.tensor2d(d.x.subarray(0, d.batch * WIDTH), [d.batch, WIDTH]);
      const yb = tf.tensor2d(d.yHot.subarray(0, d.batch * CLASSES), [d.batch, CLASSES]);
      let onBatch: DeviceUsage;
      try {
        await gpu.model.trainOnBatch(xb, yb);
        await gpu.model.trainOnBatch(xb, yb);
        onBatch = (await counted(c, () => gpu.model.trainOnBatch(xb, yb))).usage;
      } finally {
        tf.dispose([xb, yb]);
      }
      const two = makeTrainData(2 * d.batch, d.batch, 1);
      const four = makeTrainData(4 * d.batch, d.batch, 1);
      const fitSteps = async (t: TrainData): Promise<DeviceUsage> => {
        const w = await warmFit('webgpu', t, c);
        try {
          await fitWarm(w, t, c);
          return (await counted(c, () => fitWarm(w, t, c))).usage;
        } finally {
          disposeWarm(w);
        }
      };
      const oursSteps = async (t: TrainData): Promise<DeviceUsage> =>
        (await counted(c, () => oursRun('webgpu', t))).usage;
      const fit2 = await fitSteps(two);
      const fit4 = await fitSteps(four);
      const fitStep = perStep(fit4, fit2, 2);
      const ours2 = await oursSteps(two);
      const ours4 = await oursSteps(four);
      const oursStep = perStep(ours4, ours2, 2);
      const weightBytes = gpu.model.countParams() * 4;
      const bare4 = (await counted(c, () => bareRun('webgpu', four, c))).usage;
      const rows: [string, DeviceUsage][] = [
        ['tfjs-layers trainOnBatch (one step, loss read back)', onBatch],
        ['tfjs-layers fit, per step (4 − 2 batches) / 2', fitStep],
        ['our trainer, per step (4 − 2 batches) / 2', oursStep],
        ['our trainer, whole run of 4 batches', ours4],
        ['bare fit from scratch (build, fit, read weights), whole run of 4 batches', bare4],
      ];
      for (const [what, u] of rows) {
        for (const k of CALLS) figures.push({ name: `webgpu ${k}: ${what}`, value: u[k], unit: 'count' });
        series[`counts.${what}`] = CALLS.map((k) => u[k]);
      }
      notes.push(
        `Measured ${new Date().toISOString()} on ${c.adapter}, ${navigator.userAgent}; tfjs-core ${tf.version_core}, ` +
          `tfjs-layers ${version_layers}, backends of the same version; wasm single-threaded (the app's setting).`,
        `Data: ${d.rows} seeded MNIST-shaped rows (28×28×1 random u8 pixels / 255, digit = row mod 10), batch ` +
          `${d.batch}, ${d.epochs} epoch(s) per run (${d.steps} steps); ${MODEL}. Samples/s = rows × epochs / p50 of ` +
          `${runs} timed runs after ${warmup} warm-up round(s).`,
        `fit rows: one warm compiled model per backend, created on that backend; each run is model.fit(x, y, ` +
          `{batchSize, epochs, shuffle: false}) continuing training; tf.getBackend() asserted before every run ` +
          `(webgpu: the backend on the counted device). Epoch-0 losses of the first fit agree within ${LOSS_TOL} ` +
          `(largest: ${worstOf('train-rates: fit')}).`,
        `Ours vs bare: each run trains from scratch — ours is trainModel (prepareFeatures, initBackend, model ` +
          `build, upload, seeded gather batches, loss drains, weights read back), the bare side builds, compiles, ` +
          `uploads, fits and reads its weights. Same initial weights and epoch-0 batches: losses agree (largest ` +
          `relative difference ${worstOf('train-rates: ours')}).`,
        `webgpu counts: tfjs's 'webgpu' backend re-registered on a device wrapped by instrumentDevice, so our ` +
          `trainer's initBackend('webgpu') runs there too. trainOnBatch: ${describeUsage(onBatch)}. fit per step: ` +
          `${describeUsage(fitStep)}. Ours per step: ${describeUsage(oursStep)}; its bytes uploaded per step ` +
          `include its one upload of the training rows per run (${d.batch} rows × ${WIDTH} × 4 B per batch), ` +
          `which the warm fit rows upload before the count. Whole runs of 4 batches: ours ` +
          `${describeUsage(ours4)}; bare fit ${describeUsage(bare4)}. Model weights are ${weightBytes} B.`,
      );
      return { figures, notes, series };
    } finally {
      for (const w of warm) disposeWarm(w);
      c.restore();
    }
  },
});

function worstOf(prefix: string): string {
  const v = [...worstDiff].filter(([k]) => k.startsWith(prefix)).map(([, d]) => d);
  return v.length === 0 ? 'n/a' : Math.max(...v).toExponential(1);
}
