import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../src/engine/deploy/inspect';
import { latencyPlan, quantile, randomFeeds, summarize } from '../../src/engine/infer/latency';
import { WorkbenchError } from '../../src/lib/errors';

const t = (name: string, elemType: string, shape: TensorInfo['shape']): TensorInfo => ({
  name,
  elemType,
  shape,
});

function thrown(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbenchError);
    return e as WorkbenchError;
  }
  throw new Error('expected a WorkbenchError, nothing was thrown');
}

describe('infer: latency statistics and inputs', () => {
  it('p50/p95/p99 interpolate linearly (R type 7) over 1…101 ms, in any order', () => {
    const xs = Array.from({ length: 101 }, (_, i) => 101 - i);
    expect(summarize(xs)).toEqual({ count: 101, min: 1, mean: 51, p50: 51, p95: 96, p99: 100, max: 101 });
    expect(quantile([1, 2], 0.5)).toBe(1.5);
    expect(Number.isNaN(summarize([]).p50)).toBe(true);
  });

  it('random inputs follow the model types and pinned dims, the same for the same seed', () => {
    const inputs = [t('x', 'float32', ['N', 3]), t('ids', 'int64', [2]), t('m', 'bool', [4])];
    const a = randomFeeds(inputs, { x: [2, 3] }, 7);
    expect(a.x).toMatchObject({ type: 'float32', dims: [2, 3] });
    expect(Array.from(a.x!.data as Float32Array).every((v) => v >= -1 && v < 1)).toBe(true);
    expect(a.ids!.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(a.m!.data as Uint8Array).every((v) => v === 0 || v === 1)).toBe(true);
    expect(randomFeeds(inputs, { x: [2, 3] }, 7).x!.data).toEqual(a.x!.data);
    expect(randomFeeds(inputs, { x: [2, 3] }, 8).x!.data).not.toEqual(a.x!.data);
    const sr = randomFeeds([t('sr', 'int64', [])]).sr!;
    expect([sr.dims, sr.data]).toEqual([[], BigInt64Array.of(16_000n)]);
  });

  it('an unpinned symbolic dim, a string input, fewer than 5 warm-ups or 30 runs are INVALID_INPUT', () => {
    expect(thrown(() => randomFeeds([t('x', 'float32', ['N', 3])])).message).toContain('“x”');
    expect(thrown(() => randomFeeds([t('s', 'string', [1])])).code).toBe('INVALID_INPUT');
    expect(thrown(() => latencyPlan({ warmups: 4 })).code).toBe('INVALID_INPUT');
    expect(thrown(() => latencyPlan({ runs: 29 })).code).toBe('INVALID_INPUT');
    expect(thrown(() => latencyPlan({ eps: [] })).code).toBe('INVALID_INPUT');
    expect(latencyPlan({})).toEqual({ eps: ['webgpu', 'wasm'], warmups: 5, runs: 30 });
  });
});
