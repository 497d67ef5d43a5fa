import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import Papa from 'papaparse';
import { MISSING } from '../src/engine/data/ingest/cells';
import type { RunRecord } from '../src/engine/train/run';
import { expect, test } from './fixtures/harness';
import { buildPenguinsRecipe, runRecipeAndWait } from './fixtures/preprocess';

/** The exported model's probabilities must equal the app's predictions file within this (absolute). */
const TOLERANCE = 1e-4;

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
  const predictions = Papa.parse<Record<string, string>>(predFile.bytes.toString('utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  expect(predictions.errors).toEqual([]);
  expect(predictions.meta.fields).toEqual(['row', 'label', ...run.classes.map((c) => `p_${c}`)]);

  // The raw rows, as a user of the exported model reads them: missing numbers NaN, missing categories "".
  const csv = readFileSync(join(import.meta.dirname, '../public/samples/penguins.csv'), 'utf8');
  const raw = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  expect(raw).toHaveLength(344);
  expect(predictions.data).toHaveLength(raw.length);

  const session = await ort.InferenceSession.create(new Uint8Array(onnxFile.bytes));
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    const isString = meta !== undefined && 'type' in meta && meta.type === 'string';
    const cells = raw.map((r) => {
      const v = r[name];
      return v === undefined || MISSING.has(v.trim()) ? null : v;
    });
    feeds[name] = isString
      ? new ort.Tensor(
          'string',
          cells.map((v) => v ?? ''),
          [raw.length, 1],
        )
      : new ort.Tensor(
          'float32',
          Float32Array.from(cells, (v) => (v === null ? NaN : Number(v))),
          [raw.length, 1],
        );
  }
  const result = await session.run(feeds);
  const probs = result.probabilities!.data as Float32Array;
  const names = result.class!.data as string[];
  const k = run.classes.length;
  expect(probs.length).toBe(raw.length * k);
  let worst = 0;
  predictions.data.forEach((p, r) => {
    expect(Number(p.row)).toBe(r);
    run.classes.forEach((c, j) => {
      const app = Number(p[`p_${c}`]);
      expect(Number.isFinite(app), `row ${r} p_${c}`).toBe(true);
      worst = Math.max(worst, Math.abs(app - probs[r * k + j]!));
    });
    expect(names[r], `row ${r} label`).toBe(p.label);
  });
  await session.release();
  console.log(`ONNX vs app predictions file: ${raw.length} raw rows, max |Δp| = ${worst.toExponential(2)}`);
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
});
