import { DB_VERSION } from '../src/db/schema';
import { expect, test } from './fixtures/harness';

test('when storage cannot be opened, a recovery screen offers a reset that brings the app back', async ({
  page,
}) => {
  // A database left by a "newer version" of the app: ours cannot open it (VersionError).
  await page.route('**/blank', (r) =>
    r.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
  );
  await page.goto('/blank');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('workbench', 50);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
        req.onerror = () => reject(new Error(String(req.error)));
      }),
  );
  await page.goto('/');
  const recovery = page.getByTestId('storage-recovery');
  await expect(recovery).toContainText('Local storage cannot be opened');
  await expect(recovery).toContainText('reload this tab');
  await page.getByRole('button', { name: 'Reset storage…' }).click();
  await page.getByRole('button', { name: 'Delete all local datasets and reset' }).click();
  await expect(page.getByTestId('stats-run')).toHaveAttribute('data-backend', 'webgpu');
  await expect(recovery).toHaveCount(0);
  expect(
    await page.evaluate(
      async () => (await indexedDB.databases()).find((d) => d.name === 'workbench')?.version,
    ),
  ).toBe(DB_VERSION);
});
