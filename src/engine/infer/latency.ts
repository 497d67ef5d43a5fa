/**
 * The latency benchmark's pure parts: order statistics of run times, seeded random inputs for a model's
 * (pinned) input shapes, and the options with their floors (≥ 5 warm-ups, ≥ 30 timed runs).
 */
import { WorkbenchError } from '../../lib/errors';
import type { TensorInfo } from '../deploy/inspect';
import type { InferEp } from './inferApi';
import { elementCount, type PlainTensor } from './tensors';

/** Order statistics of run times in ms (quantiles linearly interpolated, R type 7). */
export interface LatencySummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Linear-interpolated quantile of an ascending array (NaN when empty). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const a = sorted[lo]!;
  return a + (sorted[Math.ceil(pos)]! - a) * (pos - lo);
}

export function summarize(ms: readonly number[]): LatencySummary {
  const s = [...ms].sort((a, b) => a - b);
  return {
    count: s.length,
    min: s[0] ?? NaN,
    mean: s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length,
    p50: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s[s.length - 1] ?? NaN,
  };
}

export const MIN_WARMUPS = 5;
export const MIN_RUNS = 30;

/** What to measure: providers in order, warm-ups and timed runs per provider, and every input's dims. */
export interface LatencyOptions {
  readonly eps?: readonly InferEp[];
  readonly warmups?: number;
  readonly runs?: number;
  /** Dims per input name, with symbolic dimensions pinned; inputs with fixed shapes may be left out. */
  readonly dims?: Readonly<Record<string, readonly number[]>>;
  /** Seed of the random inputs (the same inputs on every provider). */
  readonly seed?: number;
}

/** One provider's measurements. */
export interface LatencyEpResult {
  readonly ep: InferEp;
  readonly reason: string;
  /** Session creation. */
  readonly loadMs: number;
  /** The first run (WebGPU: shader compilation and uploads included). */
  readonly firstMs: number;
  readonly warmupMs: readonly number[];
  /** Timed runs in order. */
  readonly runsMs: readonly number[];
  readonly summary: LatencySummary;
}

export interface LatencyReport {
  readonly results: readonly LatencyEpResult[];
  /** The inputs' dims as fed. */
  readonly dims: Readonly<Record<string, readonly number[]>>;
  readonly warmups: number;
  readonly runs: number;
}

export interface LatencyProgress {
  readonly ep: InferEp;
  readonly phase: 'load' | 'first' | 'warmup' | 'timed';
  readonly done: number;
  readonly total: number;
}

/** Options with defaults and floors applied; nonsense is INVALID_INPUT. */
export function latencyPlan(o: LatencyOptions): { eps: InferEp[]; warmups: number; runs: number } {
  const warmups = o.warmups ?? MIN_WARMUPS;
  const runs = o.runs ?? MIN_RUNS;
  if (!Number.isInteger(warmups) || warmups < MIN_WARMUPS || warmups > 10_000) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Warm-ups must be a whole number from ${MIN_WARMUPS} to 10000.`,
    );
  }
  if (!Number.isInteger(runs) || runs < MIN_RUNS || runs > 100_000) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Timed runs must be a whole number from ${MIN_RUNS} to 100000.`,
    );
  }
  const eps = [...new Set(o.eps ?? (['webgpu', 'wasm'] as const))];
  if (eps.length === 0) throw new WorkbenchError('INVALID_INPUT', 'Choose at least one execution provider.');
  return { eps, warmups, runs };
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeded random inputs: floats uniform in [−1, 1), integers in 0…3 (a one-element integer input named sr or
 * sample_rate: 16000), bools 0/1 (other types: INVALID_INPUT). Dims come from
 * `dims` or the model's fixed shape; a symbolic dimension left unpinned is INVALID_INPUT naming it.
 */
export function randomFeeds(
  inputs: readonly TensorInfo[],
  dims: Readonly<Record<string, readonly number[]>> = {},
  seed = 1,
): Record<string, PlainTensor> {
  const next = rng(seed);
  const feeds: Record<string, PlainTensor> = {};
  for (const t of inputs) {
    const given = dims[t.name];
    const shape = given ?? t.shape;
    if (shape === null || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 1)) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Input “${t.name}” has a dimension without a size; pin it in the inspector first.`,
      );
    }
    const d = shape as number[];
    const n = elementCount(d);
    const float = () => next() * 2 - 1;
    // A sample-rate input (sr, sample_rate… of one element) gets 16000, as a streaming model expects.
    const rate = /^(sr|sample_?rate|sampling_?rate)$/i.test(t.name) && n === 1;
    const int = () => (rate ? 16_000 : Math.floor(next() * 4));
    switch (t.elemType) {
      case 'float32':
        feeds[t.name] = { type: 'float32', dims: d, data: Float32Array.from({ length: n }, float) };
        break;
      case 'float64':
        feeds[t.name] = { type: 'float64', dims: d, data: Float64Array.from({ length: n }, float) };
        break;
      case 'int32':
        feeds[t.name] = { type: 'int32', dims: d, data: Int32Array.from({ length: n }, int) };
        break;
      case 'int64':
        feeds[t.name] = {
          type: 'int64',
          dims: d,
          data: BigInt64Array.from({ length: n }, () => BigInt(int())),
        };
        break;
      case 'uint8':
        feeds[t.name] = { type: 'uint8', dims: d, data: Uint8Array.from({ length: n }, int) };
        break;
      case 'bool':
        feeds[t.name] = {
          type: 'bool',
          dims: d,
          data: Uint8Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1)),
        };
        break;
      case 'int8':
        feeds[t.name] = { type: 'int8', dims: d, data: Int8Array.from({ length: n }, int) };
        break;
      default:
        throw new WorkbenchError(
          'INVALID_INPUT',
          `Input “${t.name}” has type ${t.elemType}, not supported here.`,
        );
    }
  }
  return feeds;
}
