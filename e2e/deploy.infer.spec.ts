import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { onnx } from '../src/engine/deploy/onnx/generated/onnx.js';
import { expect, test } from './fixtures/harness';

/** ONNX conformance case test_gemm_all_attributes (test/fixtures/onnx/README.md). */
const gemm = readFileSync(join(import.meta.dirname, '../test/fixtures/onnx/gemm_all_attributes.onnx'));
const caseDir = join(
  import.meta.dirname,
  '../../shared/data/onnx/node-conformance/test_gemm_all_attributes/test_data_set_0',
);

function readPb(name: string): number[] {
  const t = onnx.TensorProto.decode(readFileSync(join(caseDir, name)));
  if (t.floatData.length > 0) return Array.from(t.floatData);
  const raw = t.rawData;
  return Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
}

/** y = 0.25·Aᵀ·Bᵀ + 0.35·C for a[4,3], b[5,4], c[1,5] (the model's attributes). */
function gemmRef(a: number[], b: number[], c: number[]): number[] {
  const y: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 3 + i]! * b[j * 4 + k]!;
      y.push(Math.fround(0.25 * s + 0.35 * c[j]!));
    }
  }
  return y;
}

/** The conformance case's reference tensors when ../shared/data has them, else fixed inputs and y by hand. */
function reference(): { a: number[]; b: number[]; c: number[]; y: number[]; source: string } {
  if (existsSync(join(caseDir, 'output_0.pb'))) {
    const [a, b, c, y] = ['input_0.pb', 'input_1.pb', 'input_2.pb', 'output_0.pb'].map(readPb);
    return { a: a!, b: b!, c: c!, y: y!, source: 'conformance .pb' };
  }
  const a = Array.from({ length: 12 }, (_, i) => Math.fround((i % 5) * 0.3 - 0.5));
  const b = Array.from({ length: 20 }, (_, i) => Math.fround(((i * 7) % 11) * 0.1 - 0.4));
  const c = [0.1, -0.2, 0.3, -0.4, 0.5].map(Math.fround);
  return { a, b, c, y: gemmRef(a, b, c), source: 'computed' };
}

const ref = reference();

async function importGemm(page: Page): Promise<void> {
  await page.goto('/#/deploy');
  await expect(page.getByTestId('deploy-page')).toBeVisible();
  await page
    .getByTestId('model-file')
    .setInputFiles({ name: 'gemm.onnx', mimeType: 'application/octet-stream', buffer: gemm });
  await expect(page.getByTestId('infer-panel')).toBeVisible();
  await page.getByTestId('infer-inputs').fill(JSON.stringify({ a: ref.a, b: ref.b, c: ref.c }));
}

async function runOn(page: Page, ep: 'wasm' | 'webgpu'): Promise<number[]> {
  await page.getByTestId('infer-ep').selectOption(ep);
  await page.getByTestId('infer-run').click();
  const outputs = page.getByTestId('infer-outputs');
  await expect(outputs.or(page.getByTestId('infer-error'))).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('infer-error')).toHaveCount(0);
  await expect(outputs).toHaveAttribute('data-ep', ep);
  return JSON.parse(await page.getByTestId('infer-output-y').innerText()) as number[];
}

function expectClose(got: number[], want: number[]): void {
  expect(got).toHaveLength(want.length);
  const worst = Math.max(...got.map((g, i) => Math.abs(g - want[i]!)));
  expect(worst, `max |Δ| vs ${ref.source} reference`).toBeLessThanOrEqual(1e-5);
}

test.describe('deploy: inference worker (onnxruntime-web)', () => {
  test('the Gemm conformance case on WASM and on WebGPU matches the reference within 1e-5', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await importGemm(page);
    expectClose(await runOn(page, 'wasm'), ref.y);
    expectClose(await runOn(page, 'webgpu'), ref.y);
  });

  test('auto says which provider it chose and why', async ({ page }) => {
    await importGemm(page);
    await page.getByTestId('infer-ep').selectOption('auto');
    await page.getByTestId('infer-run').click();
    const outputs = page.getByTestId('infer-outputs');
    await expect(outputs).toBeVisible({ timeout: 60_000 });
    await expect(outputs).toContainText('auto:');
    expectClose(JSON.parse(await page.getByTestId('infer-output-y').innerText()) as number[], ref.y);
  });

  test('create → release → create ten times in a row keeps working (a fresh worker each run)', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await importGemm(page);
    for (let i = 0; i < 10; i++) {
      const ep = i % 2 === 0 ? 'wasm' : 'webgpu';
      expectClose(await runOn(page, ep), ref.y);
    }
    const workers = page.workers().filter((w) => w.url().includes('infer.worker'));
    expect(workers.length).toBeLessThanOrEqual(1);
  });

  test('wrong inputs are a typed error, not a crash', async ({ page }) => {
    await importGemm(page);
    await page.getByTestId('infer-inputs').fill(JSON.stringify({ a: [1, 2], b: ref.b, c: ref.c }));
    await page.getByTestId('infer-run').click();
    await expect(page.getByTestId('infer-error')).toHaveAttribute('data-code', 'INVALID_INPUT');
  });

  test('the Run panel with outputs has no serious axe violations', async ({ page }) => {
    await importGemm(page);
    await runOn(page, 'wasm');
    const results = await new AxeBuilder({ page }).include('[data-testid="infer-panel"]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
});
