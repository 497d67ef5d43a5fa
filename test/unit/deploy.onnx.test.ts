/**
 * ONNX export: models trained here (tfjs on WASM, as the trainer acceptance does) are exported with their
 * fitted recipe and run in onnxruntime-node on held-out RAW rows (category strings, NaN for missing). The
 * exported model must give the app's probabilities (fitted recipe applied by applyFittedRecipe, then the
 * trained network on WASM) within 1e-4.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONNX_OPSET, exportOnnx } from '../../src/engine/deploy/onnx/export';
import { onnx } from '../../src/engine/deploy/onnx/generated/onnx.js';
import { GpuContext } from '../../src/engine/gpu/context';
import { applyFittedRecipe } from '../../src/engine/preprocess/apply';
import { createCpuBackend } from '../../src/engine/preprocess/cpuBackend';
import type { FittedRecipe } from '../../src/engine/preprocess/fitted';
import { createCpuImageBackend } from '../../src/engine/preprocess/imageCpu';
import { present, type LoadedColumn, type LoadedDataset } from '../../src/engine/preprocess/load';
import type { Recipe, SplitStep } from '../../src/engine/preprocess/recipe';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { planSplit } from '../../src/engine/preprocess/split';
import { prepareFeatures } from '../../src/engine/train/features';
import type { RunRecord } from '../../src/engine/train/run';
import type { TrainConfig } from '../../src/engine/train/spec';
import { buildNet, predict } from '../../src/engine/train/tfjs/model';
import type { TrainEnv, WeightTensor } from '../../src/engine/train/train';
import { trainModel } from '../../src/engine/train/trainer';
import { catCol, dataset, loadSample, numCol, penguinsRecipe, recipe, step } from '../support/recipeData';

const WASM_DIR = join(import.meta.dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');
const env: TrainEnv = {
  wasmPaths: {
    'tfjs-backend-wasm.wasm': join(WASM_DIR, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': join(WASM_DIR, 'tfjs-backend-wasm-simd.wasm'),
  },
  softwareAdapter: false,
};
const SEED = 7;
const TOLERANCE = 1e-4;

function cfg(target: string, model: TrainConfig['model'], over: Partial<TrainConfig> = {}): TrainConfig {
  return {
    datasetId: 'ds',
    target,
    task: 'auto',
    model,
    loss: 'auto',
    optimizer: { kind: 'adam', learningRate: 0.01 },
    batchSize: 16,
    epochs: 30,
    earlyStopping: null,
    classWeights: 'none',
    seed: SEED,
    backend: 'wasm',
    ...over,
  };
}

async function train(data: LoadedDataset, config: TrainConfig) {
  return trainModel(data, config, env, {
    onEvent: () => undefined,
    control: { cancelled: false, waitWhilePaused: () => Promise.resolve() },
    runId: 'run-onnx',
  });
}

/** A dataset after a CPU recipe run (rows stored train, validation, test), and the fitted recipe. */
async function prepared(data: LoadedDataset, r: Recipe) {
  const { run, columns } = await runRecipeOn(new GpuContext(undefined), data, r, 'cpu');
  const s = run.fitted.split;
  const split = s ? { split: { train: s.train, validation: s.validation, test: s.test } } : {};
  const out: LoadedDataset = {
    meta: { ...data.meta, columns: columns.map((c) => c.meta), ...split },
    columns,
  };
  return { data: out, fitted: run.fitted };
}

/** Source rows of a recipe's test split (the split planned again, as the recipe service plans it). */
function testRowsOf(data: LoadedDataset, split: SplitStep): number[] {
  let strata: Int32Array | null = null;
  if (split.stratify !== null) {
    const col = data.columns.find((c) => c.meta.name === split.stratify)!;
    const index = new Map<number, number>();
    strata = new Int32Array(data.meta.rows);
    for (let r = 0; r < data.meta.rows; r++) {
      const v = present(col.validity, r) ? (col.data as Int32Array | Float64Array)[r]! : NaN;
      if (Number.isNaN(v)) strata[r] = -1;
      else {
        if (!index.has(v)) index.set(v, index.size);
        strata[r] = index.get(v)!;
      }
    }
  }
  const plan = planSplit(split, data.meta.rows, strata);
  return [...plan.order.subarray(plan.train + plan.validation)];
}

