import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { RunRecord } from '../src/engine/train/run';
import { expect, test } from './fixtures/harness';

const CSV = readFileSync(join(import.meta.dirname, '../public/samples/breast_cancer.csv'), 'utf8');

/** The sample with columns `shifted` moved by +2 population standard deviations (header line kept). */
function shiftedCopy(shifted: readonly number[]): Buffer {
  const [header, ...lines] = CSV.trim().split('\n');
  const rows = lines.map((l) => l.split(',').map(Number));
  const shift = shifted.map((c) => {
    const xs = rows.map((r) => r[c]!);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return 2 * Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  });
  for (const r of rows) shifted.forEach((c, k) => (r[c] = r[c]! + shift[k]!));
  return Buffer.from([header, ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

async function optionValue(page: Page, testId: string, text: string): Promise<string> {
  const value = await page
    .getByTestId(testId)
    .locator('option', { hasText: text })
    .first()
    .getAttribute('value');
  expect(value, `an option “${text}” in ${testId}`).not.toBeNull();
  return value!;
}

/** Imports the breast cancer sample and trains a quick logistic model on it (the drift reference). */
async function trainReference(page: Page): Promise<RunRecord> {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByRole('button', { name: 'Breast cancer' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'breast_cancer' })).toBeVisible({
    timeout: 30_000,
  });
  await page.getByRole('link', { name: 'Train' }).click();
  await page
    .getByTestId('train-dataset')
    .selectOption(await optionValue(page, 'train-dataset', 'breast_cancer'));
  await page.getByTestId('train-model-kind').selectOption('logistic');
  await page.getByTestId('train-epochs').fill('3');
  await page.getByTestId('train-backend').selectOption('wasm');
  await page.getByTestId('train-start').click();
  const last = () =>
    page.evaluate(() => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__);
  await expect
    .poll(async () => ((await last()) === undefined ? 'running' : 'done'), { timeout: 60_000 })
    .toBe('done');
  return (await last())!;
}

/** Runs a drift check on WebGPU and returns the report element once it is there. */
async function checkDrift(
  page: Page,
  runId: string,
  source: 'test-split' | { dataset: string } | { log: string },
) {
  await page.getByRole('link', { name: 'Monitor' }).click();
  await expect(page.getByTestId('monitor-page')).toBeVisible();
  await page.getByTestId('monitor-run').selectOption(runId);
  if (source === 'test-split') await page.getByLabel("The run's own test split").check();
  else if ('log' in source) {
    await page.getByLabel("A model's logged inference inputs").check();
    await page.getByTestId('monitor-log').selectOption(await optionValue(page, 'monitor-log', source.log));
  } else {
    await page.getByLabel('A stored dataset with the same columns').check();
    await page
      .getByTestId('monitor-dataset')
      .selectOption(await optionValue(page, 'monitor-dataset', source.dataset));
  }
  await page.getByTestId('monitor-backend').selectOption('webgpu');
  await page.getByRole('button', { name: 'Check drift' }).click();
  const report = page.getByTestId('drift-report');
  await expect(report.or(page.getByTestId('monitor-error'))).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('monitor-error')).toHaveCount(0);
  return report;
}

/** Per-feature figures from the table. */
async function figures(page: Page) {
  return page
    .getByTestId('drift-table')
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((r) => ({
        feature: r.getAttribute('data-feature')!,
        verdict: r.getAttribute('data-verdict')!,
        psi: Number(r.getAttribute('data-psi')),
        ks: Number(r.getAttribute('data-ks')),
        q: Number(r.getAttribute('data-p-adjusted')),
      })),
    );
}

