import { zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/harness';
import { solidPng } from './fixtures/png';

async function ready(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
}

async function chooseZip(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await page
    .getByLabel('Choose files…')
    .setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) });
}

const listed = (page: Page) => page.getByTestId('dataset-list').getByRole('listitem');

/** The RGB of the centre pixel of the first thumbnail in the rows table. */
function firstThumbnailRgb(page: Page): Promise<number[]> {
  return page
    .getByTestId('rows-table')
    .getByRole('img')
    .first()
    .evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!];
    });
}

test.describe('data: image datasets', () => {
  test('the MNIST-3000 sample: 3000 rows, a 28×28×1 image column, label as the target', async ({ page }) => {
    await ready(page);
    await page.getByRole('button', { name: 'MNIST-3000' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'mnist-3000' })).toBeVisible();
    await expect(page.getByTestId('dataset-summary')).toContainText('3,000 rows');
    await expect(page.getByTestId('dataset-summary')).toContainText('target: label');
    const columns = page.getByTestId('columns-table');
    const image = columns.locator('tr[data-column="image"]');
    await expect(image).toHaveAttribute('data-type', 'image');
    await expect(image).toContainText('image 28×28×1');
    const label = columns.locator('tr[data-column="label"]');
    await expect(label).toHaveAttribute('data-type', 'categorical');
    await expect(label.getByRole('radio')).toBeChecked();
    await expect(label).toContainText('(300)');
    await expect(label).not.toContainText(/\((?!300\))\d+\)/); // every digit 300 times
    // Thumbnails are drawn: a digit has ink (MNIST is white on black) somewhere in the first image.
    const thumb = page.getByTestId('rows-table').getByRole('img').first();
    await expect(thumb).toHaveAttribute('aria-label', 'image of row 1');
    const ink = await thumb.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      return c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.reduce((n, v, i) => (i % 4 === 0 && v > 128 ? n + 1 : n), 0);
    });
    expect(ink).toBeGreaterThan(20);
    await expect(listed(page)).toHaveCount(2);
  });

  test('a zip of PNGs in two labelled folders: one dataset with the folder names as labels', async ({
    page,
  }) => {
    await ready(page);
    const red = solidPng(8, 8, [220, 20, 20]);
    const blue = solidPng(8, 8, [20, 20, 220]);
    const zip = zipSync({
      'shapes/red/r1.png': red,
      'shapes/red/r2.png': red,
      'shapes/red/r3.png': red,
      'shapes/blue/b1.png': blue,
      'shapes/blue/b2.png': solidPng(16, 16, [20, 20, 220]), // another size: resized to 8×8
      'shapes/README.txt': new TextEncoder().encode('two classes'),
    });
    await chooseZip(page, 'shapes.zip', zip);
    await expect(page.getByRole('heading', { level: 2, name: 'shapes' })).toBeVisible();
    await expect(page.getByTestId('dataset-summary')).toContainText('5 rows');
    const columns = page.getByTestId('columns-table');
    await expect(columns.locator('tr[data-column="image"]')).toContainText('image 8×8×3');
    await expect(columns.locator('tr[data-column="label"]')).toContainText('red (3), blue (2)');
    // Rows are in path order, so row 1 is blue/b1.png, decoded in the worker with its colour intact.
    const [r, g, b] = await firstThumbnailRgb(page);
    expect(b).toBeGreaterThan(200);
    expect(r! + g!).toBeLessThan(80);
    await expect(listed(page)).toHaveCount(2);
  });

  test('a garbage .zip, or a zip holding a broken image, fails clearly and stores nothing', async ({
    page,
  }) => {
    await ready(page);
    const garbage = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256);
    await chooseZip(page, 'junk.zip', garbage);
    const error = page.getByTestId('data-error');
    await expect(error).toHaveAttribute('data-code', 'PARSE_ERROR');
    await expect(error).toContainText('junk.zip is not a zip archive');

    const broken = zipSync({ 'cats/ok.png': solidPng(4, 4, [1, 2, 3]), 'cats/bad.png': garbage });
    await chooseZip(page, 'broken.zip', broken);
    await expect(error).toContainText('cats/bad.png could not be decoded as an image');
    await expect(listed(page)).toHaveCount(1);
  });
});
