import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { onnx } from '../src/engine/deploy/onnx/generated/onnx.js';
import { DT, valueInfo } from '../src/engine/deploy/onnx/graph';
import { expect, test } from './fixtures/harness';

/**
 * Untrusted models: damaged files, a model onnxruntime refuses, and a model that runs too long all end in a
 * visible MODEL_REJECTED with the underlying text, and the models stored before keep working.
 */

/** ONNX conformance case test_gemm_all_attributes (test/fixtures/onnx/README.md): y = 0.25·Aᵀ·Bᵀ + 0.35·C. */
const gemm = readFileSync(join(import.meta.dirname, '../test/fixtures/onnx/gemm_all_attributes.onnx'));
const caseDir = join(import.meta.dirname, '../test/fixtures/onnx/conformance/test_gemm_all_attributes');

function readPb(name: string): number[] {
  const raw = onnx.TensorProto.decode(readFileSync(join(caseDir, 'test_data_set_0', name))).rawData;
  return Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)));
}
const [a, b, c, y] = ['input_0.pb', 'input_1.pb', 'input_2.pb', 'output_0.pb'].map(readPb) as [
  number[],
  number[],
  number[],
  number[],
];

/** The Gemm file cut off mid-way (130 of 218 bytes): no longer a complete protobuf message. */
const truncated = gemm.subarray(0, 130);

/** The Gemm file with one byte changed: its node's op_type "Gemm" becomes "Gemx", an operator nobody has. */
function gemx(): Buffer {
  const copy = Buffer.from(gemm);
  const at = copy.indexOf('Gemm');
  expect(at).toBeGreaterThan(0);
  expect(copy.indexOf('Gemm', at + 1)).toBe(-1);
  copy[at + 3] = 'x'.charCodeAt(0);
  return copy;
}

/**
 * A valid but heavy model: x[1,1] expanded to S×S, then `k` chained S×S MatMuls, summed to y[1,1]. With
 * x = 1/S every product stays 1/S, so y = S. S = 2048, k = 32: ≈ 550 GFLOP, minutes on single-threaded WASM.
 */
function heavyModel(S = 2048, k = 32): Buffer {
  const node: onnx.NodeProto.$Properties[] = [{ opType: 'Expand', input: ['x', 'shape'], output: ['m0'] }];
  for (let i = 1; i <= k; i++) node.push({ opType: 'MatMul', input: [`m${i - 1}`, 'm0'], output: [`m${i}`] });
  node.push({ opType: 'ReduceSum', input: [`m${k}`], output: ['y'] });
  return Buffer.from(
    onnx.ModelProto.encode({
      irVersion: 9,
      opsetImport: [{ domain: '', version: 19 }],
      graph: {
        name: 'heavy',
        node,
        initializer: [{ name: 'shape', dims: [2], dataType: DT.int64, int64Data: [S, S] }],
        input: [valueInfo('x', DT.float, [1, 1])],
        output: [valueInfo('y', DT.float, [1, 1])],
      },
    }).finish(),
  );
}

const listed = (page: Page) => page.getByTestId('model-list').getByRole('listitem');

async function open(page: Page): Promise<void> {
  await page.goto('/#/deploy');
  await expect(page.getByTestId('deploy-page')).toBeVisible();
}

