import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RunRecord } from '../src/engine/train/run';
import { expect, test } from './fixtures/harness';
import { parseCsv, runOnRawRows, TOLERANCE, worstDifference } from './fixtures/onnxRaw';
import { buildPenguinsRecipe, runRecipeAndWait } from './fixtures/preprocess';

async function lastRun(page: Page): Promise<RunRecord | undefined> {
  return page.evaluate(
    () => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__,
  );
}

/** Clicks a download button and returns the file's name and bytes. */
async function downloadOf(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId(testId).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('deploy: the downloaded ONNX run in onnxruntime-node on all raw penguins rows matches the app’s predictions file', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  await page.goto('/#/preprocess');
  await buildPenguinsRecipe(page);
  const prepared = await runRecipeAndWait(page, 'recipe-apply', -1);
  const rawId = prepared.output!.parent!.datasetId;
  await page.getByRole('link', { name: 'Train' }).click();
  await page.getByTestId('train-dataset').selectOption(prepared.output!.id);
  await page.getByTestId('train-target').selectOption('species');
  await page.getByTestId('train-epochs').fill('20');
  await page.getByTestId('train-batch').fill('16');
  await page.getByTestId('train-seed').fill('7');
  await page.getByTestId('train-backend').selectOption('wasm');
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
  const run = (await lastRun(page))!;
  expect(run.backend).toBe('wasm');
  await expect(page.getByTestId('train-eval')).toHaveAttribute('data-run-id', run.id);

  const onnxFile = await downloadOf(page, 'export-onnx');
  expect(onnxFile.name).toBe(`${run.name}.onnx`);
  await page.getByTestId('export-predictions-dataset').selectOption(rawId);
  await page.getByTestId('export-predictions-format').selectOption('csv');
  const predFile = await downloadOf(page, 'export-predictions');
  expect(predFile.name).toMatch(/\.csv$/);
  await expect(page.getByTestId('export-error')).toHaveCount(0);

  // The app's predictions for the raw dataset (row, label, p_<class>…).
  const predictions = parseCsv(predFile.bytes.toString('utf8'));
  expect(Object.keys(predictions[0]!)).toEqual(['row', 'label', ...run.classes.map((c) => `p_${c}`)]);

  // The raw rows, as a user of the exported model reads them.
  const raw = parseCsv(readFileSync(join(import.meta.dirname, '../public/samples/penguins.csv'), 'utf8'));
  expect(raw).toHaveLength(344);
  expect(predictions).toHaveLength(raw.length);
  const worst = worstDifference(
    predictions,
    run.classes,
    await runOnRawRows(new Uint8Array(onnxFile.bytes), raw),
  );
  console.log(`ONNX vs app predictions file: ${raw.length} raw rows, max |Δp| = ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
});
