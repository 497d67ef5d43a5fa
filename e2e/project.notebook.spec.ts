import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { collectProblems, expect, pageProblems, test, type Problem } from './fixtures/harness';

const IDS = ['about', 'penguins', 'clean', 'mlp', 'test', 'export', 'curves'];
/** Figures a seeded run must reproduce (throughput and durations are left out). */
const SEEDED = [
  'accuracy',
  'macro_f1',
  'log_loss',
  'test_rows',
  'final_loss',
  'final_val_loss',
  'rows',
  'train_rows',
];

const cell = (page: Page, id: string): Locator => page.locator(`[data-testid="cell"][data-cell-id="${id}"]`);

async function jsonOf(page: Page, id: string): Promise<Locator> {
  const c = cell(page, id);
  const details = c.locator('details');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return c.getByTestId('cell-json');
}

async function editJson(
  page: Page,
  id: string,
  edit: (cell: Record<string, unknown>) => void,
): Promise<void> {
  const area = await jsonOf(page, id);
  const value = JSON.parse(await area.inputValue()) as Record<string, unknown>;
  edit(value);
  await area.fill(JSON.stringify(value, null, 2));
}

async function statuses(page: Page): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const id of IDS) out[id] = await cell(page, id).getAttribute('data-status');
  return out;
}

async function runAllAndWait(page: Page): Promise<void> {
  await page.getByTestId('run-all').click();
  await expect
    .poll(
      async () => {
        const failed = page.locator(
          '[data-testid="cell"][data-status="failed"] [data-testid="cell-failure"]',
        );
        if ((await failed.count()) > 0) return `failed: ${await failed.first().textContent()}`;
        return Object.values(await statuses(page)).every((s) => s === 'ok') ? 'ok' : 'running';
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe('ok');
}

/** The seeded metrics of every cell, as the exact numbers the page holds (data-value). */
async function seededMetrics(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of IDS) {
    for (const m of SEEDED) {
      const dd = cell(page, id).getByTestId(`metric-${m}`);
      if ((await dd.count()) > 0) out[`${id}.${m}`] = Number(await dd.getAttribute('data-value'));
    }
  }
  return out;
}

test('project notebook: build from the example, stale on edit, run, share to a fresh context, export and import', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  await page.goto('/#/projects');
  await page.getByTestId('new-example').click();
  await expect(page.getByTestId('cell')).toHaveCount(IDS.length);
  await expect(cell(page, 'about').locator('.project-markdown h1')).toHaveText('Palmer penguins');
  await expect(cell(page, 'clean').getByTestId('cell-summary')).toContainText(
    'split 70/15/15 stratified by species',
  );
  // Few epochs, forced onto WebGPU: the badge must say so.
  await editJson(page, 'mlp', (c) => {
    c['epochs'] = 12;
    c['backend'] = 'webgpu';
  });
  await expect(cell(page, 'mlp').getByTestId('cell-summary')).toContainText('12 epochs');
  // A precise error at the cell, then fixed.
  await editJson(page, 'test', (c) => {
    c['model'] = 'nope';
  });
  await expect(cell(page, 'test').getByTestId('cell-error')).toContainText(
    'model “nope” is not an earlier cell',
  );
  await editJson(page, 'test', (c) => {
    c['model'] = 'mlp';
  });
  await expect(cell(page, 'test').getByTestId('cell-error')).toHaveCount(0);

  await runAllAndWait(page);
  const accuracy = Number(await cell(page, 'test').getByTestId('metric-accuracy').getAttribute('data-value'));
  expect(accuracy).toBeGreaterThanOrEqual(0.9);
  await expect(cell(page, 'mlp').getByTestId('backend-badge')).toHaveText('webgpu');
  await expect(cell(page, 'test').getByTestId('backend-badge')).toHaveText('webgpu');
  const first = await seededMetrics(page);
  expect(first['test.accuracy']).toBe(accuracy);
  const artifacts = await cell(page, 'export').getByTestId('artifact').allTextContents();
  expect(artifacts).toEqual(['Download penguins.onnx', 'Download predictions.csv']);
  const download = page.waitForEvent('download');
  await cell(page, 'curves').getByTestId('artifact').click();
  expect((await download).suggestedFilename()).toBe('loss.png');

  // Editing an upstream cell stales it and everything downstream, nothing upstream; undo restores.
  await editJson(page, 'clean', (c) => {
    (c['steps'] as Record<string, unknown>[]).at(-1)!['seed'] = 8;
  });
  expect(await statuses(page)).toEqual({
    about: 'ok',
    penguins: 'ok',
    clean: 'stale',
    mlp: 'stale',
    test: 'stale',
    export: 'stale',
    curves: 'stale',
  });
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  await page.keyboard.press('Control+z');
  expect(Object.values(await statuses(page))).toEqual(IDS.map(() => 'ok'));

  // Autosave: after a reload the project, its drafts and results are back.
  const drafts = await page
    .getByTestId('cell-json')
    .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
  await page.waitForTimeout(1000);
  await page.reload();
  await page.getByTestId('project-item').first().getByRole('button').first().click();
  expect(
    await page
      .getByTestId('cell-json')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value)),
  ).toEqual(drafts);
  expect(Object.values(await statuses(page))).toEqual(IDS.map(() => 'ok'));

  // Share link → a fresh browser context: read-only, Save a copy, Run all: same seeded numbers.
  await page.getByTestId('copy-link').click();
  const url = await page.getByTestId('share-url').inputValue();
  const bytes = Number(await page.getByTestId('share-size').getAttribute('data-bytes'));
  expect(url).toContain('#/p/');
  expect(bytes).toBeLessThan(8192);
  const context = await browser.newContext();
  const other = await context.newPage();
  const otherProblems: Problem[] = [];
  await collectProblems(other, otherProblems);
  await other.goto(url);
  await expect(other.getByTestId('shared-project')).toBeVisible();
  await expect(other.getByTestId('cell')).toHaveCount(IDS.length);
  expect(
    await other.getByTestId('cell').evaluateAll((els) => els.map((e) => e.getAttribute('data-cell-id'))),
  ).toEqual(IDS);
  for (const area of await other.getByTestId('cell-json').all())
    await expect(area).toHaveAttribute('readonly', '');
  await expect(other.getByTestId('run-all')).toHaveCount(0);
  await other.getByTestId('save-copy').click();
  await expect(other.getByTestId('notebook')).toBeVisible();
  await expect(cell(other, 'penguins').getByTestId('cell-summary')).toContainText('inline CSV (344 rows)');
  await runAllAndWait(other);
  await expect(cell(other, 'mlp').getByTestId('backend-badge')).toHaveText('webgpu');
  // Seeded: the same numbers exactly (same adapter, same batches, same initial weights).
  expect(await seededMetrics(other)).toEqual(first);
  await other.getByTestId('close-project').click();
  await expect(other.getByTestId('project-item')).toHaveCount(1);
  expect([...otherProblems, ...(await pageProblems(other))]).toEqual([]);
  await context.close();

  // Project file: export, import back as a new project, same document.
  const zipDownload = page.waitForEvent('download');
  await page.getByTestId('export-project').click();
  const zipPath = testInfo.outputPath('project.zip');
  await (await zipDownload).saveAs(zipPath);
  const entries = unzipSync(new Uint8Array(readFileSync(zipPath)));
  expect(Object.keys(entries).sort()).toEqual(['manifest.json', 'penguins.csv', 'project.json']);
  const written = JSON.parse(new TextDecoder().decode(entries['project.json'])) as { cells: unknown[] };
  expect(written.cells).toEqual(drafts.map((d) => JSON.parse(d) as unknown));
  await page.getByTestId('close-project').click();
  await page.getByTestId('import-project').setInputFiles(zipPath);
  await expect(page.getByTestId('notebook')).toBeVisible();
  const imported = await page
    .getByTestId('cell-json')
    .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
  // The import is the same document, with the defaults the loader fills in made explicit.
  expect(imported.map((t) => JSON.parse(t) as unknown)).toMatchObject(written.cells);
  await page.getByTestId('close-project').click();
  await expect(page.getByTestId('project-item')).toHaveCount(2);
});