type Raw = Record<string, number | string | null>;

/** Raw values of some rows: numbers (null = missing), category strings (null = missing). */
function rawRows(data: LoadedDataset, rows: readonly number[]): Raw[] {
  return rows.map((r) => {
    const row: Raw = {};
    for (const c of data.columns) {
      const ok = present(c.validity, r);
      if (c.meta.type === 'categorical') {
        const code = (c.data as Int32Array)[r]!;
        row[c.meta.name] = ok && code >= 0 ? (c.meta.dictionary?.[code] ?? null) : null;
      } else if (c.meta.type === 'number' || c.meta.type === 'integer') {
        row[c.meta.name] = ok ? (c.data as Float64Array)[r]! : null;
      }
    }
    return row;
  });
}

/** Raw rows as a dataset (what a user would load at inference time). */
function datasetOf(like: LoadedDataset, rows: readonly Raw[]): LoadedDataset {
  const cols: LoadedColumn[] = [];
  for (const c of like.columns) {
    const name = c.meta.name;
    if (c.meta.type === 'categorical')
      cols.push(
        catCol(
          name,
          rows.map((r) => r[name] as string | null),
        ),
      );
    else if (c.meta.type === 'number' || c.meta.type === 'integer') {
      cols.push(
        numCol(
          name,
          rows.map((r) => r[name] as number | null),
        ),
      );
    }
  }
  return dataset(cols, 'raw');
}

/** The app's outputs: the fitted recipe applied to raw rows, then the trained network on WASM. */
async function appOutputs(
  record: RunRecord,
  weights: readonly WeightTensor[],
  fitted: FittedRecipe | null,
  raw: LoadedDataset,
): Promise<{ out: Float32Array; units: number }> {
  const cols = fitted
    ? await applyFittedRecipe(
        fitted,
        raw,
        (t) => Promise.resolve(createCpuBackend(t)),
        createCpuImageBackend(),
      )
    : raw.columns;
  const n = raw.meta.rows;
  const width = record.features.length;
  const x = new Float32Array(n * width);
  record.features.forEach((f, j) => {
    const col = cols.find((c) => c.meta.name === f)!;
    for (let r = 0; r < n; r++) {
      const v = (col.data as Float64Array)[r]!;
      x[r * width + j] = present(col.validity, r) && Number.isFinite(v) ? v : NaN;
    }
  });
  const units = record.task === 'regression' || record.classes.length === 2 ? 1 : record.classes.length;
  const activation = record.task === 'regression' ? 'linear' : units === 1 ? 'sigmoid' : ('softmax' as const);
  expect(tf.getBackend()).toBe('wasm');
  const net = buildNet(record.config.model, [width], { units, activation }, SEED);
  const tensors = weights.map((w) => tf.tensor(w.data, [...w.shape]));
  net.model.setWeights(tensors);
  tf.dispose(tensors);
  const out = await predict(net, x, n, units);
  net.dispose();
  if (activation !== 'sigmoid') return { out, units };
  const probs = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) {
    probs[r * 2] = 1 - out[r]!;
    probs[r * 2 + 1] = out[r]!;
  }
  return { out: probs, units: 2 };
}

/** ONNX feeds from raw rows, following the contract: float [N, 1] with NaN, string [N, 1] with "". */
function feedsOf(model: onnx.ModelProto, rows: readonly Raw[]): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of model.graph!.input!) {
    const name = input.name!;
    const elem = input.type!.tensorType!.elemType;
    if (elem === 8) {
      feeds[name] = new ort.Tensor(
        'string',
        rows.map((r) => (r[name] as string | null) ?? ''),
        [rows.length, 1],
      );
    } else {
      const v = Float32Array.from(rows, (r) => (r[name] as number | null) ?? NaN);
      feeds[name] = new ort.Tensor('float32', v, [rows.length, 1]);
    }
  }
  return feeds;
}

