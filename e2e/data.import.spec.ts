import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/harness';

const penguins = readFileSync(join(import.meta.dirname, 'fixtures/penguins.csv'));

/** A generated CSV of about `mb` megabytes: 8 numeric columns. */
function bigCsv(mb: number): Buffer {
  const row = '123.456,789.012,345.678,901.234,567.89,123.456,789.012,345.678\n';
  return Buffer.from(`a,b,c,d,e,f,g,h\n${row.repeat(Math.ceil((mb * 2 ** 20) / row.length))}`);
}

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
}

async function choose(page: Page, name: string, buffer: Buffer, mimeType = 'text/csv'): Promise<void> {
  await page.getByLabel('Choose files…').setInputFiles({ name, mimeType, buffer });
}

const listed = (page: Page) => page.getByTestId('dataset-list').getByRole('listitem');

test.describe('data: import into IndexedDB', () => {
  test('penguins.csv through the file chooser: schema shown, and still there after a reload', async ({
    page,
  }) => {
    await ready(page);
    await expect(listed(page)).toHaveCount(1); // the built-in sample
    await choose(page, 'my-penguins.csv', penguins);
    await expect(page.getByRole('heading', { level: 2, name: 'my-penguins' })).toBeVisible();
    const columns = page.getByTestId('columns-table');
    await expect(columns.locator('tr[data-type="categorical"]')).toHaveCount(3);
    await expect(columns.locator('tr[data-column="sex"]')).toHaveAttribute('data-missing', '11');
    await expect(columns.locator('tr[data-column="bill_length_mm"]')).toHaveAttribute('data-missing', '2');
    await expect(columns.locator('tr[data-column="species"]')).toContainText('Adelie (152)');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await expect(listed(page)).toHaveCount(2);

    await page.reload();
    await expect(listed(page)).toHaveCount(2);
    await expect(listed(page).first()).toContainText('my-penguins');
    await expect(page.getByTestId('columns-table').locator('tr[data-type="categorical"]')).toHaveCount(3);
  });

  test('the rows table scrolls and shows missing cells', async ({ page }) => {
    await ready(page);
    const grid = page.getByTestId('rows-table');
    await expect(grid.getByRole('row').first()).toContainText('Adelie');
    await expect(grid.locator('[aria-rowindex="5"]')).toContainText('missing');
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(grid.locator('[aria-rowindex="345"]')).toContainText('Chinstrap');
  });

  test('with the quota forced low, a big import fails clearly and earlier data stays', async ({
    page,
    baseURL,
  }) => {
    // Chrome reads an origin's quota when its database opens, so override first. Each stored chunk here
    // (65,536 rows × 8 float64 columns) is 4 MiB, more than this whole quota.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin: new URL(baseURL!).origin,
      quotaSize: 2 * 2 ** 20,
    });
    await ready(page);
    await choose(page, 'big.csv', bigCsv(12));
    const error = page.getByTestId('data-error');
    await expect(error).toHaveAttribute('data-code', 'QUOTA_EXCEEDED', { timeout: 60_000 });
    await expect(error).toContainText('Browser storage is full');
    await expect(listed(page)).toHaveCount(1);
    await page.reload();
    await expect(listed(page)).toHaveCount(1);
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  });

  test('cancel mid-import leaves nothing', async ({ page }) => {
    await ready(page);
    await choose(page, 'cancel-me.csv', bigCsv(24));
    await expect(page.getByTestId('import-progress')).toContainText('cancel-me.csv');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('data-error')).toHaveAttribute('data-code', 'CANCELLED');
    await expect(listed(page)).toHaveCount(1);
    await page.reload();
    await expect(listed(page)).toHaveCount(1);
  });

  test('binary garbage ends in a clear message naming the file', async ({ page }) => {
    await ready(page);
    const garbage = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    await choose(page, 'garbage.csv', garbage);
    await expect(page.getByTestId('data-error')).toContainText('garbage.csv is not a text file');
    await expect(listed(page)).toHaveCount(1);
  });

  test('export CSV downloads the dataset, formula cells neutralised', async ({ page }) => {
    await ready(page);
    await choose(page, 'formulas.csv', Buffer.from('name,x\n=cmd|calc,1\nok,2\n'));
    await expect(page.getByRole('heading', { level: 2, name: 'formulas' })).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('formulas.csv');
    const text = readFileSync(await file.path(), 'utf8');
    expect(text).toBe("name,x\r\n'=cmd|calc,1\r\nok,2\r\n");
  });
});

test('a 100,000-row dataset scrolls to its last row', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
  const rows = Array.from({ length: 100_000 }, (_, i) => `${i + 1},${(i * 0.5).toFixed(1)},c${i % 7}`);
  await page.getByLabel('Choose files…').setInputFiles({
    name: 'hundred-k.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`id,x,k\n${rows.join('\n')}\n`),
  });
  await expect(page.getByRole('heading', { level: 2, name: 'hundred-k' })).toBeVisible({ timeout: 60_000 });
  const grid = page.getByTestId('rows-table');
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(grid.locator('[aria-rowindex="100001"]')).toContainText('100000');
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(grid.getByRole('row').filter({ hasText: '50000' }).first()).toBeVisible();
});
