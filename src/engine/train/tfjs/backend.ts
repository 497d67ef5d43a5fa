/**
 * tfjs backend selection. Every tfjs import of the app lives in this folder. Backends are loaded lazily
 * (dynamic imports), so a run on WASM never loads the WebGPU backend's code and the other way round.
 *
 * WASM is kept single-threaded: the threaded build starts its pthreads from blob: workers, which the app's
 * CSP forbids. tfjs-backend-wasm picks the threaded binary only when its flag
 * WASM_HAS_MULTITHREAD_SUPPORT is true (SharedArrayBuffer available, i.e. cross-origin isolated); the flag
 * is forced to false before the backend initialises, so the plain or SIMD binary is always the one loaded.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import type { TrainEnv } from '../train';
import type { TrainBackend } from '../spec';
import { registerWasmConvGrad } from './wasmConvGrad';

/** The backend that runs, and why it is not the one asked for (null when it is). */
export interface BackendChoice {
  readonly backend: TrainBackend;
  readonly fallbackReason: string | null;
}

/** The order backends are tried in when one fails to start. */
const CHAIN: readonly TrainBackend[] = ['webgpu', 'wasm', 'cpu'];

/** The three binary names tfjs-backend-wasm's setWasmPaths insists on. */
const WASM_FILES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** Registers the backend's module (once) and makes it tfjs's current backend; throws why not. */
async function start(kind: TrainBackend, env: TrainEnv): Promise<void> {
  if (kind === 'webgpu') {
    if (typeof navigator === 'undefined' || !('gpu' in navigator) || navigator.gpu === undefined) {
      throw new Error('this environment has no WebGPU');
    }
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (kind === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const given = env.wasmPaths;
    const fallback = given['tfjs-backend-wasm.wasm'];
    if (fallback === undefined) throw new Error('no path to tfjs-backend-wasm.wasm was given');
    // The threaded entry is required by setWasmPaths but never fetched (the flag below is false).
    const paths = Object.fromEntries(WASM_FILES.map((f) => [f, given[f] ?? fallback]));
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    if (tf.findBackend('wasm') === null) wasm.setWasmPaths(paths);
    registerWasmConvGrad();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  const ok = await tf.setBackend(kind);
  if (!ok) throw new Error(`tfjs could not initialise its ${kind} backend`);
  await tf.ready();
  const running = tf.getBackend();
  if (running !== kind) throw new Error(`tfjs runs on ${running}, not ${kind}`);
}

/**
 * Starts the backend a run asked for. 'auto' is WebGPU unless the adapter is a software fallback (then WASM,
 * which trains these models far faster on the CPU). A backend that fails to start falls back along
 * webgpu → wasm → cpu, and the reason is recorded; so does one that lacks any of `kernels` (tfjs's WASM
 * backend has no Conv2DBackpropFilter of its own; wasmConvGrad.ts adds one). The returned backend is always `tf.getBackend()`.
 */
export async function initBackend(
  asked: 'auto' | TrainBackend,
  env: TrainEnv,
  kernels: readonly string[] = [],
): Promise<BackendChoice> {
  let first: TrainBackend = asked === 'auto' ? 'webgpu' : asked;
  const reasons: string[] = [];
  if (asked === 'auto' && env.softwareAdapter) {
    first = 'wasm';
    reasons.push('The WebGPU adapter is a software fallback (CPU-emulated): WASM trains faster here');
  }
  for (const kind of CHAIN.slice(CHAIN.indexOf(first))) {
    try {
      await start(kind, env);
      const missing = kernels.filter((k) => tf.getKernel(k, kind) === undefined);
      if (missing.length > 0) {
        reasons.push(
          `tfjs's ${kind} backend has no ${missing.join(', ')} kernel, which training this model needs`,
        );
        continue;
      }
      const running = tf.getBackend() as TrainBackend;
      return { backend: running, fallbackReason: reasons.length > 0 ? `${reasons.join('; ')}.` : null };
    } catch (e) {
      reasons.push(`${kind} failed to start (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  throw new Error(`No tfjs backend could start: ${reasons.join('; ')}`);
}

/** Tensors and bytes the current backend holds (for memory charts and leak tests). */
export function memoryInfo(): { readonly numTensors: number; readonly numBytes: number } {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}
