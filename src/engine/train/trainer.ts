/**
 * trainModel: dataset snapshot + config → a trained model, its history and its test-split evaluation.
 * Features and the split come from features.ts, tfjs work from ./tfjs (the only place that imports tfjs),
 * metrics from evaluate.ts. The test rows never train and never pick the best epoch (validation does).
 */
import { classificationEval, logLoss, predictedClasses, regressionEval } from './evaluate';
import { prepareFeatures, type PreparedFeatures, type Scale } from './features';
import { evaluationExtras, type Predict } from './insights';
import { referenceOf } from './reference';
import type { Evaluation, RunRecord } from './run';
import type { ModelSpec, TaskKind, TrainConfig } from './spec';
import type { TrainModel } from './train';
import { initBackend } from './tfjs/backend';
import type { LossKind } from './tfjs/loss';
import { trainWithCheckpoints } from './tfjs/checkpoint';
import {
  buildNet,
  foldInputScale,
  foldOutputScale,
  kernelsFor,
  predict,
  readWeights,
  type Head,
} from './tfjs/model';

/** A short name for a model: "mlp 16-16", "cnn 8-16", "logistic". */
export function modelName(spec: ModelSpec): string {
  if (spec.kind === 'mlp') return `mlp ${spec.hidden.map((h) => h.units).join('-')}`.trim();
  if (spec.kind === 'cnn') return `cnn ${spec.conv.map((c) => c.filters).join('-')}`.trim();
  return spec.kind;
}

/** The model that fits the task: linear ↔ logistic swapped (with a notice) when the task needs it. */
function modelFor(spec: ModelSpec, task: TaskKind, notices: string[]): ModelSpec {
  if (task === 'regression' && spec.kind === 'logistic') {
    notices.push('Logistic regression predicts classes: a linear model was trained for this number target.');
    return { kind: 'linear' };
  }
  if (task === 'classification' && spec.kind === 'linear') {
    notices.push('A linear model predicts a number: logistic regression was trained for this class target.');
    return { kind: 'logistic' };
  }
  return spec;
}

/** Output layer and loss: sigmoid + binary CE (2 classes), softmax + categorical CE (more), linear + MSE/MAE. */
function headOf(
  f: PreparedFeatures,
  asked: TrainConfig['loss'],
  notices: string[],
): { head: Head; loss: LossKind } {
  if (f.task === 'classification') {
    if (asked === 'mse' || asked === 'mae')
      notices.push(`Classification trains on cross-entropy, not ${asked}.`);
    return f.classes.length === 2
      ? { head: { units: 1, activation: 'sigmoid' }, loss: 'binary' }
      : { head: { units: f.classes.length, activation: 'softmax' }, loss: 'categorical' };
  }
  if (asked === 'crossentropy') notices.push('Regression trains on mean squared error, not cross-entropy.');
  return { head: { units: 1, activation: 'linear' }, loss: asked === 'mae' ? 'mae' : 'mse' };
}

/** 'balanced' class weights n / (k · n_class) as one weight per training row. */
function balancedWeights(labels: Float32Array, k: number): Float32Array {
  const counts = new Array<number>(k).fill(0);
  for (const c of labels) counts[c]!++;
  return labels.map((c) => labels.length / (k * counts[c]!));
}

/** (x − mean) / std per feature, for the matrices that train (a copy); images pass through. */
function standardiseX(x: Float32Array, scale: Scale | null): Float32Array {
  if (scale === null) return x;
  const width = scale.mean.length;
  return x.map((v, i) => (v - scale.mean[i % width]!) / scale.std[i % width]!);
}

function meanStd(v: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = v.length === 0 ? 0 : s / v.length;
  let s2 = 0;
  for (const x of v) s2 += (x - mean) ** 2;
  const std = v.length === 0 ? 0 : Math.sqrt(s2 / v.length);
  return { mean, std: std > 0 ? std : 1 };
}

