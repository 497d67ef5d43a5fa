import { afterAll, describe, expect, it } from 'vitest';
import { columnStatsGpu } from '../../src/engine/data/columnStats.gpu';
import { columnStatsRef } from '../../src/engine/data/columnStats.ref';
import { tableFromColumns } from '../../src/engine/data/table';
import { newCounters } from '../../src/engine/gpu/buffers';
import { withErrorScopes } from '../../src/engine/gpu/scopes';
import { PassTimer } from '../../src/engine/gpu/timing';
import { probeGpu } from '../../src/engine/gpu/probe';
import { FILE_MARKER } from '../../src/engine/gpu/shader';
import { KERNELS } from '../../src/engine/kernels/registry';
import { WorkbenchError } from '../../src/lib/errors';
import { mulberry32 } from '../../src/lib/random';
import { EXPECTED_ARCH, expectExpectedAdapter, nodeGpu, testContext, uncaptured } from './nodeGpu';

const { ctx, events } = testContext();
afterAll(() => ctx.dispose());

async function rejection(p: Promise<unknown>): Promise<WorkbenchError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  return e as WorkbenchError;
}

describe('gpu core on Node WebGPU', () => {
  it('probe reports adapter, features and limits', async () => {
    const caps = await probeGpu(nodeGpu);
    if (!caps.available) throw new Error(caps.reason);
    expectExpectedAdapter(caps.adapter.architecture);
    if (EXPECTED_ARCH === 'swiftshader') expect(caps.adapter.isFallbackAdapter).toBe(true);
    expect(caps.limits.maxStorageBufferBindingSize).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(caps.features.length).toBeGreaterThan(0);
  });

  it('probe without WebGPU says why', async () => {
    expect(await probeGpu(undefined)).toMatchObject({ available: false });
  });

  it('requests the adapter maximum buffer sizes instead of the defaults', async () => {
    const s = await ctx.session();
    const caps = await probeGpu(nodeGpu);
    if (!caps.available) throw new Error(caps.reason);
    expect(s.budget.maxStorageBufferBindingSize).toBe(caps.limits.maxStorageBufferBindingSize);
    expect(s.budget.maxBufferSize).toBe(caps.limits.maxBufferSize);
  });

  it('reports WGSL compile errors with file:line:column', async () => {
    const s = await ctx.session();
    const code = `${FILE_MARKER}data/broken.wgsl\n@compute @workgroup_size(1)\nfn main() {\n  let x = nope;\n}\n`;
    const e = await rejection(s.pipelines.get({ name: 'Broken', code, entryPoint: 'main' }));
    expect(e.code).toBe('SHADER_COMPILE');
    expect(e.message).toMatch(/Broken \(data\/broken\.wgsl:3:\d+\) error: .*nope/);
  });

  it('turns an oversized allocation into a GPU_VALIDATION error, not an uncaptured one', async () => {
    const s = await ctx.session();
    const before = uncaptured(events).length;
    const e = await rejection(
      withErrorScopes(s.device, 'Huge', () =>
        s.device.createBuffer({ label: 'Huge.buffer', size: 2 ** 40, usage: GPUBufferUsage.STORAGE }),
      ),
    );
    expect(['GPU_VALIDATION', 'GPU_OUT_OF_MEMORY']).toContain(e.code);
    expect(e.message).toContain('Huge');
    expect(uncaptured(events).length).toBe(before);
  });

  it('reports uncaptured errors (the harness canary at the engine level)', async () => {
    const s = await ctx.session();
    const before = uncaptured(events).length;
    s.device.createBuffer({ label: 'Canary.buffer', size: 2 ** 40, usage: GPUBufferUsage.STORAGE });
    await s.device.queue.onSubmittedWorkDone();
    await new Promise((r) => setTimeout(r, 50));
    expect(uncaptured(events).length).toBe(before + 1);
    events.length = 0;
  });

  it('caches pipelines by kernel and overrides', async () => {
    const s = await ctx.session();
    const a = await s.pipelines.get(KERNELS.columnStatsMerge, { WG: 64 });
    const compiled = s.pipelines.compiled;
    const b = await s.pipelines.get(KERNELS.columnStatsMerge, { WG: 64 });
    expect(b).toBe(a);
    expect(s.pipelines.compiled).toBe(compiled);
    await s.pipelines.get(KERNELS.columnStatsMerge, { WG: 128 });
    expect(s.pipelines.compiled).toBe(compiled + 1);
  });

  it('splits work to fit a tiny engine cap and still matches the reference', async () => {
    const { ctx: small, events: ev } = testContext({ engineCap: 4096 });
    const rand = mulberry32(3);
    const cols = [0, 1, 2].map(() =>
      Array.from({ length: 3000 }, () => (rand() < 0.05 ? null : rand() * 50)),
    );
    const t = tableFromColumns(['a', 'b', 'c'], cols);
    const counters = newCounters();
    const gpu = await small.run((s) => columnStatsGpu(s, t, { counters }));
    const ref = columnStatsRef(t);
    gpu.forEach((g, i) => {
      expect(g.count).toBe(ref[i]!.count);
      expect(g.mean!).toBeCloseTo(ref[i]!.mean!, 4);
      expect(g.variance! / ref[i]!.variance!).toBeCloseTo(1, 4);
    });
    // 3000 rows of 4 bytes over a 4096-byte cap: 1024-row chunks, 3 per column.
    expect(counters.dispatches).toBe(2 * 9);
    expect(counters.readbacks).toBe(1);
    expect(uncaptured(ev)).toEqual([]);
    await small.dispose();
  });

  it('measures pass durations with timestamp queries when the feature exists', async () => {
    const s = await ctx.session();
    const timer = PassTimer.create(s.device);
    if (!s.device.features.has('timestamp-query')) return void expect(timer).toBeNull();
    const t = tableFromColumns(['x'], [Array.from({ length: 10_000 }, (_, i) => i)]);
    await columnStatsGpu(s, t, { timer });
    const d = await timer!.durations();
    expect(Object.keys(d).sort()).toEqual(['ColumnStatsMerge', 'ColumnStatsPartial']);
    expect(d.ColumnStatsPartial).toBeGreaterThanOrEqual(0);
  });

  it('a job whose device is destroyed fails with GPU_DEVICE_LOST, without retrying', async () => {
    const { ctx: c, events: ev } = testContext();
    const t = tableFromColumns(['x'], [[1, 2, 3]]);
    let attempts = 0;
    const e = await rejection(
      c.run(async (s) => {
        attempts++;
        s.device.destroy();
        return columnStatsGpu(s, t);
      }),
    );
    expect(e.code).toBe('GPU_DEVICE_LOST');
    expect(attempts).toBe(1);
    expect(ev.some((x) => x.type === 'device-lost' && x.reason === 'destroyed')).toBe(true);
    await c.dispose();
  });

  it('replaces a lost device with a new generation on the next job', async () => {
    const { ctx: c } = testContext();
    const s1 = await c.session();
    s1.device.destroy();
    await s1.device.lost;
    const t = tableFromColumns(['x'], [[1, 2, 3]]);
    const result = await c.run(async (s) => ({ gen: s.generation, stats: await columnStatsGpu(s, t) }));
    expect(result.gen).toBe(2);
    expect(result.stats[0]!.mean).toBe(2);
    await c.dispose();
  });
});
