import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { attr, DT, GraphBuilder, valueInfo } from '../src/engine/deploy/onnx/graph';
import { encode, matmulModel } from './fixtures/onnxModels';
import { npy } from '../test/support/npy';
import { expect, test } from './fixtures/harness';

const TOLERANCE = 1e-5;
const CLASSES = ['low', 'mid', 'high'];
// Weights of the small classifier built below: logits = [a, b] · W + B.
const W = [0.5, -1.25, 2, 1.5, 0.75, -0.5];
const B = [0.1, 0.2, -0.3];
// Weights of the small [N, 4] → [N, 2] model.
const V = [1, -1, 0.5, 2, -0.25, 0.125, 3, -2];

/**
 * A contract-shaped classifier: inputs a, b (float32 [N, 1]) and tag (string [N, 1], echoed as `tag_echo`);
 * outputs label (int64 [N]), probabilities (float32 [N, 3]) and class (string [N]); class names in metadata.
 */
function classifierModel(): Buffer {
  const g = new GraphBuilder();
  const inputs = ['a', 'b', 'tag'].map((n) => g.reserve(n));
  const x = g.op('Concat', ['a', 'b'], { attrs: [attr.int('axis', 1)] });
  const logits = g.op('Gemm', [x, g.floats('W', [2, 3], W), g.floats('B', [3], B)]);
  g.op('Softmax', [logits], { attrs: [attr.int('axis', 1)], as: 'probabilities' });
  g.op('ArgMax', ['probabilities'], { attrs: [attr.int('axis', 1), attr.int('keepdims', 0)], as: 'label' });
  g.op('Gather', [g.strings('names', [3], CLASSES), 'label'], { attrs: [attr.int('axis', 0)], as: 'class' });
  g.op('Identity', ['tag'], { as: 'tag_echo' });
  return encode(
    g,
    [
      valueInfo(inputs[0]!, DT.float, ['N', 1]),
      valueInfo(inputs[1]!, DT.float, ['N', 1]),
      valueInfo(inputs[2]!, DT.string, ['N', 1]),
    ],
    [
      valueInfo('label', DT.int64, ['N']),
      valueInfo('probabilities', DT.float, ['N', 3]),
      valueInfo('class', DT.string, ['N']),
      valueInfo('tag_echo', DT.string, ['N', 1]),
    ],
    { 'workbench.contract': '1', 'workbench.classes': JSON.stringify(CLASSES) },
  );
}

/** The classifier's probabilities, computed here in float64. */
function classifierRef(a: number, b: number): number[] {
  const z = [0, 1, 2].map((j) => a * W[j]! + b * W[3 + j]! + B[j]!);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
}

async function importModel(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.goto('/#/deploy');
  await expect(page.getByTestId('deploy-page')).toBeVisible();
  await page
    .getByTestId('model-file')
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('infer-panel')).toBeVisible();
}

async function waitOutputs(page: Page, ep: 'wasm' | 'webgpu'): Promise<void> {
  const outputs = page.getByTestId('infer-outputs');
  await expect(outputs.or(page.getByTestId('infer-error'))).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('infer-error')).toHaveCount(0);
  await expect(outputs).toHaveAttribute('data-ep', ep);
}

async function outputValues(page: Page, name: string): Promise<unknown[]> {
  return JSON.parse(await page.getByTestId(`infer-output-${name}`).innerText()) as unknown[];
}

function worstDiff(got: readonly number[], want: readonly number[]): number {
  expect(got).toHaveLength(want.length);
  return Math.max(...got.map((g, i) => Math.abs(g - want[i]!)));
}

// ONNX conformance case test_gemm_all_attributes: y = 0.25·Aᵀ·Bᵀ + 0.35·C for a[4,3], b[5,4], c[1,5].
const gemm = readFileSync(join(import.meta.dirname, '../test/fixtures/onnx/gemm_all_attributes.onnx'));
function gemmRef(a: number[], b: number[], c: number[]): number[] {
  const y: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 3 + i]! * b[j * 4 + k]!;
      y.push(0.25 * s + 0.35 * c[j]!);
    }
  }
  return y;
}

