import AxeBuilder from '@axe-core/playwright';
import { ROUTES } from '../src/app/useHashRoute';
import { expect, test } from './fixtures/harness';

test.describe('accessibility', () => {
  for (const route of ROUTES) {
    test(`${route.label} page has no serious axe violations`, async ({ page }) => {
      await page.goto(`/#/${route.id}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      if (route.id === 'data') await expect(page.getByTestId('stats-run')).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
    });
  }

  test('stage navigation works from the keyboard', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('stats-run')).toBeVisible();
    const link = page.getByRole('link', { name: 'Device' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Device' })).toBeVisible();
    await expect(link).toHaveAttribute('aria-current', 'page');
  });
});
