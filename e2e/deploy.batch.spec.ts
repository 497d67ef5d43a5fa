import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import Papa from 'papaparse';
import { MISSING } from '../src/engine/data/ingest/cells';
import { onnx } from '../src/engine/deploy/onnx/generated/onnx.js';
import type { RunRecord } from '../src/engine/train/run';
import { expect, test } from './fixtures/harness';
import { matmulModel } from './fixtures/onnxModels';

/** The batch predictions must equal the app's own predictions file within this (absolute, per probability). */
const TOLERANCE = 1e-4;

type Row = Record<string, string>;

async function lastRun(page: Page): Promise<RunRecord | undefined> {
  return page.evaluate(
    () => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__,
  );
}

async function downloadOf(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const download = page.waitForEvent('download', { timeout: 60_000 });
  await page.getByTestId(testId).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

function parseCsv(bytes: Buffer): { fields: string[]; rows: Row[] } {
  const p = Papa.parse<Row>(bytes.toString('utf8'), { header: true, skipEmptyLines: true });
  expect(p.errors).toEqual([]);
  return { fields: p.meta.fields ?? [], rows: p.data };
}

/** Every dataset record in IndexedDB, whatever its status (an unfinished write would show as 'importing'). */
async function storedDatasets(page: Page): Promise<{ id: string; name: string; status: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; name: string; status: string }[]>((resolve, reject) => {
        const req = indexedDB.open('workbench');
        req.onerror = () => reject(new Error('open failed'));
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('datasets').objectStore('datasets').getAll();
          get.onsuccess = () => {
            resolve(
              (get.result as { id: string; name: string; status: string }[]).map(({ id, name, status }) => ({
                id,
                name,
                status,
              })),
            );
            db.close();
          };
          get.onerror = () => reject(new Error('read failed'));
        };
      }),
  );
}

