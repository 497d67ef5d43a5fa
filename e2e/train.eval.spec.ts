import type { Page } from '@playwright/test';
import type { RunRecord } from '../src/engine/train/run';
import { expect, test } from './fixtures/harness';
import { addStep, runRecipeAndWait } from './fixtures/preprocess';

async function lastRun(page: Page): Promise<RunRecord | undefined> {
  return page.evaluate(
    () => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__,
  );
}

async function train(page: Page): Promise<RunRecord> {
  await page.getByTestId('train-start').click();
  await expect
    .poll(
      async () => {
        if ((await lastRun(page)) !== undefined) return 'done';
        const error = page.getByTestId('train-error');
        return (await error.count()) > 0 ? `error: ${await error.textContent()}` : 'running';
      },
      { timeout: 120_000 },
    )
    .toBe('done');
  return (await lastRun(page))!;
}

test.describe('train: evaluation beyond accuracy', () => {
  test('breast cancer → logistic: ROC and PR curves, a threshold slider, permutation importance', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.getByRole('button', { name: 'Breast cancer' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'breast_cancer' })).toBeVisible({
      timeout: 30_000,
    });
    await page.getByRole('link', { name: 'Train' }).click();
    const dataset = page.getByTestId('train-dataset');
    await dataset.selectOption(
      await dataset.locator('option', { hasText: 'breast_cancer' }).getAttribute('value'),
    );
    await page.getByTestId('train-model-kind').selectOption('logistic');
    await page.getByTestId('train-backend').selectOption('wasm');
    const run = await train(page);
    expect(run.task).toBe('classification');
    expect(run.classes).toHaveLength(2);
    const auc = Number(await page.getByTestId('train-auc').getAttribute('data-auc'));
    expect(auc).toBeGreaterThanOrEqual(0.95);
    await expect(page.getByTestId('train-roc')).toBeVisible();
    await expect(page.getByTestId('train-pr')).toBeVisible();
    // At 0.5 the slider's counts are the confusion matrix; at 0.05 nearly everything is called positive.
    const figures = page.getByTestId('train-threshold-figures');
    const at = async (name: string) => Number(await figures.getAttribute(`data-${name}`));
    const fpAtHalf = await at('fp');
    await page.getByTestId('train-threshold').fill('0.05');
    await expect(figures).toHaveAttribute('data-threshold', '0.05');
    expect(await at('fp')).toBeGreaterThanOrEqual(fpAtHalf);
    expect(await at('fn')).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('train-importance').locator('tbody tr')).toHaveCount(run.features.length);
  });

  test('two features → a decision boundary drawn over the test points', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.goto('/#/preprocess');
    await addStep(page, 'drop', 0, ['island', 'sex', 'flipper_length_mm', 'body_mass_g', 'year']);
    await addStep(page, 'impute', 1, ['bill_length_mm', 'bill_depth_mm']);
    await page.getByTestId('add-step').selectOption('split');
    const prepared = await runRecipeAndWait(page, 'recipe-apply', -1);
    await page.getByRole('link', { name: 'Train' }).click();
    await page.getByTestId('train-dataset').selectOption(prepared.output!.id);
    await page.getByTestId('train-target').selectOption('species');
    await page.getByTestId('train-backend').selectOption('wasm');
    const run = await train(page);
    expect(run.features).toEqual(['bill_length_mm', 'bill_depth_mm']);
    const boundary = page.getByTestId('train-boundary');
    await expect(boundary).toBeVisible();
    expect(run.evaluation?.kind === 'classification' && run.evaluation.accuracy).toBeGreaterThan(0.85);
  });
});
