import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures/harness';

/** ONNX conformance case test_gemm_all_attributes: fixed shapes a[4,3], b[5,4], c[1,5] (nothing to pin). */
const gemm = readFileSync(new URL('../test/fixtures/onnx/gemm_all_attributes.onnx', import.meta.url));

test.describe('deploy: latency benchmark', () => {
  test('Gemm on WebGPU and WASM: 5 warm-ups, 30 timed runs each, p50 ≤ p95 ≤ p99, a chart and a table', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.goto('/#/deploy');
    await page
      .getByTestId('model-file')
      .setInputFiles({ name: 'gemm.onnx', mimeType: 'application/octet-stream', buffer: gemm });
    const panel = page.getByTestId('latency-panel');
    await expect(panel).toBeVisible();
    await panel.getByTestId('latency-run').click();
    const table = panel.getByTestId('latency-table');
    await expect(table.or(panel.getByTestId('latency-error'))).toBeVisible({ timeout: 45_000 });
    await expect(panel.getByTestId('latency-error')).toHaveCount(0);
    const rows = table.locator('tbody tr');
    await expect(rows).toHaveCount(2);
    const seen: string[] = [];
    for (const row of await rows.all()) {
      seen.push((await row.getAttribute('data-ep'))!);
      await expect(row).toHaveAttribute('data-runs', '30');
      await expect(row).toHaveAttribute('data-warmups', '5');
      const [p50, p95, p99] = await Promise.all(
        ['data-p50', 'data-p95', 'data-p99'].map(async (a) => Number(await row.getAttribute(a))),
      );
      expect(p50).toBeGreaterThan(0);
      expect(p50).toBeLessThanOrEqual(p95!);
      expect(p95).toBeLessThanOrEqual(p99!);
      console.log(`${seen.at(-1)}: ${await row.innerText()}`);
    }
    expect(seen).toEqual(['webgpu', 'wasm']);
    await expect(panel.getByTestId('latency-chart')).toHaveAttribute('data-points', '30');
    // The table is a real table: a caption, column headers and one row header per provider.
    await expect(table.locator('caption')).toContainText('30 timed runs');
    await expect(table.getByRole('rowheader')).toHaveText(['WebGPU', 'WASM']);
    const results = await new AxeBuilder({ page }).include('[data-testid="latency-panel"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  test('fewer than 5 warm-ups is refused with a clear INVALID_INPUT error', async ({ page }) => {
    await page.goto('/#/deploy');
    await page
      .getByTestId('model-file')
      .setInputFiles({ name: 'gemm.onnx', mimeType: 'application/octet-stream', buffer: gemm });
    const panel = page.getByTestId('latency-panel');
    await panel.getByTestId('latency-warmups').fill('2');
    await panel.getByTestId('latency-run').click();
    await expect(panel.getByTestId('latency-error')).toHaveAttribute('data-code', 'INVALID_INPUT');
    await expect(panel.getByTestId('latency-error')).toContainText('Warm-ups');
  });
});