test.describe('monitor: drift against a training run’s reference', () => {
  test('breast cancer (30 features): its test split flags nothing; a copy with two features +2σ flags exactly those two, on WebGPU', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const run = await trainReference(page);
    expect(run.features).toHaveLength(30);
    expect(run.reference).toHaveLength(30);

    // (b) train vs test split: nothing drifts.
    let report = await checkDrift(page, run.id, 'test-split');
    await expect(report).toHaveAttribute('data-backend', 'webgpu');
    await expect(report).toHaveAttribute('data-overall', 'ok');
    await expect(report).toHaveAttribute('data-flagged', '');
    await expect(page.getByTestId('drift-backend')).toContainText('swiftshader');
    const split = await figures(page);
    expect(split).toHaveLength(30);
    expect(split.every((f) => f.verdict === 'ok')).toBe(true);
    console.log(
      `test split: max PSI ${Math.max(...split.map((f) => f.psi)).toFixed(3)}, max KS ${Math.max(...split.map((f) => f.ks)).toFixed(3)}, min corrected p ${Math.min(...split.map((f) => f.q)).toFixed(3)}`,
    );

    // (a) a copy with features 3 and 20 shifted by +2σ, imported through the UI: exactly those two drift.
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByLabel('Choose files…').setInputFiles({
      name: 'bc_shifted.csv',
      mimeType: 'text/csv',
      buffer: shiftedCopy([3, 20]),
    });
    await expect(page.getByRole('heading', { level: 2, name: 'bc_shifted' })).toBeVisible({
      timeout: 30_000,
    });
    report = await checkDrift(page, run.id, { dataset: 'bc_shifted' });
    await expect(report).toHaveAttribute('data-backend', 'webgpu');
    await expect(report).toHaveAttribute('data-overall', 'drift');
    const expected = [run.features[3]!, run.features[20]!];
    await expect(report).toHaveAttribute('data-flagged', expected.join(','));
    const shifted = await figures(page);
    for (const f of shifted) {
      if (expected.includes(f.feature)) {
        expect(f.verdict).toBe('drift');
        expect(f.psi).toBeGreaterThan(0.25);
      } else expect(f.verdict).toBe('ok');
    }
    await expect(page.getByTestId('drift-chart').locator('g[data-verdict="drift"]')).toHaveCount(2);
    await expect(page.getByTestId('drift-warnings')).toContainText(`${expected[0]} drifted`);
    const axe = await new AxeBuilder({ page }).include('[data-testid="monitor-page"]').analyze();
    expect(axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')).toEqual([]);
    console.log(
      `shifted copy: ${shifted
        .filter((f) => expected.includes(f.feature))
        .map((f) => `${f.feature} PSI ${f.psi.toFixed(3)} KS ${f.ks.toFixed(3)}`)
        .join(
          '; ',
        )}; others max PSI ${Math.max(...shifted.filter((f) => !expected.includes(f.feature)).map((f) => f.psi)).toFixed(4)}`,
    );
  });

  test('batch inference logs a sample of its inputs per model, mapped to the run by the ONNX metadata; the log shows no drift against the run', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.getByRole('link', { name: 'Train' }).click();
    await page.getByTestId('train-target').selectOption('species');
    await page.getByTestId('train-epochs').fill('2');
    await page.getByTestId('train-backend').selectOption('wasm');
    await page.getByTestId('train-start').click();
    const last = () =>
      page.evaluate(
        () => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__,
      );
    await expect
      .poll(async () => ((await last()) === undefined ? 'running' : 'done'), { timeout: 60_000 })
      .toBe('done');
    const run = (await last())!;
    await expect(page.getByTestId('train-eval')).toHaveAttribute('data-run-id', run.id);
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByTestId('export-onnx').click();
    const onnx = readFileSync(await (await download).path());

    await page.getByRole('link', { name: 'Deploy' }).click();
    await page
      .getByTestId('model-file')
      .setInputFiles({ name: 'penguins-drift.onnx', mimeType: 'application/octet-stream', buffer: onnx });
    await expect(page.getByTestId('batch-panel')).toBeVisible();
    await page.getByTestId('batch-dataset').selectOption(run.datasetId);
    await page.getByTestId('batch-ep').selectOption('wasm');
    await page.getByTestId('batch-start').click();
    await expect(page.getByTestId('batch-result').or(page.getByTestId('batch-error'))).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByTestId('batch-error')).toHaveCount(0);

    const report = await checkDrift(page, run.id, { log: 'penguins-drift' });
    // 344 rows, 2 with a missing measurement: 342 complete rows seen, all kept (capacity 10,000).
    await expect(page.getByTestId('monitor-log')).toContainText(
      `342 of 342 rows sampled · exported from run ${run.name}`,
    );
    await expect(report).toHaveAttribute('data-backend', 'webgpu');
    await expect(report).toHaveAttribute('data-overall', 'ok');
    await expect(report).toHaveAttribute('data-flagged', '');
    expect((await figures(page)).map((f) => f.feature)).toEqual(run.features);
    // The predicted classes of the 344 logged rows against the run's test-split predictions.
    const predictions = page.getByTestId('drift-predictions');
    await expect(predictions.locator('tbody tr')).toHaveCount(run.classes.length);
    await expect(predictions).toHaveAttribute('data-verdict', 'ok');
    console.log(`predictions: ${await predictions.locator('caption').textContent()}`);
  });
});