test('project notebook: a link sends large data by hash; the recipient must supply the same file', async ({
  page,
  browser,
}) => {
  await page.goto('/#/projects');
  await page.getByTestId('new-blank').click();
  await page.getByTestId('add-kind').selectOption('dataset');
  await page.getByTestId('add-cell').click();
  await editJson(page, 'dataset-1', (c) => {
    c['source'] = { path: 'breast_cancer.csv' }; // 117 KiB: too large to travel inline
  });
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-box')).toContainText('data the recipient supplies: dataset-1');
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  const url = await page.getByTestId('share-url').inputValue();

  const context = await browser.newContext();
  const other = await context.newPage();
  const otherProblems: Problem[] = [];
  await collectProblems(other, otherProblems);
  await other.goto(url);
  const data = cell(other, 'dataset-1');
  await expect(data.getByTestId('cell-summary')).toContainText(
    'to be supplied: breast_cancer.csv (569 rows, 31 columns)',
  );
  await data.getByTestId('cell-file').setInputFiles({
    name: 'breast_cancer.csv',
    mimeType: 'text/csv',
    buffer: readFileSync('public/samples/penguins.csv'),
  });
  await expect(data.getByTestId('cell-file-message')).toContainText(
    'is not the “breast_cancer.csv” the project was made with',
  );
  await expect(data.getByTestId('cell-file-message')).toContainText('lacks the column(s)');
  await data.getByTestId('cell-file').setInputFiles('public/samples/breast_cancer.csv');
  await expect(data.getByTestId('cell-file-message')).toHaveText('breast_cancer.csv accepted.');
  await other.getByTestId('save-copy').click();
  await expect(other.getByTestId('notebook')).toBeVisible();
  const copy = cell(other, 'dataset-1');
  await expect(copy.getByTestId('cell-summary')).toHaveText('Data: file breast_cancer.csv (hash checked)');
  await copy.getByTestId('run-cell').click();
  await expect(copy).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
  await expect(copy.getByTestId('metric-rows')).toHaveText('569');
  expect([...otherProblems, ...(await pageProblems(other))]).toEqual([]);
  await context.close();
});
