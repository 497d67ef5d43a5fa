import { describe, expect, it } from 'vitest';
import { computeColumnStats } from '../../src/engine/data/statsService';
import { tableFromColumns } from '../../src/engine/data/table';
import { GpuContext, type GpuEvent } from '../../src/engine/gpu/context';
import { WorkbenchError } from '../../src/lib/errors';

/**
 * A minimal stand-in for navigator.gpu whose devices are lost with reason 'unknown' on request. Real
 * losses are exercised in the e2e GPU-crash test; this one drives the retry policy deterministically.
 */
function flakyGpu(loseAfterMs: number | null) {
  const devices: { lose: () => void }[] = [];
  const gpu = {
    requestAdapter: () =>
      Promise.resolve({
        info: { vendor: 'test', architecture: 'fake', device: '', description: '', isFallbackAdapter: false },
        features: new Set<string>(),
        limits: { maxBufferSize: 1 << 28, maxStorageBufferBindingSize: 1 << 27 },
        requestDevice: () => {
          let lose = (): void => undefined;
          const lost = new Promise(
            (r) => (lose = () => r({ reason: 'unknown', message: 'GPU process crashed' })),
          );
          devices.push({ lose });
          if (loseAfterMs !== null) setTimeout(lose, loseAfterMs);
          return Promise.resolve({
            lost,
            features: new Set<string>(),
            limits: {
              maxBufferSize: 1 << 28,
              maxStorageBufferBindingSize: 1 << 27,
              maxComputeWorkgroupsPerDimension: 65535,
            },
            // Work on this device never completes: only the loss ends it.
            createShaderModule: () => ({ getCompilationInfo: () => new Promise(() => undefined) }),
            destroy: () => undefined,
            // Entry points the usage counters wrap (never reached: work hangs at compilation).
            queue: { writeBuffer: () => undefined, submit: () => undefined },
            createBuffer: () => ({}),
            createCommandEncoder: () => ({}),
          });
        },
      }),
  };
  return { gpu: gpu as unknown as GPU, devices };
}

describe('gpu: device loss policy', () => {
  it("re-runs a job once on a new device after a loss with reason 'unknown'", async () => {
    const { gpu, devices } = flakyGpu(null);
    const events: GpuEvent[] = [];
    const ctx = new GpuContext(gpu, { onEvent: (e) => events.push(e) });
    const generations: number[] = [];
    const result = await ctx.run(async (s) => {
      generations.push(s.generation);
      if (s.generation === 1) {
        devices[0]!.lose();
        return new Promise<string>(() => undefined);
      }
      return 'done';
    });
    expect(result).toBe('done');
    expect(generations).toEqual([1, 2]);
    expect(events.map((e) => e.type)).toEqual(['device-ready', 'device-lost', 'device-ready']);
  });

  it('gives up with GPU_DEVICE_LOST after a second loss in the same job', async () => {
    const { gpu } = flakyGpu(5);
    const ctx = new GpuContext(gpu);
    const e: unknown = await ctx.run(() => new Promise(() => undefined)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkbenchError);
    expect((e as WorkbenchError).code).toBe('GPU_DEVICE_LOST');
    expect((e as WorkbenchError).message).toContain('lost 2 times');
  });

  it("'auto' statistics fall back to the CPU after repeated loss, and say so", async () => {
    const { gpu } = flakyGpu(5);
    const t = tableFromColumns(['x'], [[1, 2, 3, null]]);
    const run = await computeColumnStats(new GpuContext(gpu), t, 'auto');
    expect(run.backend).toBe('cpu');
    expect(run.fallbackReason).toMatch(/GPU device lost \(unknown\).*computed on the CPU instead/);
    expect(run.stats[0]).toMatchObject({ count: 3, missing: 1, mean: 2 });
  });

  it("'webgpu' statistics fail with the loss instead of falling back", async () => {
    const { gpu } = flakyGpu(5);
    const t = tableFromColumns(['x'], [[1, 2]]);
    await expect(computeColumnStats(new GpuContext(gpu), t, 'webgpu')).rejects.toMatchObject({
      code: 'GPU_DEVICE_LOST',
    });
  });

  it("'auto' without WebGPU runs on the CPU and says why", async () => {
    const t = tableFromColumns(['x'], [[1, 2]]);
    const run = await computeColumnStats(new GpuContext(undefined), t, 'auto');
    expect(run.backend).toBe('cpu');
    expect(run.fallbackReason).toContain('navigator.gpu is missing');
  });
});
