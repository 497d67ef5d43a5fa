import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { launchOptions } from './browser';
import { expect, test } from './fixtures/harness';

// Its own browser: a fake camera (test pattern) and microphone (beeps), granted without a prompt.
test.use({ launchOptions: launchOptions(true, { fakeMedia: true }) });

const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/audio/${name}`, import.meta.url));

async function ready(page: Page): Promise<void> {
  await page.context().grantPermissions(['camera', 'microphone']);
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
}

test.describe('data: capture and audio', () => {
  test('camera frames labelled a (3) and b (2) save as one image dataset', async ({ page }) => {
    await ready(page);
    const panel = page.getByTestId('capture-panel');
    await panel.getByLabel('Label').fill('a');
    await panel.getByRole('button', { name: 'Start camera' }).click();
    await expect(panel.getByLabel('Camera preview')).toBeVisible();
    const add = panel.getByRole('button', { name: 'Add frame' });
    await expect(add).toBeEnabled();
    for (let i = 0; i < 3; i++) await add.click();
    await panel.getByLabel('Label').fill('b');
    await add.click();
    await add.press('Enter'); // keyboard works too
    await expect(panel.getByTestId('captured-frames')).toHaveText('5 frames: a (3), b (2)');
    await panel.getByRole('button', { name: 'Save frames as dataset' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'captured images' })).toBeVisible();
    await expect(page.getByTestId('dataset-summary')).toContainText('5 rows');
    await expect(page.getByTestId('dataset-summary')).toContainText('target: label');
    const columns = page.getByTestId('columns-table');
    await expect(columns.locator('tr[data-column="image"]')).toContainText('image 224×224×3');
    await expect(columns.locator('tr[data-column="label"]')).toContainText('a (3), b (2)');
    // Saving stopped the camera and emptied the list.
    await expect(panel.getByRole('button', { name: 'Start camera' })).toBeVisible();
    await expect(panel.getByTestId('captured-frames')).toHaveText('No frames yet.');
    // The fake camera's test pattern is not blank: the first thumbnail has some non-black pixels.
    const lit = await page
      .getByTestId('rows-table')
      .getByRole('img')
      .first()
      .evaluate((el) => {
        const c = el as HTMLCanvasElement;
        return c
          .getContext('2d')!
          .getImageData(0, 0, c.width, c.height)
          .data.reduce((n, v, i) => (i % 4 !== 3 && v > 40 ? n + 1 : n), 0);
      });
    expect(lit).toBeGreaterThan(10);
  });

  test('a microphone clip labelled noise saves as a 16 kHz audio dataset', async ({ page }) => {
    await ready(page);
    const panel = page.getByTestId('capture-panel');
    await panel.getByLabel('Label').fill('noise');
    await panel.getByRole('button', { name: 'Start microphone' }).click();
    await panel.getByRole('button', { name: 'Record clip' }).click();
    await expect(panel.getByTestId('captured-clips')).toHaveText('1 clips: noise (1)');
    await panel.getByRole('button', { name: 'Save clips as dataset' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'captured audio' })).toBeVisible();
    await expect(page.getByTestId('dataset-summary')).toContainText('1 rows');
    const columns = page.getByTestId('columns-table');
    const audio = columns.locator('tr[data-column="audio"]');
    await expect(audio).toHaveAttribute('data-type', 'audio');
    await expect(audio).toContainText('@ 16 kHz');
    await expect(columns.locator('tr[data-column="label"]')).toContainText('noise (1)');
    // The fake microphone beeps: the clip has signal, and it lasts most of the recorded second.
    const wave = page.getByTestId('rows-table').getByRole('img').first();
    await expect(wave).toHaveAttribute('aria-label', /^audio of row 1: (0\.[5-9]|1\.\d)\d s of audio$/);
    const drawn = await wave.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      return c
        .getContext('2d')!
        .getImageData(0, 0, c.width, c.height)
        .data.reduce((n, v, i) => (i % 4 === 3 && v > 0 ? n + 1 : n), 0);
    });
    expect(drawn).toBeGreaterThan(48); // more than a 1-pixel line per bucket
  });

  test('leaving the Data page stops the camera and microphone; the live panel passes axe', async ({
    page,
  }) => {
    // Keep every stream the app opens, to read its tracks' state afterwards.
    await page.addInitScript(() => {
      const w = window as unknown as { __streams: MediaStream[] };
      w.__streams = [];
      const md = navigator.mediaDevices;
      const open = md.getUserMedia.bind(md);
      md.getUserMedia = async (c) => {
        const s = await open(c);
        w.__streams.push(s);
        return s;
      };
    });
    await ready(page);
    const panel = page.getByTestId('capture-panel');
    await panel.getByRole('button', { name: 'Start camera' }).click();
    await panel.getByRole('button', { name: 'Start microphone' }).click();
    await expect(panel.getByRole('button', { name: 'Add frame' })).toBeEnabled();
    await expect(panel.getByRole('button', { name: 'Record clip' })).toBeEnabled();
    // Holding "Hold to record" adds frames until it is released (8 a second).
    await panel.getByRole('button', { name: 'Hold to record' }).hover();
    await page.mouse.down();
    await expect(panel.getByTestId('captured-frames')).toHaveText(/^([3-9]|\d\d) frames/);
    await page.mouse.up();
    const held = await panel.getByTestId('captured-frames').textContent();
    await page.waitForTimeout(400);
    await expect(panel.getByTestId('captured-frames')).toHaveText(held!);
    const results = await new AxeBuilder({ page }).include('[data-testid="capture-panel"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    const states = () =>
      page.evaluate(() =>
        (window as unknown as { __streams: MediaStream[] }).__streams.flatMap((s) =>
          s.getTracks().map((t) => `${t.kind}:${t.readyState}`),
        ),
      );
    expect((await states()).sort()).toEqual(['audio:live', 'video:live']);
    await page.getByRole('link', { name: 'Device' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Device' })).toBeVisible();
    expect((await states()).sort()).toEqual(['audio:ended', 'video:ended']);
  });

  test('a WAV file chosen in the file picker imports as an audio dataset', async ({ page }) => {
    await ready(page);
    await page.getByLabel('Choose files…').setInputFiles({
      name: 'Front_Center.wav',
      mimeType: 'audio/wav',
      buffer: fixture('Front_Center.wav'),
    });
    await expect(page.getByRole('heading', { level: 2, name: 'Front_Center' })).toBeVisible();
    await expect(page.getByTestId('dataset-summary')).toContainText('1 rows');
    const audio = page.getByTestId('columns-table').locator('tr[data-column="audio"]');
    await expect(audio).toHaveAttribute('data-type', 'audio');
    await expect(audio).toContainText('1.43 s @ 16 kHz');
    await expect(page.getByTestId('rows-table').getByRole('img').first()).toHaveAttribute(
      'aria-label',
      'audio of row 1: 1.43 s of audio',
    );
  });
});
