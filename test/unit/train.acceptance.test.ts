/**
 * Trainer acceptance on real samples. Every run here uses tfjs's **WASM** backend, chosen explicitly for
 * speed (on these CPU-only machines it is by far the fastest tfjs backend); each test asserts the run really
 * recorded 'wasm'. WebGPU parity is proven elsewhere, by an end-to-end test in a browser.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../src/engine/gpu/context';
import { ingestIdx } from '../../src/engine/data/ingest/idx';
import { joinChunks, type LoadedColumn, type LoadedDataset } from '../../src/engine/preprocess/load';
import type { Recipe } from '../../src/engine/preprocess/recipe';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { prepareFeatures } from '../../src/engine/train/features';
import type { ClassificationEval, RegressionEval, RunRecord, TrainEvent } from '../../src/engine/train/run';
import type { TrainConfig } from '../../src/engine/train/spec';
import { memoryInfo } from '../../src/engine/train/tfjs/backend';
import type { RunControl, TrainOutcome } from '../../src/engine/train/train';
import { trainModel } from '../../src/engine/train/trainer';
import { NODE_TRAIN_ENV, RUNNING, wasmConfig } from '../support/trainWasm';
import { MemorySink } from '../support/memorySink';
import { catCol, dataset, loadSample, numCol, penguinsRecipe, recipe, step } from '../support/recipeData';

const env = NODE_TRAIN_ENV;
const running = RUNNING;
const SEED = 7;

const cfg = (target: string, model: TrainConfig['model'], over: Partial<TrainConfig> = {}): TrainConfig =>
  wasmConfig(target, model, { seed: SEED, ...over });

async function train(
  data: LoadedDataset,
  config: TrainConfig,
  control: RunControl = running,
  onEvent: (e: TrainEvent) => void = () => undefined,
): Promise<TrainOutcome & { events: TrainEvent[] }> {
  const events: TrainEvent[] = [];
  const out = await trainModel(data, config, env, {
    onEvent: (e) => {
      events.push(e);
      onEvent(e);
    },
    control,
    runId: 'run-test',
  });
  return { ...out, events };
}

const cls = (r: RunRecord): ClassificationEval => r.evaluation as ClassificationEval;

/** A dataset after a CPU recipe run, with the split the recipe wrote. */
async function prepared(data: LoadedDataset, recipe: Recipe): Promise<LoadedDataset> {
  const { run, columns } = await runRecipeOn(new GpuContext(undefined), data, recipe, 'cpu');
  const s = run.fitted.split;
  const split = s ? { split: { train: s.train, validation: s.validation, test: s.test } } : {};
  return { meta: { ...data.meta, columns: columns.map((c) => c.meta), ...split }, columns };
}

/** The MNIST-3000 IDX pair of public/samples, imported as the app imports it. */
async function mnist(): Promise<LoadedDataset> {
  const dir = join(import.meta.dirname, '../../public/samples');
  const file = (name: string) => ({ name, path: name, blob: new Blob([readFileSync(join(dir, name))]) });
  const sink = new MemorySink();
  const names = ['mnist-3000-images-idx3-ubyte.gz', 'mnist-3000-labels-idx1-ubyte.gz'];
  const meta = await ingestIdx(names.map(file), sink, { id: 'mnist', kind: 'sample', now: () => 0 });
  const columns: LoadedColumn[] = [];
  for (const [c, col] of meta.columns.entries()) {
    const chunks = [];
    for (let i = 0; i < meta.chunkCount; i++) chunks.push(await sink.read('mnist')(c, i));
    columns.push(joinChunks(col, meta.rows, chunks));
  }
  return { meta, columns };
}

const report = (what: string, r: RunRecord, value: number): void =>
  console.log(
    `${what}: ${value.toFixed(3)} (${r.backend}, ${r.history.length} epochs, ${Math.round(r.durationMs)} ms)`,
  );