async function importFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('model-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

async function select(page: Page, name: string): Promise<void> {
  await page.getByTestId('model-list').getByRole('button', { name, exact: true }).click();
  await expect(page.getByTestId('model-inspector').getByRole('heading', { level: 2, name })).toBeVisible();
}

/** Runs the selected model through the Run panel's tensor editor; waits for outputs or an error. */
async function run(page: Page, ep: 'wasm' | 'webgpu', inputs: Record<string, number[]>): Promise<void> {
  await page.getByTestId('infer-ep').selectOption(ep);
  await page.getByTestId('infer-inputs').fill(JSON.stringify(inputs));
  await page.getByTestId('infer-run').click();
  await expect(page.getByTestId('infer-outputs').or(page.getByTestId('infer-error'))).toBeVisible({
    timeout: 60_000,
  });
}

/** The stored Gemm model runs on `ep` and matches the conformance reference within 1e-5. */
async function gemmStillRuns(page: Page, ep: 'wasm' | 'webgpu'): Promise<void> {
  await select(page, 'gemm.onnx');
  await run(page, ep, { a, b, c });
  await expect(page.getByTestId('infer-error')).toHaveCount(0);
  await expect(page.getByTestId('infer-outputs')).toHaveAttribute('data-ep', ep);
  const got = JSON.parse(await page.getByTestId('infer-output-y').innerText()) as number[];
  expect(got).toHaveLength(y.length);
  expect(Math.max(...got.map((v, i) => Math.abs(v - y[i]!)))).toBeLessThanOrEqual(1e-5);
}

test.describe('deploy: untrusted models are rejected, stored ones keep working', () => {
  test('a truncated file is rejected at import with the protobuf reader’s text; nothing is stored', async ({
    page,
  }) => {
    await open(page);
    await importFile(page, 'gemm.onnx', gemm);
    await expect(listed(page)).toHaveCount(1);

    await importFile(page, 'truncated.onnx', truncated);
    const error = page.getByTestId('model-error');
    await expect(error).toHaveAttribute('data-code', 'MODEL_REJECTED');
    // Rejected by the importer's protobuf decoding (protobufjs: "index out of range"), before any runtime.
    await expect(error).toContainText('Not a readable ONNX model');
    await expect(error).toContainText('index out of range');
    await expect(listed(page)).toHaveCount(1);
    await expect(listed(page)).toContainText('gemm.onnx');
    await expect(listed(page)).not.toContainText('truncated.onnx');

    await gemmStillRuns(page, 'wasm');
  });

  test('a byte-flipped file that still parses is imported, then rejected at load with onnxruntime’s text', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const consoleLines: string[] = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    await open(page);
    await importFile(page, 'gemm.onnx', gemm);
    await expect(listed(page)).toHaveCount(1);

    await importFile(page, 'gemx.onnx', gemx());
    await expect(listed(page)).toHaveCount(2);
    await expect(page.getByTestId('model-error')).toHaveCount(0);
    // The importer reads it: one node of an operator called Gemx.
    await expect(page.getByTestId('model-ops').getByRole('row', { name: /Gemx/ })).toContainText('1');

    for (const ep of ['wasm', 'webgpu'] as const) {
      await select(page, 'gemx.onnx');
      await run(page, ep, { a, b, c });
      const error = page.getByTestId('infer-error');
      await expect(error).toHaveAttribute('data-code', 'MODEL_REJECTED');
      await expect(error).toContainText(`onnxruntime-web could not load the model on ${ep}`);
      // onnxruntime's own words about the unknown operator.
      await expect(error).toContainText('No Op registered for Gemx with domain_version of 13');
      await expect(page.getByTestId('infer-outputs')).toHaveCount(0);
    }

    await expect(listed(page)).toHaveCount(2);
    await gemmStillRuns(page, 'wasm');
    await gemmStillRuns(page, 'webgpu');
    // Where onnxruntime placed the Gemm's one node, shown with the result.
    const placement = page.getByTestId('infer-placement');
    await expect(placement).toHaveAttribute('data-total', '1');
    await expect(placement).toHaveAttribute('data-on-webgpu', '1');
    // The verbose session log that gave the placement stayed off the console.
    expect(consoleLines.filter((l) => l.includes(':onnxruntime:'))).toEqual([]);
  });

  test('a model that runs too long is stopped by the watchdog; the next run gets a fresh worker', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const inferWorkers: string[] = [];
    page.on('worker', (w) => {
      if (w.url().includes('infer.worker')) inferWorkers.push(w.url());
    });
    await open(page);
    await importFile(page, 'gemm.onnx', gemm);
    await importFile(page, 'heavy.onnx', heavyModel());
    await expect(listed(page)).toHaveCount(2);
    await expect(page.getByTestId('model-ops').getByRole('row', { name: /MatMul/ })).toContainText('32');

    // Test-only: the run watchdog at 3 s (src/engine/infer/timeouts.ts); loading keeps its own limit.
    await page.evaluate(() => {
      window.__WORKBENCH_INFER_TIMEOUT_MS__ = { run: 3000 };
    });
    const t0 = Date.now();
    await run(page, 'wasm', { x: [1 / 2048] });
    const error = page.getByTestId('infer-error');
    await expect(error).toHaveAttribute('data-code', 'MODEL_REJECTED');
    await expect(error).toContainText('did not finish within 3 s');
    await expect(error).toContainText('the inference worker was stopped');
    expect(Date.now() - t0, 'stopped by the watchdog, not by finishing').toBeLessThan(30_000);
    const stopped = inferWorkers.length;
    expect(stopped).toBeGreaterThanOrEqual(1);

    await page.evaluate(() => {
      delete window.__WORKBENCH_INFER_TIMEOUT_MS__;
    });
    await gemmStillRuns(page, 'wasm');
    expect(inferWorkers.length, 'the run after the watchdog started a new worker').toBe(stopped + 1);
    await expect(listed(page)).toHaveCount(2);
  });
});
