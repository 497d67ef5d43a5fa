/**
 * Remote inference against the reference Open Inference Protocol server (server/oip) on loopback: the same
 * Gemm predictions locally (WASM) and remotely over JSON and binary tensors; chaos through Playwright routing
 * (delay, 503 then success, aborted connections → fallback and circuit breaker, cancel); diagnostics (CORS not
 * configured, unreachable, 401); the token gone after a reload unless "remember" was ticked.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createOipServer } from '../server/oip/app.mjs';
import { expect, test, type Problem } from './fixtures/harness';
import { matmulModel } from './fixtures/onnxModels';

const PAGE_ORIGIN = `http://localhost:${process.env.E2E_PORT ?? 4317}`;
const TOKEN = 'e2e-s3cret-token';
const gemmPath = join(import.meta.dirname, '../test/fixtures/onnx/gemm_all_attributes.onnx');

const V = [0.5, -1.25, 2, 0.75, -0.3, 1.1];
let dir = '';
const servers: Server[] = [];
let open = ''; // CORS for the preview origin
let locked = ''; // CORS + token
let noCors = ''; // answers, but without CORS headers

async function start(opts: { corsOrigins?: string[]; token?: string }): Promise<string> {
  const { server } = await createOipServer({ modelsDir: dir, ...opts });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oip-e2e-'));
  copyFileSync(gemmPath, join(dir, 'gemm.onnx'));
  // Built with the app's own ONNX graph builder (as its exporter does): x [batch, 3] · V → y [batch, 2].
  writeFileSync(join(dir, 'matmul.onnx'), matmulModel(3, 2, V));
  open = await start({ corsOrigins: [PAGE_ORIGIN] });
  locked = await start({ corsOrigins: [PAGE_ORIGIN], token: TOKEN });
  noCors = await start({});
});

test.afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Fixed inputs and y = 0.25·Aᵀ·Bᵀ + 0.35·C in float64. */
const a = Array.from({ length: 12 }, (_, i) => Math.fround((i % 5) * 0.3 - 0.5));
const b = Array.from({ length: 20 }, (_, i) => Math.fround(((i * 7) % 11) * 0.1 - 0.4));
const c = [0.1, -0.2, 0.3, -0.4, 0.5].map(Math.fround);
const yRef: number[] = [];
for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 5; j++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[k * 3 + i]! * b[j * 4 + k]!;
    yRef.push(0.25 * s + 0.35 * c[j]!);
  }
}
const maxDiff = (x: number[], y: number[]): number => {
  expect(x).toHaveLength(y.length);
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));
};

async function setup(page: Page, endpoint: string): Promise<void> {
  await page.goto('/#/deploy');
  await page.getByTestId('model-file').setInputFiles(gemmPath);
  const panel = page.getByTestId('remote-panel');
  await expect(panel).toBeVisible();
  await page.getByTestId('remote-url').fill(endpoint);
  await expect(page.getByTestId('remote-model')).toHaveValue('gemm_all_attributes');
  await page.getByTestId('remote-model').fill('gemm');
  await page.getByTestId('remote-inputs').fill(JSON.stringify({ a, b, c }));
}

/** Runs on `route` and returns y, asserting where it ran. */
async function run(page: Page, route: string, ran: string, transport?: string): Promise<number[]> {
  await page.getByTestId('remote-route').selectOption(route);
  if (transport !== undefined) await page.getByTestId('remote-transport').selectOption(transport);
  await page.getByTestId('remote-run').click();
  const result = page.getByTestId('remote-result');
  await expect(result.or(page.getByTestId('remote-error'))).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('remote-error')).toHaveCount(0);
  await expect(result).toHaveAttribute('data-ran', ran);
  if (transport !== undefined && transport !== 'auto')
    await expect(result).toHaveAttribute('data-transport', transport);
  return JSON.parse(await page.getByTestId('remote-output-y').innerText()) as number[];
}

/** Drops the console noise Chromium prints for the failures a test provoked on purpose (and nothing else). */
function allowNetworkNoise(problems: Problem[], origins: string[]): void {
  const expected = (p: Problem): boolean =>
    p.kind === 'console' &&
    (/Failed to load resource|net::ERR_/.test(p.message) || origins.some((o) => p.message.includes(o)));
  problems.splice(0, problems.length, ...problems.filter((p) => !expected(p)));
}