describe('train: acceptance on WASM', { timeout: 30_000 }, () => {
  it('iris → MLP ≥ 0.90 test accuracy (60/20/20 stratified recipe split: 30 test rows)', async () => {
    // A 30-row test set rather than the trainer's 21-row default: each miss then costs 3.3 points, not 4.8.
    const split = step({
      kind: 'split',
      train: 0.6,
      validation: 0.2,
      test: 0.2,
      seed: SEED,
      shuffle: true,
      stratify: 'target',
    });
    const iris = await prepared(await loadSample('iris.csv'), recipe(split));
    const config = cfg(
      'target',
      { kind: 'mlp', hidden: [{ units: 16, activation: 'relu' }] },
      {
        epochs: 100,
        earlyStopping: { patience: 10 },
      },
    );
    const { record } = await train(iris, config);
    expect(record.backend).toBe('wasm');
    expect(record.fallbackReason).toBeNull();
    expect(record.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(record.rows).toEqual({ train: 90, validation: 30, test: 30 });
    expect(record.name).toBe('mlp 16 · iris');
    expect(record.parameters).toBe(4 * 16 + 16 + 16 * 3 + 3);
    const e = cls(record);
    report('iris MLP test accuracy', record, e.accuracy);
    expect(e.accuracy).toBeGreaterThanOrEqual(0.9);
    // Evaluated on the test rows only, which never train: disjoint sets, every miss a test row.
    const f = prepareFeatures(iris, config);
    const trainRows = new Set(f.train.rows);
    expect(f.test.rows.some((r) => trainRows.has(r))).toBe(false);
    expect(e.testRows).toBe(f.test.rows.length);
    for (const m of e.misses) expect(f.test.rows).toContain(m.row);
  });

  it('breast cancer (raw features) → logistic regression ≥ 0.93; the trainer standardizes and says so', async () => {
    const bc = await loadSample('breast_cancer.csv');
    const { record } = await train(bc, cfg('target', { kind: 'logistic' }, { batchSize: 32 }));
    expect(record.backend).toBe('wasm');
    expect(record.parameters).toBe(31);
    expect(record.notices.join('\n')).toMatch(/far from unit scale: the trainer standardized/);
    const e = cls(record);
    report('breast cancer logistic test accuracy', record, e.accuracy);
    expect(e.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(e.accuracy).toBeGreaterThan(e.baseline.accuracy);
  });

  it('penguins through the recipe (impute → standardize → one-hot → split) → MLP ≥ 0.95', async () => {
    const data = await prepared(await loadSample('penguins.csv'), penguinsRecipe());
    const model = { kind: 'mlp' as const, hidden: [{ units: 16, activation: 'relu' as const }] };
    const { record } = await train(data, cfg('species', model));
    expect(record.backend).toBe('wasm');
    expect(record.rows).toEqual({ train: 241, validation: 52, test: 51 }); // the recipe's split
    expect(record.features).toContain('island=Dream');
    const e = cls(record);
    report('penguins MLP test accuracy', record, e.accuracy);
    expect(e.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('MNIST-3000 → MLP ≥ 0.85 and a small CNN ≥ 0.85 on held-out images; events are throttled', async () => {
    const data = await mnist();
    const mlp = cfg(
      'label',
      { kind: 'mlp', hidden: [{ units: 64, activation: 'relu' }] },
      {
        epochs: 10,
        batchSize: 32,
        optimizer: { kind: 'adam', learningRate: 0.001 },
      },
    );
    const { record, events } = await train(data, mlp);
    expect(record.backend).toBe('wasm');
    expect(record.rows).toEqual({ train: 2100, validation: 450, test: 450 });
    expect(record.notices.join('\n')).toMatch(/Pixels 0–255 were scaled/);
    report('MNIST MLP test accuracy', record, cls(record).accuracy);
    expect(cls(record).accuracy).toBeGreaterThanOrEqual(0.85);
    expect(events[0]).toMatchObject({ type: 'started', backend: 'wasm', stepsPerEpoch: 66 });
    const batches = events.flatMap((e, i) => (e.type === 'batches' ? [{ e, i }] : []));
    expect(batches.length).toBeGreaterThan(2);
    const steps = batches.flatMap(({ e }) => (e.type === 'batches' ? e.points.map((p) => p.step) : []));
    expect(steps).toEqual(Array.from({ length: 660 }, (_, i) => i)); // every step reported once, in order
    for (const { e } of batches) {
      if (e.type !== 'batches') continue;
      expect(e.samplesPerSec).toBeGreaterThan(0);
      expect(e.memoryBytes).toBeGreaterThan(0);
      expect(e.points.every((p) => Number.isFinite(p.smoothed))).toBe(true);
    }

    const cnn = cfg(
      'label',
      { kind: 'cnn', conv: [{ filters: 8, kernel: 3, pool: 2 }], dense: [] },
      {
        epochs: 3,
        batchSize: 32,
        optimizer: { kind: 'adam', learningRate: 0.003 },
      },
    );
    const conv = await train(data, cnn);
    expect(conv.record.backend).toBe('wasm'); // with our Conv2DBackpropFilter kernel for WASM
    report('MNIST CNN test accuracy', conv.record, cls(conv.record).accuracy);
    expect(cls(conv.record).accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('our WASM Conv2DBackpropFilter kernel gives the CPU backend’s filter gradient', async () => {
    const x = Array.from({ length: 2 * 5 * 6 * 3 }, (_, i) => Math.sin(i * 0.7));
    const w = Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i * 0.3));
    /** d/dw Σ conv2d(x, w)·g, with g a fixed pattern: exactly what backprop asks the kernel for. */
    const grad = async (backend: string, pad: 'same' | 'valid', stride: 1 | 2): Promise<number[]> => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => {
        const xs = tf.tensor4d(x, [2, 5, 6, 3]);
        const f = (k: tf.Tensor) => {
          const y = tf.conv2d(xs, k as tf.Tensor4D, stride, pad);
          const pattern = tf.sin(tf.range(0, y.size).reshape(y.shape));
          return tf.sum(tf.mul(y, pattern));
        };
        return tf.grad(f)(tf.tensor4d(w, [3, 3, 3, 4]));
      });
      const out = [...(await g.data())];
      g.dispose();
      return out;
    };
    for (const [pad, stride] of [
      ['same', 2],
      ['valid', 1],
    ] as const) {
      const cpu = await grad('cpu', pad, stride);
      const wasm = await grad('wasm', pad, stride);
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
      expect(wasm).toHaveLength(3 * 3 * 3 * 4);
      wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i]!, 3));
    }
  });

  it('regression: a linear model recovers y = 3·a − 2·b + 500 (target and features standardized inside)', async () => {
    const rows = 300;
    const a = Array.from({ length: rows }, (_, i) => ((i * 37) % 101) * 10);
    const b = Array.from({ length: rows }, (_, i) => ((i * 53) % 89) / 10);
    const y = a.map((v, i) => 3 * v - 2 * b[i]! + 500 + (((i * 13) % 7) - 3) * 0.1);
    const data = dataset([numCol('a', a), numCol('b', b), numCol('y', y)], 'line');
    const config = cfg(
      'y',
      { kind: 'linear' },
      { epochs: 40, batchSize: 32, optimizer: { kind: 'adam', learningRate: 0.05 } },
    );
    const { record, weights } = await train(data, config);
    const e = record.evaluation as RegressionEval;
    expect(record.task).toBe('regression');
    report('linear regression test R²', record, e.r2);
    expect(e.r2).toBeGreaterThan(0.999);
    expect(e.rmse).toBeLessThan(e.baseline.rmse / 20);
    // Both scalings are folded into the saved weights: they predict y from raw a and b.
    const [kernel, bias] = weights;
    expect(kernel!.shape).toEqual([2, 1]);
    expect(kernel!.data[0]).toBeCloseTo(3, 1);
    expect(kernel!.data[1]).toBeCloseTo(-2, 0);
    expect(bias!.data[0]).toBeCloseTo(500, -1);
  });
});

describe('train: reproducibility, memory, control, exclusions, backends', { timeout: 30_000 }, () => {
  const iris = loadSample('iris.csv');
  const dropoutMlp = cfg(
    'target',
    { kind: 'mlp', hidden: [{ units: 16, activation: 'relu', dropout: 0.2 }] },
    {
      epochs: 15,
      optimizer: { kind: 'momentum', learningRate: 0.05 },
      classWeights: 'balanced',
    },
  );

  it('same seed and backend → identical history, metrics and weights (dropout included)', async () => {
    const strip = (r: RunRecord) =>
      r.history.map((h) => [h.epoch, h.trainLoss, h.trainMetric, h.valLoss, h.valMetric]); // not the timings
    const one = await train(await iris, dropoutMlp);
    const two = await train(await iris, dropoutMlp);
    expect(strip(two.record)).toEqual(strip(one.record));
    expect(two.record.evaluation).toEqual(one.record.evaluation);
    expect(two.weights).toEqual(one.weights);
    const other = await train(await iris, { ...dropoutMlp, seed: SEED + 1 });
    expect(strip(other.record)).not.toEqual(strip(one.record));
  });

  it('tensors do not leak: the count is the same after every epoch, and back to the start after the run', async () => {
    const before = memoryInfo().numTensors;
    const perEpoch: number[] = [];
    const config = { ...dropoutMlp, epochs: 8, earlyStopping: { patience: 100 } };
    await train(await iris, config, running, (e) => {
      if (e.type === 'epoch') perEpoch.push(memoryInfo().numTensors);
    });
    expect(perEpoch).toHaveLength(8);
    // Epoch 0 reports before early stopping keeps its first copy of the best weights; from then on, flat.
    expect(new Set(perEpoch.slice(1)).size).toBe(1);
    expect(perEpoch[1]! - perEpoch[0]!).toBe(4); // that copy: 2 kernels + 2 biases
    expect(memoryInfo().numTensors).toBe(before);
  });

  it('cancel mid-run returns status cancelled with the epochs so far; pause waits and says so', async () => {
    let cancelled = false;
    let pauses = 0;
    let release: (() => void) | null = null;
    const control: RunControl = {
      get cancelled() {
        return cancelled;
      },
      waitWhilePaused: () => {
        if (pauses++ !== 5) return Promise.resolve();
        return new Promise<void>((r) => {
          release = r;
          setTimeout(() => release?.(), 30);
        });
      },
    };
    const { record, events } = await train(await iris, { ...dropoutMlp, epochs: 50 }, control, (e) => {
      if (e.type === 'epoch' && e.record.epoch === 2) cancelled = true;
    });
    expect(record.status).toBe('cancelled');
    expect(record.history).toHaveLength(3);
    expect(record.evaluation).toBeNull();
    const states = events.flatMap((e) => (e.type === 'state' ? [e.state] : []));
    expect(states).toEqual(['running', 'paused', 'running']);
  });

  it('a dataset with an ID column and a text column trains with both left out, saying so', async () => {
    const n = 120;
    const x1 = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3));
    const x2 = Array.from({ length: n }, (_, i) => Math.cos(i * 0.7));
    const id = numCol(
      'id',
      Array.from({ length: n }, (_, i) => 1000 + i),
    );
    const note = numCol('note', x1);
    const cols: LoadedColumn[] = [
      { ...id, meta: { ...id.meta, type: 'integer' } },
      { ...note, meta: { name: 'note', type: 'text', missing: 0 }, data: x1.map((v) => `note ${v}`) },
      numCol('x1', x1),
      numCol('x2', x2),
      catCol(
        'label',
        x1.map((v, i) => (v + x2[i]! > 0 ? 'up' : 'down')),
      ),
    ];
    const { record } = await train(
      dataset(cols, 'mixed'),
      cfg('label', { kind: 'logistic' }, { epochs: 30 }),
    );
    expect(record.features).toEqual(['x1', 'x2']);
    expect(record.notices.join('\n')).toMatch(/column id: an ID/);
    expect(record.notices.join('\n')).toMatch(/column note: text/);
    expect(record.status).toBe('completed');
    expect(cls(record).accuracy).toBeGreaterThan(0.8);
  });

  it('backends: WebGPU asked for where there is none falls back to WASM; auto on a software adapter picks WASM', async () => {
    const small = { ...dropoutMlp, epochs: 1 };
    const gpu = await train(await iris, { ...small, backend: 'webgpu' });
    expect(gpu.record.backend).toBe('wasm');
    expect(gpu.record.fallbackReason).toMatch(/webgpu failed to start/);
    const auto = await trainModel(
      await iris,
      { ...small, backend: 'auto' },
      { ...env, softwareAdapter: true },
      {
        onEvent: () => undefined,
        control: running,
        runId: 'auto',
      },
    );
    expect(auto.record.backend).toBe('wasm');
    expect(auto.record.fallbackReason).toMatch(/software fallback/);
  });
});
