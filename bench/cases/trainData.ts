import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { DatasetMeta } from '../../src/engine/data/dataset';
import { wordsPerColumn } from '../../src/engine/data/table';
import { instrumentDevice, type DeviceUsage } from '../../src/engine/gpu/instrument';
import { summarizeAdapter, type AdapterSummary } from '../../src/engine/gpu/probe';
import type { LoadedColumn, LoadedDataset } from '../../src/engine/preprocess/load';
import { deriveSeed, epochOrder } from '../../src/engine/train/batching';
import type { TrainBackend, TrainConfig } from '../../src/engine/train/spec';
import type { TrainEnv } from '../../src/engine/train/train';
import { initBackend } from '../../src/engine/train/tfjs/backend';
import { mulberry32 } from '../../src/lib/random';
import { intParam } from '../data';
import { describeAdapter } from './recipeTfjs';

/** Query parameters every train case reads. */
export const TRAIN_PARAMS = ['trainRows', 'trainBatch', 'trainEpochs', 'trainSweepRuns'] as const;

/** MNIST's shape: 28 × 28 × 1 u8 pixels, 10 classes; the MLP of TESTING.md's tfjs figures. */
export const IMAGE: readonly [number, number, number] = [28, 28, 1];
export const WIDTH = IMAGE[0] * IMAGE[1] * IMAGE[2];
export const CLASSES = 10;
export const HIDDEN = [128, 64] as const;
export const LEARNING_RATE = 1e-3;
const SEED = 20240605;

/** Where the app's training worker finds tfjs-backend-wasm's binaries (bundled as assets here too). */
export const BENCH_ENV: TrainEnv = {
  wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd },
  softwareAdapter: false,
};

/** The seeded data every train case uses, as the app holds it and as a bare tfjs-layers program would. */
export interface TrainData {
  readonly rows: number;
  readonly batch: number;
  readonly epochs: number;
  /** Optimizer steps per run: epochs × ⌈rows / batch⌉. */
  readonly steps: number;
  readonly seed: number;
  /** An image column `pixels` (u8) and a categorical `digit`, every row stored as train (no val/test). */
  readonly dataset: LoadedDataset;
  /** Pixels / 255, rows in the order our trainer visits them in epoch 0 (row-major, rows × WIDTH). */
  readonly x: Float32Array;
  /** One-hot labels in the same order (rows × CLASSES). */
  readonly yHot: Float32Array;
}

/** `trainRows` (256), `trainBatch` (64), `trainEpochs` (1). */
export function trainData(params: URLSearchParams): TrainData {
  return makeTrainData(
    intParam(params, 'trainRows', 256),
    intParam(params, 'trainBatch', 64),
    intParam(params, 'trainEpochs', 1),
  );
}

/** Seeded MNIST-shaped rows: random pixels, digit = row mod 10. */
export function makeTrainData(rows: number, batch: number, epochs: number): TrainData {
  const rand = mulberry32(SEED);
  const pixels = new Uint8Array(rows * WIDTH);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rand() * 256);
  const digits = Int32Array.from({ length: rows }, (_, r) => r % CLASSES);
  const all = new Uint32Array(wordsPerColumn(rows));
  for (let r = 0; r < rows; r++) all[r >>> 5]! |= 1 << (r & 31);
  const columns: LoadedColumn[] = [
    { meta: { name: 'pixels', type: 'image', missing: 0, shape: IMAGE }, data: pixels, validity: all },
    {
      meta: {
        name: 'digit',
        type: 'categorical',
        missing: 0,
        dictionary: Array.from({ length: CLASSES }, (_, c) => String(c)),
      },
      data: digits,
      validity: all.slice(),
    },
  ];
  const meta: DatasetMeta = {
    id: 'bench-train-mnist',
    name: 'bench-train-mnist',
    rows,
    columns: columns.map((c) => c.meta),
    target: 'digit',
    chunkRows: 1024,
    chunkCount: Math.ceil(rows / 1024),
    bytes: pixels.byteLength + digits.byteLength,
    createdAt: 0,
    contentHash: '',
    source: { kind: 'sample', name: 'bench-train-mnist', bytes: 0, format: 'csv' },
    parent: null,
    split: { train: rows, validation: 0, test: 0 },
    stats: null,
    status: 'ready',
  };
  // Our trainer visits the train rows in epochOrder(rows, seed, epoch); the bare side gets epoch 0's order
  // up front (fit with shuffle: false), so both sides' first epoch sees the same batches.
  const order = epochOrder(rows, SEED, 0);
  const x = new Float32Array(rows * WIDTH);
  const yHot = new Float32Array(rows * CLASSES);
  order.forEach((r, i) => {
    for (let j = 0; j < WIDTH; j++) x[i * WIDTH + j] = pixels[r * WIDTH + j]! / 255;
    yHot[i * CLASSES + digits[r]!] = 1;
  });
  return {
    rows,
    batch,
    epochs,
    steps: epochs * Math.ceil(rows / batch),
    seed: SEED,
    dataset: { meta, columns },
    x,
    yHot,
  };
}