test.describe('deploy: single prediction and tensor inputs', () => {
  test('the form of a contract-shaped classifier: per-field validation, reset, label and per-class probabilities match a reference on WebGPU', async ({
    page,
  }) => {
    await importModel(page, 'classifier.onnx', classifierModel());
    const form = page.getByTestId('predict-form');
    await expect(form).toHaveAttribute('data-kind', 'columns');
    await expect(form.getByRole('textbox')).toHaveCount(3);

    // A field that is not a number: its message, and no run.
    await page.getByTestId('predict-field-a').fill('abc');
    await expect(page.getByTestId('predict-field-error-a')).toHaveText('Not a number.');
    await page.getByTestId('predict-run').click();
    await expect(page.getByTestId('infer-outputs')).toHaveCount(0);
    await page.getByTestId('predict-reset').click();
    await expect(page.getByTestId('predict-field-a')).toHaveValue('');
    await expect(page.getByTestId('predict-field-error-a')).toHaveCount(0);

    await page.getByTestId('infer-ep').selectOption('webgpu');
    await page.getByTestId('predict-field-a').fill('1.5');
    await page.getByTestId('predict-field-b').fill('-2');
    await page.getByTestId('predict-field-tag').fill('Dream, Island');
    await page.getByTestId('predict-run').click();
    await waitOutputs(page, 'webgpu');
    const want = classifierRef(1.5, -2);
    const rows = page.getByTestId('predict-probs').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    const names = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-class')));
    const got = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-p'))));
    expect(names).toEqual(CLASSES);
    const worst = worstDiff(got, want);
    expect(worst).toBeLessThanOrEqual(TOLERANCE);
    const best = want.indexOf(Math.max(...want));
    await expect(page.getByTestId('predict-label')).toHaveText(CLASSES[best]!);
    expect(await outputValues(page, 'tag_echo')).toEqual(['Dream, Island']);
    console.log(
      `form (WebGPU): p = ${got.map((p) => p.toFixed(6)).join(', ')}, max |Δ| vs float64 reference ${worst.toExponential(2)}`,
    );

    // An empty number is a missing value (NaN): the model's outputs are NaN, shown as such, not a crash.
    await page.getByTestId('infer-ep').selectOption('wasm');
    await page.getByTestId('predict-field-a').fill('');
    await page.getByTestId('predict-run').click();
    await waitOutputs(page, 'wasm');
    const missing = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-p')));
    expect(missing).toEqual(['NaN', 'NaN', 'NaN']);
    const axe = await new AxeBuilder({ page }).include('[data-testid="infer-panel"]').analyze();
    const serious = axe.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    expect(serious.map((x) => `${x.id}: ${x.help} (${x.nodes.length})`)).toEqual([]);
  });

  test('a single [N, 4] input gets four numbered fields; y matches x · V on WASM', async ({ page }) => {
    await importModel(page, 'vector.onnx', matmulModel(4, 2, V));
    await expect(page.getByTestId('predict-form')).toHaveAttribute('data-kind', 'vector');
    const x = [0.5, -1, 2, 0.25];
    for (const [i, v] of x.entries()) await page.getByTestId(`predict-field-x[${i}]`).fill(String(v));
    await page.getByTestId('predict-field-x[2]').fill('');
    await expect(page.getByTestId('predict-field-error-x[2]')).toHaveText('A value is needed.');
    await page.getByTestId('predict-field-x[2]').fill('2');
    await page.getByTestId('infer-ep').selectOption('wasm');
    await page.getByTestId('predict-run').click();
    await waitOutputs(page, 'wasm');
    const want = [0, 1].map((j) => x.reduce((s, v, k) => s + v * V[k * 2 + j]!, 0));
    expect(worstDiff((await outputValues(page, 'y')) as number[], want)).toBeLessThanOrEqual(TOLERANCE);
  });

  test('tensor editor: zeros, then c from a .npy file and a, b from a .json file; y matches the Gemm reference on WASM and WebGPU', async ({
    page,
  }) => {
    await importModel(page, 'gemm.onnx', gemm);
    await expect(page.getByTestId('predict-none')).toContainText('Input “a” has shape [4, 3]');
    await page.getByTestId('infer-zeros').click();
    const zeros = JSON.parse(await page.getByTestId('infer-inputs').inputValue()) as Record<
      string,
      number[][]
    >;
    expect(zeros.a).toEqual(Array.from({ length: 4 }, () => [0, 0, 0]));
    expect(zeros.b).toEqual(Array.from({ length: 5 }, () => [0, 0, 0, 0]));
    expect(zeros.c).toEqual([[0, 0, 0, 0, 0]]);

    // c from a .npy file (float32, [1, 5]); a and b stay zero, so y = 0.35·c on every row.
    const c = [0.5, -1.5, 2.25, 4, -0.125];
    await page.getByTestId('infer-file-target').selectOption('c');
    await page.getByTestId('infer-file').setInputFiles({
      name: 'c.npy',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(npy('<f4', [1, 5], new Uint8Array(Float32Array.from(c).buffer))),
    });
    await expect(page.getByTestId('infer-file-note')).toHaveText('c.npy read into “c”.');
    await page.getByTestId('infer-ep').selectOption('wasm');
    await page.getByTestId('infer-run').click();
    await waitOutputs(page, 'wasm');
    const zeroAB = gemmRef(new Array<number>(12).fill(0), new Array<number>(20).fill(0), c);
    expect(worstDiff((await outputValues(page, 'y')) as number[], zeroAB)).toBeLessThanOrEqual(TOLERANCE);

    // a and b from a .json file, merged over c.
    const a = Array.from({ length: 12 }, (_, i) => Math.fround(((i * 5) % 7) * 0.3 - 0.8));
    const b = Array.from({ length: 20 }, (_, i) => Math.fround(((i * 3) % 11) * 0.2 - 1));
    const nested = (v: number[], cols: number) =>
      Array.from({ length: v.length / cols }, (_, r) => v.slice(r * cols, (r + 1) * cols));
    await page.getByTestId('infer-file').setInputFiles({
      name: 'ab.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ a: nested(a, 3), b: nested(b, 4) })),
    });
    await expect(page.getByTestId('infer-file-note')).toHaveText('ab.json read.');
    const want = gemmRef(a, b, c);
    for (const ep of ['wasm', 'webgpu'] as const) {
      await page.getByTestId('infer-ep').selectOption(ep);
      await page.getByTestId('infer-run').click();
      await waitOutputs(page, ep);
      const worst = worstDiff((await outputValues(page, 'y')) as number[], want);
      console.log(`tensor editor Gemm on ${ep}: max |Δ| vs reference ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(TOLERANCE);
    }

    // A .npy the reader does not take: a clear PARSE_ERROR, the editor untouched.
    const before = await page.getByTestId('infer-inputs').inputValue();
    await page.getByTestId('infer-file').setInputFiles({
      name: 'c64.npy',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(npy('<f8', [1, 5], new Uint8Array(Float64Array.from(c).buffer))),
    });
    await expect(page.getByTestId('infer-error')).toHaveAttribute('data-code', 'PARSE_ERROR');
    await expect(page.getByTestId('infer-error')).toContainText('dtype <f8 is not supported');
    expect(await page.getByTestId('infer-inputs').inputValue()).toBe(before);
  });
});
