import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { onnx } from '../src/engine/deploy/onnx/generated/onnx.js';
import { DT, valueInfo } from '../src/engine/deploy/onnx/graph';
import { expect, test } from './fixtures/harness';

/** ONNX conformance case test_gemm_all_attributes (test/fixtures/onnx/README.md). */
const gemm = readFileSync(join(import.meta.dirname, '../test/fixtures/onnx/gemm_all_attributes.onnx'));

/** y[N, 3] = Relu(x[N, 3]) with a 2×3 Constant beside it: a symbolic dimension to pin, 6 parameters. */
function symbolicModel(): Buffer {
  const bytes = onnx.ModelProto.encode({
    irVersion: 9,
    opsetImport: [{ domain: '', version: 19 }],
    graph: {
      name: 'sym',
      node: [
        { opType: 'Relu', input: ['x'], output: ['y'] },
        {
          opType: 'Constant',
          output: ['c'],
          attribute: [
            { name: 'value', type: 4, t: { dims: [2, 3], dataType: DT.float, rawData: new Uint8Array(24) } },
          ],
        },
      ],
      input: [valueInfo('x', DT.float, ['N', 3])],
      output: [valueInfo('y', DT.float, ['N', 3])],
    },
  }).finish();
  return Buffer.from(bytes);
}

async function open(page: Page): Promise<void> {
  await page.goto('/#/deploy');
  await expect(page.getByTestId('deploy-page')).toBeVisible();
}

const choose = (page: Page, name: string, buffer: Buffer) =>
  page.getByTestId('model-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });

const listed = (page: Page) => page.getByTestId('model-list').getByRole('listitem');

test.describe('deploy: ONNX import and inspector', () => {
  test('the conformance Gemm model through the file picker: inspector figures, and still listed after a reload', async ({
    page,
  }) => {
    await open(page);
    await choose(page, 'gemm.onnx', gemm);
    const inspector = page.getByTestId('model-inspector');
    await expect(inspector.getByRole('heading', { level: 2, name: 'gemm.onnx' })).toBeVisible();
    const inputs = page.getByTestId('model-inputs');
    await expect(inputs.getByRole('row')).toHaveCount(4); // header + a, b, c
    await expect(inputs.getByRole('row', { name: /^a / })).toContainText('float32');
    await expect(inputs.getByRole('row', { name: /^a / })).toContainText('[4, 3]');
    await expect(inputs.getByRole('row', { name: /^b / })).toContainText('[5, 4]');
    await expect(inputs.getByRole('row', { name: /^c / })).toContainText('[1, 5]');
    await expect(page.getByTestId('model-outputs').getByRole('row', { name: /^y / })).toContainText('[3, 5]');
    await expect(page.getByTestId('model-opset')).toHaveText('ai.onnx 13');
    await expect(page.getByTestId('model-ops').getByRole('row', { name: /Gemm/ })).toContainText('1');
    await expect(page.getByTestId('model-params')).toHaveText('0');
    await expect(page.getByTestId('model-size')).toHaveText('218 B');
    await expect(listed(page)).toHaveCount(1);

    await page.reload();
    await expect(page.getByTestId('deploy-page')).toBeVisible();
    await expect(listed(page)).toHaveCount(1);
    await expect(listed(page)).toContainText('gemm.onnx');
    await expect(page.getByTestId('model-params')).toHaveText('0');
  });

  test('a symbolic dimension can be pinned; the Constant tensor counts as parameters', async ({ page }) => {
    await open(page);
    await choose(page, 'sym.onnx', symbolicModel());
    await expect(page.getByTestId('model-params')).toHaveText('6');
    const pin = page.getByLabel('Pin N of x');
    await pin.fill('8');
    await expect(page.getByTestId('model-outputs').getByRole('row', { name: /^y / })).toContainText('N=8');
  });

  test('a garbage .onnx is rejected with a clear error and nothing is stored', async ({ page }) => {
    await open(page);
    await choose(page, 'garbage.onnx', Buffer.from('definitely not a protobuf model\n'.repeat(10)));
    const error = page.getByTestId('model-error');
    await expect(error).toHaveAttribute('data-code', 'MODEL_REJECTED');
    await expect(error).toContainText('ONNX model');
    await expect(page.getByTestId('model-list')).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId('deploy-page')).toBeVisible();
    await expect(page.getByText('No models imported yet.')).toBeVisible();
  });
});
