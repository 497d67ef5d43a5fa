import type { AppliedRecipeRun } from '../src/bridge/contracts';
import { EXPECTED_ARCH } from './browser';
import { expect, test } from './fixtures/harness';
import {
  buildPenguinsRecipe,
  PENGUIN_NUMERIC as NUMERIC,
  runRecipeAndWait as runAndWait,
} from './fixtures/preprocess';

test.describe('preprocess: a recipe on penguins', () => {
  test('impute → standardize → one-hot → split runs on WebGPU, matches the CPU reference, and saves a snapshot', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.goto('/#/preprocess');
    await expect(page.getByTestId('preprocess-page')).toBeVisible();

    await buildPenguinsRecipe(page);
    // Undo the stratify choice and redo it: the recipe comes back exactly.
    await page.getByTestId('recipe-undo').click();
    await expect(page.getByTestId('split-stratify')).toHaveValue('');
    await page.getByTestId('recipe-redo').click();
    await expect(page.getByTestId('split-stratify')).toHaveValue('species');
    await expect(page.getByTestId('recipe-issues')).toHaveCount(0);

    const gpu = await runAndWait(page, 'recipe-apply', -1);
    expect(gpu.backend).toBe('webgpu');
    if (EXPECTED_ARCH !== '') expect(gpu.adapter?.architecture).toBe(EXPECTED_ARCH);
    await expect(page.getByTestId('recipe-ran-on')).toContainText('WebGPU');

    // No missing values remain (species, the untouched label, has none either).
    for (const c of gpu.after) expect(c.missing, c.name).toBe(0);
    expect(gpu.after.map((c) => c.name)).toEqual(
      expect.arrayContaining(['island=Biscoe', 'island=Dream', 'island=Torgersen', 'sex=female', 'sex=male']),
    );
    // Split sizes: 70/15/15 of 344 by species stratum.
    const split = gpu.fitted.split!;
    expect(split.train + split.validation + split.test).toBe(344);
    expect(Math.abs(split.train - 0.7 * 344)).toBeLessThanOrEqual(3);
    expect(Math.abs(split.validation - 0.15 * 344)).toBeLessThanOrEqual(3);
    await expect(page.getByTestId('recipe-split-sizes')).toHaveAttribute('data-train', String(split.train));
    // Standardized on the training split: mean ≈ 0 and population std ≈ 1 there.
    for (const name of NUMERIC) {
      const train = gpu.splitStats.find((s) => s.column === name && s.split === 'train')!;
      expect(Math.abs(train.mean!), name).toBeLessThan(1e-4);
      expect(Math.abs(train.std! - 1), name).toBeLessThan(1e-4);
      // Validation was transformed with the training parameters, not refitted: its mean is not forced to 0.
      const validation = gpu.splitStats.find((s) => s.column === name && s.split === 'validation')!;
      expect(validation.mean).not.toBeCloseTo(0, 6);
    }
    // The final application was one encode pass and one fused element-wise pass, read back once.
    expect(gpu.applyUsage.dispatches).toBe(2);
    expect(gpu.applyUsage.readbacks).toBe(1);

    // The saved snapshot opens on the Data page with its lineage.
    await page.getByTestId('recipe-open-output').click();
    await expect(page).toHaveURL(/#\/data/);
    await expect(page.getByTestId('dataset-summary')).toContainText('344 rows');
    expect(gpu.output?.parent?.datasetId).toBeTruthy();
    expect(gpu.output?.split).toEqual({ train: split.train, validation: split.validation, test: split.test });
    await page.getByRole('link', { name: 'Preprocess' }).click();
    await expect(page.getByTestId('step-4')).toBeVisible();

    // The fitted recipe applied unchanged to the raw penguins (as new data would be): the same 344 records
    // come out transformed identically, only in source order, so every column's summary is the same.
    await page.getByTestId('apply-from').selectOption(gpu.output!.id);
    await page.getByTestId('apply-to').selectOption(gpu.output!.parent!.datasetId);
    await page.getByTestId('apply-run').click();
    await expect(page.getByTestId('apply-result')).toHaveAttribute('data-backend', 'webgpu');
    const applied = await page.evaluate(
      () =>
        (window as unknown as { __WORKBENCH_LAST_APPLIED__: AppliedRecipeRun }).__WORKBENCH_LAST_APPLIED__,
    );
    expect(applied.output.rows).toBe(344);
    expect(applied.output.split).toBeUndefined();
    expect(applied.after.map((c) => c.name)).toEqual(gpu.after.map((c) => c.name));
    applied.after.forEach((c, i) => {
      const g = gpu.after[i]!;
      expect(c.missing, c.name).toBe(g.missing);
      for (const k of ['mean', 'std', 'min', 'max'] as const) {
        if (g[k] === null) expect(c[k]).toBeNull();
        else
          expect(Math.abs(c[k]! - g[k]), `${c.name} ${k}`).toBeLessThanOrEqual(
            1e-9 * Math.max(1, Math.abs(g[k])),
          );
      }
    });

    // The same recipe on the CPU reference, in the same page: same parameters and outputs within 1e-5.
    await page.getByTestId('recipe-backend').selectOption('cpu');
    const cpu = await runAndWait(page, 'recipe-preview', gpu.wallMs);
    expect(cpu.backend).toBe('cpu');
    expect(cpu.fitted.split).toEqual(gpu.fitted.split);
    const gOps = gpu.fitted.program.elementwise.flatMap((c) => c.ops);
    const cOps = cpu.fitted.program.elementwise.flatMap((c) => c.ops);
    expect(gOps.length).toBe(cOps.length);
    gOps.forEach((o, i) => {
      expect(o.op).toBe(cOps[i]!.op);
      expect(Math.abs(o.a - cOps[i]!.a)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cOps[i]!.a)));
      expect(Math.abs(o.b - cOps[i]!.b)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cOps[i]!.b)));
    });
    gpu.splitStats.forEach((s, i) => {
      const c = cpu.splitStats[i]!;
      expect([s.column, s.split, s.missing]).toEqual([c.column, c.split, c.missing]);
      expect(Math.abs(s.mean! - c.mean!)).toBeLessThan(1e-5);
      expect(Math.abs(s.std! - c.std!)).toBeLessThan(1e-5);
    });
  });

  test('a step naming a column of the wrong type is refused before anything runs', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.goto('/#/preprocess');
    await page.getByTestId('add-step').selectOption('scale');
    await expect(page.getByTestId('recipe-issues')).toContainText('Choose at least one column');
    await expect(page.getByTestId('recipe-apply')).toBeDisabled();
  });
});