async function importModel(page: Page, bytes: Buffer): Promise<void> {
  await page.goto('/#/deploy');
  await page
    .getByTestId('model-file')
    .setInputFiles({ name: 'penguins-mlp.onnx', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('batch-panel')).toBeVisible();
}

/** The exported model, kept for the cancel test (tests of this file run in order, in one worker). */
let exported: Buffer | null = null;

test.describe.configure({ mode: 'serial' });

test.describe('deploy: batch inference over a stored dataset', () => {
  test('train → export ONNX → import → batch-predict raw penguins on WASM and on WebGPU: the saved predictions equal the app’s within 1e-4', async ({
    page,
  }) => {
    test.setTimeout(150_000);
    const t0 = Date.now();
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    // Raw penguins, trained directly: the numeric measurements are the features (the categorical columns
    // are left out), so the exported model's inputs are float32 [N, 1] columns. (A recipe with one-hot
    // encoding exports string Equal(19) nodes, which onnxruntime-web 1.30 has no kernel for on WASM or WebGPU.)
    await page.getByRole('link', { name: 'Train' }).click();
    await page.getByTestId('train-target').selectOption('species');
    await page.getByTestId('train-epochs').fill('3');
    await page.getByTestId('train-batch').fill('16');
    await page.getByTestId('train-seed').fill('7');
    await page.getByTestId('train-backend').selectOption('wasm');
    await page.getByTestId('train-start').click();
    await expect
      .poll(async () => ((await lastRun(page)) !== undefined ? 'done' : 'running'), { timeout: 90_000 })
      .toBe('done');
    const run = (await lastRun(page))!;
    const rawId = run.datasetId;
    await expect(page.getByTestId('train-eval')).toHaveAttribute('data-run-id', run.id);
    const onnxFile = await downloadOf(page, 'export-onnx');
    exported = onnxFile.bytes;
    await page.getByTestId('export-predictions-format').selectOption('csv');
    const app = parseCsv((await downloadOf(page, 'export-predictions')).bytes);
    const tTrained = Date.now();

    await importModel(page, onnxFile.bytes);
    const probs = run.classes.map((c) => `p_${c}`);
    expect(app.fields).toEqual(['row', 'label', ...probs]);
    // The raw rows, read independently: a row missing any of the model's inputs gets NaN outputs by the
    // ONNX contract (saved as empty cells). The app's tfjs-WASM predictions give such rows finite values
    // (a NaN through Relu becomes 0 there), so those rows are checked against the contract, not the app.
    const inputs = (onnx.ModelProto.decode(onnxFile.bytes).graph?.input ?? []).map((v) => v.name ?? '');
    expect(inputs.length).toBeGreaterThan(0);
    const csv = readFileSync(join(import.meta.dirname, '../public/samples/penguins.csv'), 'utf8');
    const raw = Papa.parse<Row>(csv, { header: true, skipEmptyLines: true }).data;
    expect(raw).toHaveLength(344);

    for (const ep of ['wasm', 'webgpu'] as const) {
      const t1 = Date.now();
      const before = await storedDatasets(page);
      await page.getByTestId('batch-dataset').selectOption(rawId);
      await page.getByTestId('batch-ep').selectOption(ep);
      await page.getByTestId('batch-start').click();
      const result = page.getByTestId('batch-result');
      await expect(result.or(page.getByTestId('batch-error'))).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('batch-error')).toHaveCount(0);
      await expect(result).toHaveAttribute('data-ep', ep);
      await expect(result).toHaveAttribute('data-rows', '344');
      const savedId = await result.getAttribute('data-dataset-id');
      const after = await storedDatasets(page);
      expect(after).toHaveLength(before.length + 1);
      const saved = after.find((d) => d.id === savedId)!;
      expect(saved.status).toBe('ready');
      expect(saved.name).toMatch(/^penguins.* · predictions \(penguins-mlp\.onnx\)$/);

      const ours = parseCsv((await downloadOf(page, 'batch-download')).bytes);
      expect(ours.fields).toEqual(['row', 'label', ...probs]);
      expect(ours.rows).toHaveLength(344);
      expect(ours.rows).toHaveLength(app.rows.length);
      let worst = 0;
      let labelsDiffer = 0;
      let compared = 0;
      let missing = 0;
      const nanLost: number[] = [];
      ours.rows.forEach((r, i) => {
        const a = app.rows[i]!;
        expect(Number(r.row), `row ${i}`).toBe(Number(a.row));
        if (inputs.some((name) => MISSING.has((raw[i]![name] ?? '').trim()))) {
          missing++;
          // Known gap, logged not asserted: onnxruntime-web's WebGPU kernels drop NaN (Relu(NaN) = 0, as
          // tfjs does), so on WebGPU such a row gets a finite prediction instead of the contract's NaN.
          if (ep === 'webgpu') {
            if (r.label !== '') nanLost.push(i);
            return;
          }
          expect([r.label, ...probs.map((p) => r[p])], `row ${i} misses an input`).toEqual([
            '',
            ...probs.map(() => ''),
          ]);
          return;
        }
        compared++;
        if (r.label !== a.label) labelsDiffer++;
        for (const p of probs) {
          const x = Number(r[p]);
          expect(r[p] !== '' && Number.isFinite(x), `row ${i} ${p}: “${r[p]}” vs ${a[p]}`).toBe(true);
          worst = Math.max(worst, Math.abs(x - Number(a[p])));
        }
      });
      const summary = (await result.locator('p').first().innerText()).replace(/\s+/g, ' ');
      const placement = page.getByTestId('infer-placement');
      console.log(
        `batch on ${ep} vs app predictions: ${ours.rows.length} rows (${compared} compared, ${missing} missing an input → no prediction), ` +
          `max |Δp| = ${worst.toExponential(2)}, labels differing ${labelsDiffer}` +
          (nanLost.length > 0 ? `, rows whose NaN input still got a prediction: ${nanLost.join(', ')}` : '') +
          `; batch step ${((Date.now() - t1) / 1000).toFixed(1)} s; ` +
          `${summary}${(await placement.count()) > 0 ? ` | ${await placement.innerText()}` : ''}`,
      );
      expect(compared).toBeGreaterThan(300);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
      expect(labelsDiffer).toBe(0);
    }
    console.log(
      `recipe-free train + export ${((tTrained - t0) / 1000).toFixed(1)} s (inputs ${inputs.join(', ')})`,
    );
  });

  test('cancel mid-way: CANCELLED, and no new dataset (nor an unfinished one) is stored', async ({
    page,
  }) => {
    test.skip(exported === null, 'needs the model exported by the previous test');
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await importModel(page, exported!);
    const before = await storedDatasets(page);
    expect(before.length).toBeGreaterThan(0);
    // One row per run: 344 runs, each with its progress round trip, so there is time to cancel part-way.
    await page.getByTestId('batch-block').fill('1');
    await page.getByTestId('batch-ep').selectOption('wasm');
    await page.getByTestId('batch-start').click();
    const progress = page.getByTestId('batch-progress');
    await expect
      .poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 60_000 })
      .toBeGreaterThan(0);
    const doneAtCancel = Number(await progress.getAttribute('data-done'));
    await page.getByTestId('batch-cancel').click();
    console.log(`Cancel clicked with ${doneAtCancel} of 344 rows done`);
    await expect(page.getByTestId('batch-error')).toHaveAttribute('data-code', 'CANCELLED', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('batch-result')).toHaveCount(0);
    expect(await storedDatasets(page)).toEqual(before);
  });

  test('one [N, F] input takes the numeric columns in order: y = x · V on every penguins row (WebGPU); a wrong F names the columns', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    const numeric = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year'];
    const v = [0.5, -1, 0.25, 2, -0.125, 0.01, 0.002, -0.001, 0.001, 0.0005];

    // F = 4 against five numeric columns: refused before anything runs, naming them.
    await page.goto('/#/deploy');
    await page.getByTestId('model-file').setInputFiles({
      name: 'f4.onnx',
      mimeType: 'application/octet-stream',
      buffer: matmulModel(4, 2, v.slice(0, 8)),
    });
    await expect(page.getByTestId('batch-panel')).toBeVisible();
    await page.getByTestId('batch-start').click();
    await expect(page.getByTestId('batch-error')).toHaveAttribute('data-code', 'INVALID_INPUT', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('batch-error')).toContainText(
      `takes 4 values per row, but “penguins” has 5 numeric column(s) besides the target (${numeric.map((n) => `“${n}”`).join(', ')})`,
    );

    await page
      .getByTestId('model-file')
      .setInputFiles({ name: 'f5.onnx', mimeType: 'application/octet-stream', buffer: matmulModel(5, 2, v) });
    await expect(page.getByTestId('model-list')).toContainText('f5.onnx');
    await page.getByTestId('batch-ep').selectOption('webgpu');
    await page.getByTestId('batch-block').fill('100');
    await page.getByTestId('batch-start').click();
    const result = page.getByTestId('batch-result');
    await expect(result.or(page.getByTestId('batch-error'))).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('batch-error')).toHaveCount(0);
    await expect(result).toHaveAttribute('data-ep', 'webgpu');
    await expect(result).toContainText(`x ← ${numeric.join(', ')}`);
    await expect(result).toContainText('344 rows in 4 run(s)');
    const ours = parseCsv((await downloadOf(page, 'batch-download')).bytes);
    expect(ours.fields).toEqual(['row', 'y_0', 'y_1']);
    const raw = Papa.parse<Row>(
      readFileSync(join(import.meta.dirname, '../public/samples/penguins.csv'), 'utf8'),
      {
        header: true,
        skipEmptyLines: true,
      },
    ).data;
    expect(ours.rows).toHaveLength(raw.length);
    let worst = 0;
    let complete = 0;
    ours.rows.forEach((r, i) => {
      const x = numeric.map((n) => raw[i]![n] ?? '');
      if (x.some((c) => MISSING.has(c.trim()))) return; // NaN in: not compared (WebGPU may drop NaN)
      complete++;
      for (let j = 0; j < 2; j++) {
        const want = x.reduce((s, c, k) => s + Math.fround(Number(c)) * v[k * 2 + j]!, 0);
        const got = Number(r[`y_${j}`]);
        expect(r[`y_${j}`] !== '' && Number.isFinite(got), `row ${i} y_${j}`).toBe(true);
        worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
      }
    });
    console.log(
      `[N, 5] batch on WebGPU: ${complete} complete rows, max relative |Δ| ${worst.toExponential(2)}`,
    );
    expect(complete).toBe(342);
    expect(worst).toBeLessThanOrEqual(1e-5);
    const axe = await new AxeBuilder({ page }).include('[data-testid="batch-panel"]').analyze();
    const serious = axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(serious.map((x) => `${x.id}: ${x.help} (${x.nodes.length})`)).toEqual([]);

    // The saved dataset opens on the Data page, with its lineage.
    await page.getByTestId('batch-open').click();
    await expect(page).toHaveURL(/#\/data$/);
    await expect(page.locator('#dataset-title')).toHaveText('penguins · predictions (f5.onnx)');
    await expect(page.getByTestId('dataset-summary')).toContainText('344 rows, 3 columns');
    await expect(page.getByTestId('lineage')).toContainText('derived from penguins (predict)');
  });
});
