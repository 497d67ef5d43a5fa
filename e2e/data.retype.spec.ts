import { expect, test } from './fixtures/harness';

test('changing a column type writes a new snapshot with lineage; a lossy change is refused', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('stats-run')).toBeVisible();
  const list = page.getByTestId('dataset-list').getByRole('listitem');
  await expect(list).toHaveCount(1);
  await page.getByLabel('Type of year').selectOption('categorical');
  await expect(page.getByTestId('lineage')).toContainText('derived from penguins (year → categorical)');
  const year = page.getByTestId('columns-table').locator('tr[data-column="year"]');
  await expect(year).toHaveAttribute('data-type', 'categorical');
  await expect(year).toContainText('2009 (120)');
  await expect(list).toHaveCount(2);

  await page.getByLabel('Type of species').selectOption('number');
  await expect(page.getByTestId('data-error')).toContainText(
    'species cannot become number: "Adelie" is not a number',
  );
  await expect(list).toHaveCount(2);
});
