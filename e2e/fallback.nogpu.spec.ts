import { expect, test } from './fixtures/harness';
import { expectStatsClose, sampleReference, shownStats } from './fixtures/reference';

test('without WebGPU the banner says so and statistics still come out right on the CPU', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) ?? null)).toBeNull();
  await expect(page.getByTestId('gpu-status')).toHaveText('WebGPU unavailable — running on CPU');
  const run = page.getByTestId('stats-run');
  await expect(run).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('stats-backend')).toContainText('CPU (fallback:');
  expectStatsClose(await shownStats(page), await sampleReference(), 1e-12);
  await page.goto('/#/device');
  await expect(page.getByTestId('device-unavailable')).toContainText('requestAdapter() returned null');
});
