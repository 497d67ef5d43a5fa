import { afterAll, describe, expect, it } from 'vitest';
import { createGpuBackend } from '../../src/engine/preprocess/gpuBackend';
import { applyFittedRecipe } from '../../src/engine/preprocess/apply';
import { createGpuImageBackend } from '../../src/engine/preprocess/imageGpu';
import { usageSince } from '../../src/engine/gpu/instrument';
import { present, type LoadedColumn } from '../../src/engine/preprocess/load';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { loadSample, penguinsRecipe } from '../support/recipeData';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

/** GPU and CPU agree within this (f32 kernels vs f32 reference; statistics reduced in different orders). */
const TOL = 1e-5;

function expectSameColumns(gpu: readonly LoadedColumn[], cpu: readonly LoadedColumn[]): void {
  expect(gpu.map((c) => c.meta.name)).toEqual(cpu.map((c) => c.meta.name));
  gpu.forEach((g, i) => {
    const c = cpu[i]!;
    expect([...g.validity], g.meta.name).toEqual([...c.validity]);
    const gd = g.data as ArrayLike<number>;
    const cd = c.data as ArrayLike<number>;
    for (let r = 0; r < gd.length; r++) {
      if (!present(g.validity, r)) continue;
      expect(Math.abs(gd[r]! - cd[r]!), `${g.meta.name}[${r}]`).toBeLessThanOrEqual(
        TOL * Math.max(1, Math.abs(cd[r]!)),
      );
    }
  });
}

describe('recipes on WebGPU', () => {
  const { ctx, events } = testContext();
  afterAll(() => ctx.dispose());

  it('prepares penguins on the GPU like the CPU reference, applying in one pass per stage and one readback', async () => {
    const data = await loadSample('penguins.csv');
    const gpu = await runRecipeOn(ctx, data, penguinsRecipe(), 'webgpu');
    const cpu = await runRecipeOn(ctx, data, penguinsRecipe(), 'cpu');
    expect(gpu.run.backend).toBe('webgpu');
    expectExpectedAdapter(gpu.run.adapter!.architecture);
    expect(gpu.run.fitted.split).toEqual(cpu.run.fitted.split);
    expectSameColumns(gpu.columns, cpu.columns);
    // The final application: encode pass + one fused element-wise pass, one readback.
    expect(gpu.run.applyUsage.dispatches).toBe(2);
    expect(gpu.run.applyUsage.readbacks).toBe(1);
    expect(gpu.run.usage.dispatches).toBeGreaterThan(gpu.run.applyUsage.dispatches);
    expect(uncaptured(events)).toEqual([]);
  });

  it('applies a stored fitted recipe to new rows with one upload batch, two dispatches and one readback', async () => {
    const data = await loadSample('penguins.csv');
    const { run } = await runRecipeOn(ctx, data, penguinsRecipe(), 'webgpu');
    const { usage, columns } = await ctx.run(async (s) => {
      const before = { ...s.usage };
      const columns = await applyFittedRecipe(
        run.fitted,
        data,
        (t) => createGpuBackend(s, t),
        await createGpuImageBackend(s),
      );
      return { usage: usageSince(before, s.usage), columns };
    });
    expect(usage.dispatches).toBe(2);
    expect(usage.readbacks).toBe(1);
    expect(columns.find((c) => c.meta.name === 'bill_length_mm')!.meta.missing).toBe(0);
    expect(uncaptured(events)).toEqual([]);
  });

  it('processes data larger than the buffer cap in several chunks with the same results', async () => {
    const data = await loadSample('penguins.csv');
    const small = testContext({ engineCap: 4096 });
    try {
      const chunked = await runRecipeOn(small.ctx, data, penguinsRecipe(), 'webgpu');
      const whole = await runRecipeOn(ctx, data, penguinsRecipe(), 'webgpu');
      expect(chunked.run.backend).toBe('webgpu');
      expect(chunked.run.applyUsage.dispatches).toBeGreaterThan(2);
      expect(chunked.run.applyUsage.readbacks).toBeGreaterThan(1);
      expectSameColumns(chunked.columns, whole.columns);
      expect(uncaptured(small.events)).toEqual([]);
    } finally {
      await small.ctx.dispose();
    }
  });
});
