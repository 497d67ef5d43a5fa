import { EXPECTED_ARCH } from './browser';
import { expect, test } from './fixtures/harness';
import {
  expectStatsClose,
  sampleHistograms,
  sampleReference,
  shownHistograms,
  shownStats,
} from './fixtures/reference';

test.describe('data: column statistics of the built-in sample', () => {
  test('computes them on WebGPU in the worker, matching the CPU reference', async ({ page }) => {
    await page.goto('/');
    const status = page.getByTestId('gpu-status');
    await expect(status).toContainText('WebGPU: ');
    if (EXPECTED_ARCH !== '') await expect(status).toContainText(`/ ${EXPECTED_ARCH}`);

    const run = page.getByTestId('stats-run');
    await expect(run).toHaveAttribute('data-backend', 'webgpu');
    await expect(run).toHaveAttribute('data-generation', '1');
    await expect(page.getByTestId('stats-backend')).toContainText(EXPECTED_ARCH);
    expectStatsClose(await shownStats(page), await sampleReference(), 1e-5);
    expect(await shownHistograms(page)).toEqual(await sampleHistograms());
    const maxDiff = Number(await page.getByTestId('stats-maxdiff').textContent());
    expect(maxDiff).toBeLessThan(1e-5);
    await expect(page.getByTestId('dataset-summary')).toContainText('344 rows');
  });

  test('recomputes on demand, on the same device, with three dispatches and two readbacks (statistics, then histograms)', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
    await page.getByRole('button', { name: 'Compute statistics' }).click();
    await expect(page.getByTestId('stats-status')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('stats-run')).toContainText('3 dispatches · 2 readbacks');
    await expect(page.getByTestId('stats-run')).toHaveAttribute('data-generation', '1');
  });

  test('the Device page shows the adapter, its features and limits', async ({ page }) => {
    await page.goto('/#/device');
    const arch = page.getByTestId('adapter-architecture');
    await expect(arch).not.toBeEmpty();
    if (EXPECTED_ARCH !== '') await expect(arch).toHaveText(EXPECTED_ARCH);
    await expect(page.getByRole('table', { name: 'Limits' })).toContainText('maxStorageBufferBindingSize');
    await expect(page.getByRole('heading', { name: /Features \(\d+\)/ })).toBeVisible();
  });
});
