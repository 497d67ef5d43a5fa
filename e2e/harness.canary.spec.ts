import { expect, pageProblems, test } from './fixtures/harness';

test('canary: an invalid dispatch in the worker reaches the harness', async ({ page, problems }) => {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  await page.evaluate(() => window.__WORKBENCH_DEBUG__?.injectBadDispatch());
  await expect
    .poll(async () => (await pageProblems(page)).map((p) => p.message).join('\n'))
    .toMatch(/^webgpu: /m);
  expect(problems.some((p) => p.kind === 'console' && p.message.includes('[workbench:webgpu]'))).toBe(true);
  await expect(page.getByTestId('notices')).toContainText('GPU error');
  // Proven caught; clear it so the fixture's own check passes.
  problems.length = 0;
  await page.evaluate(() => (window.__WORKBENCH_ERRORS__ = []));
});
