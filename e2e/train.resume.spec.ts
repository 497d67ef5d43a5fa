import { chromium, type Page } from '@playwright/test';
import type { RunRecord } from '../src/engine/train/run';
import { launchOptions } from './browser';
import { collectProblems, expect, pageProblems, test, type Problem } from './fixtures/harness';

async function lastRun(page: Page): Promise<RunRecord | undefined> {
  return page.evaluate(
    () => (window as unknown as { __WORKBENCH_LAST_RUN__?: RunRecord }).__WORKBENCH_LAST_RUN__,
  );
}

/** Waits for a finished run other than `previous` (the page's last run), failing on a run error. */
async function waitForRun(page: Page, previous: string | null, timeout = 120_000): Promise<RunRecord> {
  await expect
    .poll(
      async () => {
        const run = await lastRun(page);
        if (run !== undefined && run.id !== previous) return 'done';
        const error = page.getByTestId('train-error');
        return (await error.count()) > 0 ? `error: ${await error.textContent()}` : 'running';
      },
      { timeout },
    )
    .toBe('done');
  return (await lastRun(page))!;
}

/** Waits until the run going on has reported at least `epochs` epochs (the live store's count, in the DOM). */
async function waitForEpochs(page: Page, epochs: number): Promise<number> {
  const status = page.getByTestId('train-status');
  await expect
    .poll(
      async () =>
        (await status.getAttribute('data-status')) === 'running' &&
        Number(await status.getAttribute('data-epochs')) >= epochs,
      { timeout: 60_000, intervals: [50] },
    )
    .toBe(true);
  return Number(await status.getAttribute('data-epochs'));
}

async function openTrain(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('train-page')).toBeVisible();
}

/** Raw penguins → species with dropout and Adam, early stopping off, on `backend`. */
async function setRun(page: Page, backend: string, epochs: number, batch: number): Promise<void> {
  await page.getByTestId('train-target').selectOption('species');
  await page.getByTestId('train-hidden-dropout-0').fill('0.2');
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-batch').fill(String(batch));
  await page.getByTestId('train-seed').fill('7');
  await page.getByTestId('train-early-stopping').uncheck();
  await page.getByTestId('train-backend').selectOption(backend);
}

/** What must not depend on an interruption: every epoch's losses and metrics, the first steps, the test figures. */
function outcome(r: RunRecord) {
  return {
    history: r.history.map((h) => [h.epoch, h.trainLoss, h.trainMetric, h.valLoss, h.valMetric]),
    firstSteps: r.firstSteps,
    evaluation: r.evaluation,
    status: r.status,
    config: r.config,
  };
}

test('train: a run interrupted by a page reload resumes from its checkpoint and ends as an uninterrupted run', async ({
  page,
}) => {
  const EPOCHS = 24;
  await openTrain(page);
  await setRun(page, 'wasm', EPOCHS, 4);
  const t0 = Date.now();
  await page.getByTestId('train-start').click();
  const fresh = await waitForRun(page, null);
  const freshMs = Date.now() - t0;
  expect(fresh.backend).toBe('wasm');
  expect(fresh.history).toHaveLength(EPOCHS);

  // The same run again, reloaded away mid-run.
  await page.getByTestId('train-start').click();
  const seen = await waitForEpochs(page, 2);
  await page.reload();
  expect(seen).toBeLessThan(EPOCHS);
  await page.getByRole('link', { name: 'Train' }).click();
  const banner = page.getByTestId('train-interrupted');
  await expect(banner).toContainText(
    new RegExp(`An interrupted run can be resumed: ${fresh.name} at epoch \\d+/${EPOCHS}`),
  );
  const at = Number(await banner.locator('li').first().getAttribute('data-epoch'));
  expect(at).toBeGreaterThanOrEqual(1);
  expect(at).toBeLessThan(EPOCHS);
  await page.getByTestId('train-resume-run').click();
  // The epochs done before the reload are shown again at once.
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-epochs', /\d+/);
  const resumed = await waitForRun(page, null);
  console.log(
    `uninterrupted run ${freshMs} ms; reload after ${seen} epochs shown, resumed at epoch ${at}/${EPOCHS}`,
  );
  expect(resumed.backend).toBe('wasm');
  expect(resumed.id).not.toBe(fresh.id);
  expect(outcome(resumed)).toEqual(outcome(fresh));
  await expect(page.getByTestId('train-interrupted')).toHaveCount(0);
  // Both runs are stored; the checkpoint is gone (no banner after another reload).
  await page.reload();
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('runs-table')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('train-interrupted')).toHaveCount(0);
});

test('train: an interrupted run can be discarded', async ({ page }) => {
  await openTrain(page);
  await setRun(page, 'wasm', 24, 4);
  await page.getByTestId('train-start').click();
  await waitForEpochs(page, 2);
  await page.reload();
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('train-interrupted')).toHaveAttribute('data-count', '1');
  await page.getByTestId('train-discard-run').click();
  await expect(page.getByTestId('train-interrupted')).toHaveCount(0);
  await page.reload();
  await page.getByRole('link', { name: 'Train' }).click();
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await expect(page.getByTestId('train-interrupted')).toHaveCount(0);
});

// Its own browser, as every GPU-crash test (after a second GPU-process crash requestAdapter() returns null).
test('train: a GPU device loss mid-run on WebGPU resumes from the checkpoint on a new device, same history', async ({
  baseURL,
}) => {
  const browser = await chromium.launch(launchOptions(true));
  try {
    const page = await browser.newPage();
    const problems: Problem[] = [];
    await collectProblems(page, problems);
    await openTrain(page, baseURL ?? '/');
    const EPOCHS = 6;
    await setRun(page, 'webgpu', EPOCHS, 16);
    await page.getByTestId('train-start').click();
    const fresh = await waitForRun(page, null);
    expect(fresh.backend).toBe('webgpu');

    await page.getByTestId('train-start').click();
    await waitForEpochs(page, 2);
    const cdp = await browser.newBrowserCDPSession();
    await cdp.send('Browser.crashGpuProcess');
    const recovered = await waitForRun(page, fresh.id);
    expect(recovered.notices.join('\n')).toMatch(
      /GPU device lost at epoch \d+; resumed from the checkpoint on webgpu\./,
    );
    expect(recovered.backend).toBe('webgpu');
    expect(recovered.status).toBe('completed');
    expect(outcome(recovered)).toEqual(outcome(fresh));
    // The crash itself logs GPU-process noise to the console; only app-reported problems count here.
    expect(await pageProblems(page)).toEqual([]);
    expect(problems.filter((p) => p.kind === 'pageerror')).toEqual([]);
  } finally {
    await browser.close();
  }
});
