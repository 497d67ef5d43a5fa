import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { instrumentDevice, type DeviceUsage } from '../../src/engine/gpu/instrument';
import { summarizeAdapter, type AdapterSummary } from '../../src/engine/gpu/probe';
import { STEPS, type RecipeStep, type RecipeTable } from './recipeProgram';

/** The backend name the recipe cases register tfjs's WebGPU backend under. */
export const COUNTED_BACKEND = 'webgpu-counted';

/** An adapter in words: vendor / architecture (description), fallback flag. */
export function describeAdapter(a: AdapterSummary): string {
  return (
    `${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}` +
    `${a.isFallbackAdapter ? ', fallback adapter' : ''}`
  );
}

/** tfjs on WebGPU, on a device of our own whose entry points are counted by the engine's wrapper. */
export interface CountedTfjs {
  readonly device: GPUDevice;
  readonly usage: DeviceUsage;
  /** The adapter it runs on, in words (checked to be the same as ours). */
  readonly adapter: string;
  dispose(): void;
}

/**
 * Creates a GPUDevice as tfjs-backend-webgpu's own factory does (base.ts: default adapter with
 * high-performance preference, timestamp-query when offered, the adapter's limits for workgroup storage,
 * workgroups per dimension, storage binding and buffer sizes, workgroup size X and invocations), wraps it with
 * `instrumentDevice`, registers `new WebGPUBackend(device, adapter.info)` as COUNTED_BACKEND and selects it.
 * Throws unless the adapter is the one `ours` runs on and tfjs then really runs on this device: a silent
 * fallback to another backend must fail the case.
 */
export async function createCountedTfjs(ours: AdapterSummary): Promise<CountedTfjs> {
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('tfjs side: navigator.gpu.requestAdapter() returned null');
  const theirs = summarizeAdapter(adapter);
  if (describeAdapter(theirs) !== describeAdapter(ours)) {
    throw new Error(`tfjs would run on ${describeAdapter(theirs)}, ours on ${describeAdapter(ours)}`);
  }
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query')
    ? ['timestamp-query']
    : [];
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
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
  if (tf.findBackendFactory(COUNTED_BACKEND) !== null) tf.removeBackend(COUNTED_BACKEND);
  copyKernels();
  const registered = tf.registerBackend(COUNTED_BACKEND, () => new WebGPUBackend(device, adapter.info));
  if (!registered) throw new Error(`tfjs refused to register backend ${COUNTED_BACKEND}`);
  const ok = await tf.setBackend(COUNTED_BACKEND);
  await tf.ready();
  if (!ok || tf.getBackend() !== COUNTED_BACKEND || !onDevice(device)) {
    device.destroy();
    throw new Error(`tfjs runs on ${tf.getBackend()}, not ${COUNTED_BACKEND} on our device (no fallback)`);
  }
  return {
    device,
    usage,
    adapter: describeAdapter(theirs),
    dispose: () => {
      if (tf.findBackendFactory(COUNTED_BACKEND) !== null) tf.removeBackend(COUNTED_BACKEND);
      device.destroy();
    },
  };
}

/**
 * tfjs-backend-webgpu registers its kernels for the backend name 'webgpu'; a backend registered under another
 * name gets the same kernel configs (tf.getKernelsForBackend / tf.registerKernel, public API), once per page.
 */
function copyKernels(): void {
  const kernels = tf.getKernelsForBackend('webgpu');
  if (kernels.length === 0) throw new Error('tfjs-backend-webgpu registered no kernels (WebGPU missing?)');
  for (const k of kernels) {
    if (tf.getKernel(k.kernelName, COUNTED_BACKEND) === undefined) {
      tf.registerKernel({ ...k, backendName: COUNTED_BACKEND });
    }
  }
}

/** Whether tfjs's current backend is a WebGPUBackend on `device`. */
function onDevice(device: GPUDevice): boolean {
  const b = tf.backend();
  return b instanceof WebGPUBackend && b.device === device;
}

/** Throws unless tfjs still runs on the counted backend (checked before every application). */
export function assertCountedBackend(): void {
  if (tf.getBackend() !== COUNTED_BACKEND || !(tf.backend() instanceof WebGPUBackend)) {
    throw new Error(`tfjs runs on ${tf.getBackend()}, not ${COUNTED_BACKEND}`);
  }
}

/** One step as tfjs ops on the whole [cols, rows] tensor; per-column parameters are [cols, 1] tensors. */
function applyStep(x: tf.Tensor2D, step: RecipeStep, rt: RecipeTable): tf.Tensor2D {
  const column = (v: Float32Array): tf.Tensor2D => tf.tensor2d(v, [rt.cols, 1]);
  switch (step.kind) {
    case 'impute':
      return tf.where(tf.isNaN(x), column(rt.fitted.mean), x);
    case 'standardize':
      return tf.mul(tf.sub(x, column(rt.fitted.mean)), column(rt.fitted.invStd));
    case 'clip':
      return tf.clipByValue(x, step.lo, step.hi);
    case 'affine':
      return tf.mul(tf.sub(x, step.a), step.b);
    case 'log1p':
      return tf.log1p(x);
    case 'power':
      return tf.pow(x, step.exponent);
  }
}

/**
 * Applies the first `n` steps the way tfjs documents it: tf.tensor2d upload of the NaN-coded table, the ops
 * inside tf.tidy (intermediates disposed), then `await data()` as the one readback; the result is disposed.
 * Parameters are uploaded on every application, as ours uploads its program every time.
 */
export async function tfjsApply(rt: RecipeTable, n: number): Promise<Float32Array> {
  assertCountedBackend();
  const out = tf.tidy(() => {
    let x = tf.tensor2d(rt.nanCoded, [rt.cols, rt.rows]);
    for (const step of STEPS.slice(0, n)) x = applyStep(x, step, rt);
    return x;
  });
  try {
    const data = await out.data();
    if (!(data instanceof Float32Array)) throw new Error(`tfjs returned ${out.dtype} data`);
    return data;
  } finally {
    out.dispose();
  }
}