export const trainModel: TrainModel = async (data, config, env, hooks) => {
  // A resumed run keeps its start time and counts the training time before its checkpoint.
  const start = performance.now() - (hooks.resume?.elapsedMs ?? 0);
  const createdAt = hooks.resume?.createdAt ?? Date.now();
  const f = prepareFeatures(data, config);
  const notices = [...f.notices];
  const spec = modelFor(config.model, f.task, notices);
  let { backend, fallbackReason } = await initBackend(config.backend, env, kernelsFor(spec));
  const { head, loss } = headOf(f, config.loss, notices);
  const regression = f.task === 'regression';
  // Regression trains on a standardised target; the scale is folded into the output layer afterwards.
  const { mean, std } = regression ? meanStd(f.train.y) : { mean: 0, std: 1 };
  const standardise = (y: Float32Array): Float32Array => (regression ? y.map((v) => (v - mean) / std) : y);
  let sampleWeights: Float32Array | null = null;
  if (config.classWeights === 'balanced') {
    if (regression) notices.push('Class weights apply to classification only: ignored.');
    else sampleWeights = balancedWeights(f.train.y, f.classes.length);
  }
  if (config.earlyStopping && f.validation.rows.length === 0) {
    notices.push('Early stopping needs validation rows: every epoch ran.');
  }
  const rows = { train: f.train.rows.length, validation: f.validation.rows.length, test: f.test.rows.length };
  const inputShape = spec.kind === 'cnn' && f.image ? f.image : [f.width];
  const net = buildNet(spec, inputShape, head, config.seed);
  try {
    const parameters = net.model.countParams();
    const stepsPerEpoch = Math.ceil(rows.train / Math.max(1, Math.floor(config.batchSize)));
    hooks.onEvent({
      type: 'started',
      runId: hooks.runId,
      backend,
      fallbackReason,
      task: f.task,
      features: f.features,
      classes: f.classes,
      notices,
      rows,
      parameters,
      stepsPerEpoch,
    });
    const part = (p: PreparedFeatures['train']) => ({
      x: standardiseX(p.x, f.scale),
      y: standardise(p.y),
      rows: p.rows.length,
    });
    // Checkpoints after every epoch; a failed backend (lost GPU device) restarts from the last one.
    const { history, status, firstSteps, ...ran } = await trainWithCheckpoints({
      loop: {
        net,
        loss,
        classes: f.classes.length,
        train: part(f.train),
        validation: rows.validation > 0 ? part(f.validation) : null,
        sampleWeights,
        config,
        lossScale: loss === 'mse' ? std * std : loss === 'mae' ? std : 1,
        metricScale: std,
        onEvent: hooks.onEvent,
        control: hooks.control,
      },
      runId: hooks.runId,
      name: `${modelName(spec)} · ${data.meta.name}`,
      datasetId: data.meta.id,
      createdAt,
      elapsedMs: hooks.resume?.elapsedMs ?? 0,
      resume: hooks.resume ?? null,
      sink: hooks.checkpoints ?? null,
      backend: { backend, fallbackReason },
      env,
      kernels: kernelsFor(spec),
      notices,
    });
    ({ backend, fallbackReason } = ran);
    // Test rows go in raw: the scalings are now part of the weights.
    if (f.scale) foldInputScale(net, f.scale.mean, f.scale.std);
    if (regression) foldOutputScale(net, std, mean);
    let evaluation: Evaluation | null = null;
    if (status !== 'cancelled' && rows.test > 0) {
      hooks.onEvent({ type: 'state', state: 'evaluating' });
      const out = await predict(net, f.test.x, rows.test, head.units);
      const base = regression
        ? regressionEval(f.test.y, out, mean)
        : classificationEval(
            f.test.y,
            predictedClasses(out, rows.test, head.units),
            f.classes,
            f.train.y,
            f.test.rows,
          );
      const withLoss = regression ? base : { ...base, logLoss: logLoss(f.test.y, out, head.units) };
      // Curves, permutation importance and the decision boundary reach the model only through this.
      const run: Predict = (x, n) => predict(net, x, n, head.units);
      evaluation = { ...withLoss, ...(await evaluationExtras(f, out, head.units, run, config.seed)) };
    } else if (rows.test === 0) notices.push('The split has no test rows: the model was not evaluated.');
    const record: RunRecord = {
      id: hooks.runId,
      name: `${modelName(spec)} · ${data.meta.name}`,
      datasetId: data.meta.id,
      datasetName: data.meta.name,
      config,
      task: f.task,
      backend,
      fallbackReason,
      features: f.features,
      classes: f.classes,
      notices,
      rows,
      history,
      firstSteps,
      status,
      evaluation,
      reference: referenceOf(f.train.x, f.width, f.features, f.image),
      parameters,
      createdAt,
      durationMs: performance.now() - start,
    };
    return { record, weights: await readWeights(net) };
  } finally {
    net.dispose();
  }
};
