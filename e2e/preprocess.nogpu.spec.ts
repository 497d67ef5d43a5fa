import type { RecipeRun } from '../src/engine/preprocess/fitted';
import { expect, test } from './fixtures/harness';

test('without WebGPU the same recipe runs on the CPU reference, and the page says so', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'cpu');
  await page.goto('/#/preprocess');
  await page.getByTestId('add-step').selectOption('impute');
  await page
    .getByTestId('step-0')
    .getByTestId('step-columns')
    .getByLabel('body_mass_g', { exact: true })
    .check();
  await page.getByTestId('add-step').selectOption('scale');
  await page
    .getByTestId('step-1')
    .getByTestId('step-columns')
    .getByLabel('body_mass_g', { exact: true })
    .check();
  await page.getByTestId('add-step').selectOption('split');
  await page.getByTestId('recipe-preview').click();
  await expect(page.getByTestId('recipe-result')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('recipe-ran-on')).toContainText('CPU');
  await expect(page.getByTestId('recipe-result')).toContainText(/WebGPU/);
  const run = await page.evaluate(
    () => (window as unknown as { __WORKBENCH_LAST_RECIPE_RUN__: RecipeRun }).__WORKBENCH_LAST_RECIPE_RUN__,
  );
  expect(run.fallbackReason).toMatch(/CPU reference ran the same recipe/);
  const train = run.splitStats.find((s) => s.column === 'body_mass_g' && s.split === 'train')!;
  expect(Math.abs(train.mean!)).toBeLessThan(1e-4);
  expect(Math.abs(train.std! - 1)).toBeLessThan(1e-4);
  expect(run.after.find((c) => c.name === 'body_mass_g')!.missing).toBe(0);
});