test.describe('remote: Open Inference Protocol', () => {
  test('test connection, then the same Gemm locally (WASM) and remotely over JSON and binary within 1e-4', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await setup(page, open);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await page.getByTestId('remote-test').click();
    const checks = page.getByTestId('remote-checks');
    await expect(checks).toHaveAttribute('data-ok', 'true');
    await expect(checks.locator('[data-check="server"]')).toContainText('binary tensors supported');
    await expect(checks.locator('[data-check="signature"]')).toHaveAttribute('data-status', 'ok');

    const local = await run(page, 'wasm', 'wasm');
    const json = await run(page, 'remote', 'remote', 'json');
    const binary = await run(page, 'remote', 'remote', 'binary');
    const auto = await run(page, 'remote', 'remote', 'auto');
    await expect(page.getByTestId('remote-result')).toHaveAttribute('data-transport', 'binary');
    const figures = {
      localVsRef: maxDiff(local, yRef),
      jsonVsLocal: maxDiff(json, local),
      binaryVsLocal: maxDiff(binary, local),
      autoVsLocal: maxDiff(auto, local),
    };
    console.log('max |Δ|', JSON.stringify(figures));
    for (const [k, v] of Object.entries(figures)) expect(v, k).toBeLessThanOrEqual(1e-4);

    await page.getByTestId('remote-route').selectOption('shadow');
    await page.getByTestId('remote-run').click();
    const row = page.getByTestId('remote-shadow-row');
    await expect(row).toHaveCount(1, { timeout: 30_000 });
    expect(Number(await row.getAttribute('data-max-diff'))).toBeLessThanOrEqual(1e-4);
    await expect(page.getByTestId('remote-shadow-chart')).toBeVisible();

    const ledger = page.getByTestId('remote-ledger-row');
    await expect(ledger).toHaveCount(4); // json, binary, auto (binary), shadow
    await expect(ledger.nth(0)).toContainText('a FP32[4,3] 48 B; b FP32[5,4] 80 B; c FP32[1,5] 20 B');
    await expect(ledger.nth(0)).toHaveAttribute('data-transport', 'json');
    await expect(ledger.nth(1)).toHaveAttribute('data-transport', 'binary');
    await expect(ledger.nth(0)).toContainText(`${open}/v2/models/gemm/infer`);
    const axe = await new AxeBuilder({ page }).include('[data-testid="remote-panel"]').analyze();
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });

  test('a model with a dynamic batch, built by the app’s ONNX builder: signature matches (-1), binary equals local', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await page.goto('/#/deploy');
    await page.getByTestId('model-file').setInputFiles({
      name: 'matmul.onnx',
      mimeType: 'application/octet-stream',
      buffer: matmulModel(3, 2, V),
    });
    await expect(page.getByTestId('remote-panel')).toBeVisible();
    await page.getByTestId('remote-url').fill(open);
    await expect(page.getByTestId('remote-model')).toHaveValue('matmul');
    await page.getByTestId('remote-test').click();
    await expect(page.getByTestId('remote-checks')).toHaveAttribute('data-ok', 'true');
    const x = [
      [1, 2, 3],
      [-0.5, 0.25, 4],
      [0, 0, 1e-3],
      [7, -8, 9],
    ];
    await page.getByTestId('remote-inputs').fill(JSON.stringify({ x }));
    const local = await run(page, 'wasm', 'wasm');
    const remote = await run(page, 'remote', 'remote', 'binary');
    const ref = x.flatMap((r) => [0, 1].map((k) => r.reduce((s, v, f) => s + v * V[f * 2 + k]!, 0)));
    expect(maxDiff(local, ref)).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(remote, local)).toBeLessThanOrEqual(1e-4);
    await expect(page.getByTestId('remote-ledger-row').last()).toContainText('x FP32[4,3] 48 B');
  });

  test('chaos: a slow answer keeps the page responsive, 503 then success is retried, cancel is not a timeout', async ({
    page,
    problems,
  }) => {
    test.setTimeout(60_000);
    await setup(page, open);
    let hits = 0;
    // Any version of the model's infer path (the test types a version while a call is pending).
    await page.route(/\/v2\/models\/gemm(\/versions\/[^/]+)?\/infer$/, async (route) => {
      hits++;
      if (hits === 1) {
        return route.fulfill({
          status: 503,
          headers: { 'Retry-After': '1', 'Access-Control-Allow-Origin': PAGE_ORIGIN },
          body: '{"error":"warming up"}',
        });
      }
      await new Promise((r) => setTimeout(r, hits === 2 ? 1500 : 4000));
      // The page may have cancelled the request meanwhile.
      await route.continue().catch(() => undefined);
    });
    await page.getByTestId('remote-route').selectOption('remote');
    await page.getByTestId('remote-transport').selectOption('json');
    await page.getByTestId('remote-run').click();
    await expect(page.getByTestId('remote-running')).toBeVisible();
    // While the remote call is pending the main thread answers and the UI takes input.
    const t0 = Date.now();
    await page.getByTestId('remote-version').fill('');
    await page.getByTestId('remote-version').pressSequentially('1');
    await expect(page.getByTestId('remote-version')).toHaveValue('1');
    const turnaround = Date.now() - t0;
    await expect(page.getByTestId('remote-result')).toHaveAttribute('data-attempts', '2', {
      timeout: 30_000,
    });
    console.log(`UI input while a remote call was pending: ${turnaround} ms`);
    expect(
      maxDiff(JSON.parse(await page.getByTestId('remote-output-y').innerText()) as number[], yRef),
    ).toBeLessThanOrEqual(1e-4);
    await expect(page.getByTestId('remote-ledger-row').last()).toHaveAttribute('data-sends', '2');
    expect(hits).toBe(2);

    // Cancel during a slow answer: CANCELLED, not a timeout, nothing falls back.
    await page.getByTestId('remote-run').click();
    await expect(page.getByTestId('remote-running')).toBeVisible();
    await page.getByTestId('remote-cancel').click();
    await expect(page.getByTestId('remote-error')).toHaveAttribute('data-code', 'CANCELLED');
    await expect(page.getByTestId('remote-error')).toHaveAttribute('data-kind', 'cancelled');
    allowNetworkNoise(problems, [open]);
  });

  test('chaos: aborted connections fall back to local WASM, open the breaker, and auto then stays local', async ({
    page,
    problems,
  }) => {
    test.setTimeout(90_000);
    await setup(page, open);
    let hits = 0;
    await page.route(`${open}/v2/models/gemm/infer`, (route) => {
      hits++;
      return route.abort('connectionreset');
    });
    await page.getByTestId('remote-transport').selectOption('json');
    for (let i = 1; i <= 3; i++) {
      const y = await run(page, 'remote', 'wasm');
      expect(maxDiff(y, yRef)).toBeLessThanOrEqual(1e-4);
      await expect(page.getByTestId('remote-fallback-note')).toContainText(
        /Gave up after 4 attempts: network error/,
      );
    }
    expect(hits).toBe(12); // 4 attempts × 3 runs: retried, then fell back
    await expect(page.getByTestId('remote-breaker')).toHaveAttribute('data-state', 'open');
    await run(page, 'auto', 'wasm');
    await expect(page.getByTestId('remote-result')).toContainText('circuit breaker');
    expect(hits).toBe(12); // auto did not even try
    await page.getByTestId('remote-fallback').uncheck();
    await page.getByTestId('remote-route').selectOption('remote');
    await page.getByTestId('remote-run').click();
    await expect(page.getByTestId('remote-error')).toHaveAttribute('data-kind', 'breaker');
    await expect(page.getByTestId('remote-error')).toHaveAttribute('data-code', 'REMOTE_UNAVAILABLE');
    allowNetworkNoise(problems, [open]);
  });

  test('diagnostics: CORS not configured, unreachable, a wrong token (401), a missing model', async ({
    page,
    problems,
  }) => {
    test.setTimeout(60_000);
    await setup(page, noCors);
    const checks = page.getByTestId('remote-checks');
    const test1 = async (id: string, text: RegExp): Promise<void> => {
      await page.getByTestId('remote-test').click();
      await expect(checks.locator(`[data-check="${id}"]`)).toHaveAttribute('data-status', 'fail');
      await expect(checks.locator(`[data-check="${id}"]`)).toContainText(text);
    };
    await test1('cors', /CORS is not configured.*--cors-origin.*Triton/);
    await page.getByTestId('remote-url').fill('http://127.0.0.1:9'); // discard port: nothing listens
    await test1('unreachable', /unreachable/);
    await page.getByTestId('remote-url').fill(locked);
    await test1('auth', /needs a token \(401\)/);
    await page.getByTestId('remote-token').fill('wrong');
    await test1('auth', /refused the token \(401\)/);
    await page.getByTestId('remote-token').fill(TOKEN);
    await page.getByTestId('remote-model').fill('nope');
    await test1('model', /no model “nope”/);
    await page.getByTestId('remote-model').fill('gemm');
    await page.getByTestId('remote-test').click();
    await expect(checks).toHaveAttribute('data-ok', 'true');
    allowNetworkNoise(problems, [noCors, locked, 'http://127.0.0.1:9']);
  });

  test('the token is gone after a reload unless "remember" was ticked, and never in localStorage', async ({
    page,
  }) => {
    test.setTimeout(60_000);
    await setup(page, locked);
    await page.getByTestId('remote-token').fill(TOKEN);
    await page.getByTestId('remote-test').click();
    await expect(page.getByTestId('remote-checks')).toHaveAttribute('data-ok', 'true');
    const storage = () =>
      page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    expect(await storage()).not.toContain(TOKEN);
    await page.reload();
    await expect(page.getByTestId('remote-url')).toHaveValue(locked);
    await expect(page.getByTestId('remote-token')).toHaveValue('');
    expect(await storage()).not.toContain(TOKEN);
    await page.getByTestId('remote-token').fill(TOKEN);
    await page.getByTestId('remote-remember').check();
    await page.reload();
    await expect(page.getByTestId('remote-token')).toHaveValue(TOKEN);
    await expect(page.getByTestId('remote-remember')).toBeChecked();
    const after = JSON.parse(await storage()) as {
      local: Record<string, string>;
      session: Record<string, string>;
    };
    expect(JSON.stringify(after.local)).not.toContain(TOKEN);
    expect(after.session[`workbench.remote.token:${locked}`]).toBe(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    await page.getByTestId('remote-remember').uncheck();
    expect(await storage()).not.toContain(TOKEN);
  });
});