/** Our trainer's config for the same MLP (784-128-64-10 relu, softmax), Adam 1e-3, on `backend`. */
export function trainConfig(d: TrainData, backend: TrainBackend): TrainConfig {
  return {
    datasetId: d.dataset.meta.id,
    target: 'digit',
    task: 'classification',
    model: { kind: 'mlp', hidden: HIDDEN.map((units) => ({ units, activation: 'relu' as const })) },
    loss: 'auto',
    optimizer: { kind: 'adam', learningRate: LEARNING_RATE },
    batchSize: d.batch,
    epochs: d.epochs,
    earlyStopping: null,
    classWeights: 'none',
    seed: d.seed,
    backend,
  };
}

/**
 * The same MLP in plain tfjs-layers: dense relu layers and a softmax output, glorot-uniform kernels seeded as
 * our trainer seeds them (deriveSeed(seed, 0x1a7e, layer)), zero biases, so both start from the same weights;
 * compiled with Adam 1e-3, categorical cross-entropy and accuracy, as a tfjs user writes it.
 */
export function bareModel(seed: number): tfl.Sequential {
  const units = [...HIDDEN, CLASSES];
  const model = tfl.sequential({
    layers: units.map((u, i) =>
      tfl.layers.dense({
        units: u,
        activation: i < HIDDEN.length ? 'relu' : 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: deriveSeed(seed, 0x1a7e, i) }),
        biasInitializer: 'zeros',
        ...(i === 0 ? { inputShape: [WIDTH] } : {}),
      }),
    ),
  });
  model.compile({
    optimizer: tf.train.adam(LEARNING_RATE),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Disposes a compiled model and its optimizer (tfjs-layers leaves the optimizer's state alive). */
export function disposeModel(model: tfl.LayersModel): void {
  const opt = model.optimizer;
  model.dispose();
  opt.dispose();
}

/** The loss of epoch 0 from a fit's history. */
export function firstLoss(h: tfl.History): number {
  const v = h.history['loss']?.[0];
  if (typeof v !== 'number') throw new Error('fit returned no epoch loss');
  return v;
}

/** tfjs's WebGPU backend on a device of our own, counted by the engine's wrapper. */
export interface CountedWebgpu {
  readonly device: GPUDevice;
  readonly usage: DeviceUsage;
  /** The adapter it runs on, in words. */
  readonly adapter: string;
  /** Puts tfjs's own 'webgpu' factory back and destroys the device. */
  restore(): void;
}

/**
 * Re-registers tfjs's backend name 'webgpu' (the name our trainer's initBackend selects) with a factory that
 * returns `new WebGPUBackend(device)` on a device created as tfjs-backend-webgpu's own factory does (see
 * recipeTfjs.ts) and wrapped by `instrumentDevice`; kernels registered for 'webgpu' stay as they are. Throws
 * unless the adapter is the one ours runs on. `restore()` puts tfjs's original factory back.
 */
export async function countWebgpu(ours: AdapterSummary): Promise<CountedWebgpu> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('tfjs side: navigator.gpu.requestAdapter() returned null');
  const theirs = summarizeAdapter(adapter);
  if (describeAdapter(theirs) !== describeAdapter(ours)) {
    throw new Error(`tfjs would run on ${describeAdapter(theirs)}, ours on ${describeAdapter(ours)}`);
  }
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  const usage = instrumentDevice(device);
  const original = tf.findBackendFactory('webgpu');
  if (original === null) {
    device.destroy();
    throw new Error('tfjs-backend-webgpu registered no webgpu backend (WebGPU missing?)');
  }
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 3);
  return {
    device,
    usage,
    adapter: describeAdapter(theirs),
    restore: () => {
      if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', original, 3);
      device.destroy();
    },
  };
}

/**
 * Starts wasm and cpu through our trainer's own initBackend (single-threaded wasm, the app's wasm paths), and
 * 'webgpu' once on the counted device; leaves tfjs on `last`.
 */
export async function startBackends(
  kinds: readonly TrainBackend[],
  counted: CountedWebgpu | null,
  last: TrainBackend,
): Promise<void> {
  for (const kind of [...kinds.filter((k) => k !== last), last]) {
    const { backend, fallbackReason } = await initBackend(kind, BENCH_ENV);
    if (backend !== kind || fallbackReason !== null) {
      throw new Error(`tfjs ${kind} did not start: ${fallbackReason ?? backend}`);
    }
    await switchBackend(kind, counted);
  }
}

/** Makes `kind` tfjs's backend and asserts it (for webgpu: the backend on our counted device). */
export async function switchBackend(kind: TrainBackend, counted: CountedWebgpu | null): Promise<void> {
  if (tf.getBackend() !== kind) {
    const ok = await tf.setBackend(kind);
    if (!ok) throw new Error(`tfjs could not switch to ${kind}`);
  }
  assertBackend(kind, counted);
}

/** Throws unless tfjs runs on `kind` now (webgpu: on the counted device). */
export function assertBackend(kind: TrainBackend, counted: CountedWebgpu | null): void {
  const running = tf.getBackend();
  if (running !== kind) throw new Error(`tfjs runs on ${running}, not ${kind}`);
  if (kind === 'webgpu') {
    const b = tf.backend();
    if (!(b instanceof WebGPUBackend) || counted === null || b.device !== counted.device) {
      throw new Error('tfjs webgpu does not run on the counted device');
    }
  }
}

/** Relative difference |a − b| / max(|a|, |b|, 1e-12). */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}
