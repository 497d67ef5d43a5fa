import { afterAll, describe, expect, it } from 'vitest';
import { createGpuBackend } from '../../src/engine/preprocess/gpuBackend';
import { applyFittedRecipe } from '../../src/engine/preprocess/apply';
import { createGpuImageBackend } from '../../src/engine/preprocess/imageGpu';
import { usageSince } from '../../src/engine/gpu/instrument';
import { present, type LoadedColumn } from '../../src/engine/preprocess/load';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { catCol, dataset, imageCol, loadSample, penguinsRecipe, recipe, step } from '../support/recipeData';
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

describe('image recipes on WebGPU', () => {
  const { ctx, events } = testContext();
  afterAll(() => ctx.dispose());

  it('resize → scale → normalize (fitted on training images) matches the CPU reference; augmentation is not applied', async () => {
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    const data = dataset([imageCol('img', 40, [10, 12, 3]), catCol('label', labels)]);
    const r = recipe(
      step({ kind: 'image-resize', column: 'img', height: 6, width: 5 }),
      step({ kind: 'image-scale', column: 'img' }),
      step({ kind: 'image-normalize', column: 'img' }),
      step({ kind: 'image-augment', column: 'img', flip: true, cropPadding: 2 }),
      step({
        kind: 'split',
        train: 0.75,
        validation: 0.25,
        test: 0,
        seed: 3,
        shuffle: true,
        stratify: 'label',
      }),
    );
    const gpu = await runRecipeOn(ctx, data, r, 'webgpu');
    const cpu = await runRecipeOn(ctx, data, r, 'cpu');
    expect(gpu.run.backend).toBe('webgpu');
    expectExpectedAdapter(gpu.run.adapter!.architecture);
    const img = gpu.columns[0]!;
    expect(img.meta.shape).toEqual([6, 5, 3]);
    expect(img.meta.pixels).toBe('f32');
    expectSameColumns(gpu.columns, cpu.columns);
    expect(gpu.run.fitted.images[0]!.augment).toEqual({ flip: true, cropPadding: 2 });
    // Normalized per channel on the 30 training images: mean 0, std 1 there.
    const px = img.data as Float32Array;
    const size = 6 * 5 * 3;
    for (let c = 0; c < 3; c++) {
      const xs: number[] = [];
      for (let i = 0; i < 30 * size; i += 3) xs.push(px[i + c]!);
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
      expect(Math.abs(m)).toBeLessThan(1e-4);
      expect(Math.abs(sd - 1)).toBeLessThan(1e-4);
    }
    expect(uncaptured(events)).toEqual([]);
  });
});