/** An int64 field as decoded (a number, or a Long where the long package is present). */
const num = (v: unknown): number => (typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber());

/** The constraints onnx.checker enforces that matter here: SSA names, every input defined, opset. */
function checkGraph(model: onnx.ModelProto): void {
  expect(num(model.irVersion)).toBeGreaterThanOrEqual(9);
  expect(model.opsetImport.map((o) => [o.domain ?? '', num(o.version)])).toEqual([['', ONNX_OPSET]]);
  const graph = model.graph!;
  const defined = new Set<string>();
  const define = (name: string): void => {
    expect(name.length).toBeGreaterThan(0);
    expect(defined.has(name), `value ${name} defined twice`).toBe(false);
    defined.add(name);
  };
  for (const i of graph.input ?? []) define(i.name!);
  for (const t of graph.initializer ?? []) define(t.name!);
  const nodeNames = new Set<string>();
  for (const node of graph.node ?? []) {
    for (const i of node.input ?? [])
      expect(defined.has(i), `${node.opType} reads undefined ${i}`).toBe(true);
    for (const o of node.output ?? []) define(o);
    expect(nodeNames.has(node.name!)).toBe(false);
    nodeNames.add(node.name!);
    expect(node.domain ?? '').toBe('');
  }
  for (const o of graph.output ?? []) expect(defined.has(o.name!)).toBe(true);
}

/** Runs the exported model and compares with the app; returns the largest absolute difference. */
async function compare(
  bytes: Uint8Array,
  rows: readonly Raw[],
  app: { out: Float32Array; units: number },
  task: 'classification' | 'regression',
): Promise<number> {
  const model = onnx.ModelProto.decode(bytes);
  checkGraph(model);
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run(feedsOf(model, rows));
  const got =
    task === 'regression'
      ? (result.label!.data as Float32Array)
      : (result.probabilities!.data as Float32Array);
  expect(got.length).toBe(app.out.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const a = app.out[i]!;
    const b = got[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      expect([i, Number.isNaN(b)]).toEqual([i, Number.isNaN(a)]);
      continue;
    }
    worst = Math.max(worst, Math.abs(a - b));
  }
  if (task === 'classification') {
    const labels = result.label!.data as BigInt64Array;
    const names = result.class!.data as string[];
    for (let r = 0; r < rows.length; r++) {
      const p = [...app.out.subarray(r * app.units, (r + 1) * app.units)];
      if (p.some((v) => Number.isNaN(v))) continue;
      expect(Number(labels[r])).toBe(p.indexOf(Math.max(...p)));
      expect(typeof names[r]).toBe('string');
    }
  }
  await session.release();
  return worst;
}

