import { chromium } from '@playwright/test';
import { launchOptions } from './browser';
import { collectProblems, expect, pageProblems, test, type Problem } from './fixtures/harness';
import { expectStatsClose, sampleReference, shownStats } from './fixtures/reference';

// Its own browser: after a second GPU-process crash, requestAdapter() returns null in that browser.
test('after a GPU process crash the app reports the loss and recomputes on a new WebGPU device', async ({
  baseURL,
}) => {
  const browser = await chromium.launch(launchOptions(true));
  try {
    const page = await browser.newPage();
    const problems: Problem[] = [];
    await collectProblems(page, problems);
    await page.goto(baseURL ?? '/');
    const run = page.getByTestId('stats-run');
    await expect(run).toHaveAttribute('data-generation', '1');

    const cdp = await browser.newBrowserCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    await expect(page.getByTestId('notices')).toContainText(/GPU device #1 was lost \(unknown\)/);

    await page.getByRole('button', { name: 'Compute statistics' }).click();
    await expect(run).toHaveAttribute('data-generation', '2');
    await expect(run).toHaveAttribute('data-backend', 'webgpu');
    expectStatsClose(await shownStats(page), await sampleReference(), 1e-5);
    // The crash itself logs GPU-process noise to the console; only app-reported problems count here.
    expect(await pageProblems(page)).toEqual([]);
    expect(problems.filter((p) => p.kind === 'pageerror')).toEqual([]);
  } finally {
    await browser.close();
  }
});