describe('deploy: ONNX export runs in onnxruntime-node like the app', { timeout: 60_000 }, () => {
  it('penguins recipe (impute → standardize → one-hot) + MLP: probabilities within 1e-4', async () => {
    const raw = await loadSample('penguins.csv');
    const r = penguinsRecipe();
    const { data, fitted } = await prepared(raw, r);
    const model = { kind: 'mlp' as const, hidden: [{ units: 16, activation: 'relu' as const }] };
    const { record, weights } = await train(data, cfg('species', model));
    expect(record.backend).toBe('wasm');
    const held = testRowsOf(
      raw,
      r.steps.find((s): s is SplitStep => s.kind === 'split')!,
    );
    expect(held).toHaveLength(record.rows.test);
    const rows = rawRows(raw, held);
    // Edge rows: an unseen island, missing sex and measurements, ±∞ (missing, then imputed).
    rows.push(
      { ...rows[0]!, island: 'Atlantis', sex: null, bill_length_mm: null },
      { ...rows[1]!, bill_depth_mm: Infinity, flipper_length_mm: -Infinity, sex: 'FEMALE' },
      { ...rows[2]!, island: null, body_mass_g: null },
    );
    const heldData = datasetOf(raw, rows);
    const app = await appOutputs(record, weights, fitted, heldData);
    // The app's held-out rows are the recipe's test split: the same features the model was evaluated on.
    const f = prepareFeatures(data, record.config);
    const first = f.test.x.subarray(0, f.width);
    const appFirst = await applyFittedRecipe(
      fitted,
      datasetOf(raw, rows.slice(0, 1)),
      (t) => Promise.resolve(createCpuBackend(t)),
      createCpuImageBackend(),
    );
    record.features.forEach((name, j) => {
      const col = appFirst.find((c) => c.meta.name === name)!;
      expect((col.data as Float64Array)[0]).toBeCloseTo(first[j]!, 5);
    });
    const bytes = exportOnnx(record, weights, fitted);
    const worst = await compare(bytes, rows, app, 'classification');
    console.log(`penguins MLP: ${rows.length} raw rows, max |Δp| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });

  it('penguins regression (log, log1p, clip, ordinal, one-hot with missing) + linear: values within 1e-4 relative', async () => {
    const raw = await loadSample('penguins.csv');
    const split = step({
      kind: 'split',
      train: 0.7,
      validation: 0.15,
      test: 0.15,
      seed: SEED,
      shuffle: true,
      stratify: null,
    });
    const r = recipe(
      step({ kind: 'transform', columns: ['flipper_length_mm'], fn: 'log' }),
      step({ kind: 'transform', columns: ['bill_length_mm'], fn: 'log1p' }),
      step({
        kind: 'impute',
        columns: ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm'],
        strategy: 'median',
      }),
      step({ kind: 'clip', columns: ['bill_depth_mm'], method: 'zscore', z: 2 }),
      step({ kind: 'transform', columns: ['bill_depth_mm'], fn: 'sqrt' }),
      step({ kind: 'scale', columns: ['bill_depth_mm'], method: 'minmax' }),
      step({ kind: 'ordinal', columns: ['island'] }),
      step({ kind: 'onehot', columns: ['sex'] }),
      split,
    );
    const { data, fitted } = await prepared(raw, r);
    const { record, weights } = await train(
      data,
      cfg(
        'body_mass_g',
        { kind: 'linear' },
        { exclude: ['species'], optimizer: { kind: 'adam', learningRate: 0.05 } },
      ),
    );
    expect(record.task).toBe('regression');
    const rows = rawRows(raw, testRowsOf(raw, split as SplitStep));
    rows.push(
      { ...rows[0]!, island: 'Atlantis', sex: null },
      { ...rows[1]!, flipper_length_mm: -3, bill_length_mm: null },
      { ...rows[2]!, island: null, bill_depth_mm: Infinity },
    );
    const app = await appOutputs(record, weights, fitted, datasetOf(raw, rows));
    const bytes = exportOnnx(record, weights, fitted);
    const worst = await compare(bytes, rows, app, 'regression');
    const scale = Math.max(...Array.from(app.out).filter(Number.isFinite).map(Math.abs));
    console.log(
      `penguins linear regression: ${rows.length} raw rows, max |Δy| = ${worst.toExponential(2)} g (|y| ≤ ${scale.toFixed(0)})`,
    );
    expect(worst / scale).toBeLessThanOrEqual(TOLERANCE);
  });

  it('breast cancer (raw features, no recipe) + logistic: probabilities within 1e-4', async () => {
    const bc = await loadSample('breast_cancer.csv');
    const config = cfg('target', { kind: 'logistic' }, { batchSize: 32 });
    const { record, weights } = await train(bc, config);
    const held = [...prepareFeatures(bc, config).test.rows];
    const rows = rawRows(bc, held);
    const app = await appOutputs(record, weights, null, datasetOf(bc, rows));
    const bytes = exportOnnx(record, weights, null);
    const model = onnx.ModelProto.decode(bytes);
    expect(model.graph!.input!.map((i) => i.name)).toEqual(record.features);
    const worst = await compare(bytes, rows, app, 'classification');
    console.log(`breast cancer logistic: ${rows.length} raw rows, max |Δp| = ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
  });
});
