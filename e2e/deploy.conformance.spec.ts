import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { onnx } from '../src/engine/deploy/onnx/generated/onnx.js';
import { expect, test } from './fixtures/harness';

/**
 * The 17 ONNX node conformance cases (test/fixtures/onnx/README.md), each imported through the Deploy page's
 * file picker, then loaded and run by the app's own inference worker (its built script, its `load`/`run`
 * service over comlink, models read from IndexedDB as the app stored them) on WASM and on WebGPU. Outputs
 * must match the reference within |got − want| ≤ ATOL + RTOL·|want|. WASM: every case passes. WebGPU: the
 * failures must be exactly those in fixtures/webgpu-expected-failures.json (a new failure and an unexpected
 * pass both fail the test). Where both pass, WebGPU must agree with WASM within the same tolerance.
 */
const ATOL = 1e-4;
const RTOL = 1e-4;
const ROOT = join(import.meta.dirname, '../test/fixtures/onnx/conformance');
const CASES = readdirSync(ROOT)
  .filter((d) => d.startsWith('test_'))
  .sort();
const EXPECTED = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/webgpu-expected-failures.json'), 'utf8'),
) as { failures: Record<string, string>; cpuFallback: Record<string, string[]> };

type Ep = 'wasm' | 'webgpu';

interface RefTensor {
  readonly name: string;
  readonly type: 'float32' | 'int64';
  readonly dims: number[];
  readonly values: number[];
}

/** A TensorProto .pb (float32 or int64, raw or typed fields) as plain numbers. */
function readPb(path: string): RefTensor {
  const t = onnx.TensorProto.decode(readFileSync(path));
  const dims = t.dims.map(Number);
  const raw = t.rawData;
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
  if (t.dataType === 1) {
    const values = t.floatData.length > 0 ? Array.from(t.floatData) : Array.from(new Float32Array(buf));
    return { name: t.name, type: 'float32', dims, values };
  }
  if (t.dataType === 7) {
    const values =
      t.int64Data.length > 0 ? t.int64Data.map(Number) : Array.from(new BigInt64Array(buf), Number);
    return { name: t.name, type: 'int64', dims, values };
  }
  throw new Error(`${path}: element type ${t.dataType} not handled by this test`);
}

interface Case {
  readonly name: string;
  readonly model: Buffer;
  readonly inputs: RefTensor[];
  readonly outputs: RefTensor[];
}

function loadCase(name: string): Case {
  const dir = join(ROOT, name, 'test_data_set_0');
  const files = readdirSync(dir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return {
    name,
    model: readFileSync(join(ROOT, name, 'model.onnx')),
    inputs: files.filter((f) => f.startsWith('input_')).map((f) => readPb(join(dir, f))),
    outputs: files.filter((f) => f.startsWith('output_')).map((f) => readPb(join(dir, f))),
  };
}

const cases = CASES.map(loadCase);

/** What the page sends back per case and EP. */
interface Outcome {
  readonly ok: boolean;
  readonly error?: { code?: string; message: string };
  readonly loadEp?: string;
  readonly runEp?: string;
  readonly placement?: { onWebgpu: number; total: number; cpuNodes: string[] } | null;
  readonly outputs?: Record<string, { type: string; dims: number[]; values: number[] }>;
  readonly ms: number;
}

/** The app's inference worker script in the build under test (served from E2E_DIST by playwright.config). */
function inferWorkerPath(): string {
  const assets = join(import.meta.dirname, '..', process.env.E2E_DIST ?? 'dist', 'assets');
  const file = readdirSync(assets).find((f) => /^infer\.worker-[\w-]+\.js$/.test(f));
  if (file === undefined) throw new Error(`no infer.worker-*.js in ${assets}: build first`);
  return `/assets/${file}`;
}

/** Imports every case's model through the Deploy page's file picker; returns model name → stored id. */
async function importAll(page: Page): Promise<Record<string, string>> {
  await page.goto('/#/deploy');
  await expect(page.getByTestId('deploy-page')).toBeVisible();
  for (const [i, c] of cases.entries()) {
    await page
      .getByTestId('model-file')
      .setInputFiles({ name: `${c.name}.onnx`, mimeType: 'application/octet-stream', buffer: c.model });
    await expect(page.getByTestId('model-list').getByRole('listitem')).toHaveCount(i + 1);
  }
  await expect(page.getByTestId('model-error')).toHaveCount(0);
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const req = indexedDB.open('workbench');
        req.onerror = () => reject(new Error(String(req.error)));
        req.onsuccess = () => {
          const all = req.result.transaction('models').objectStore('models').getAll();
          all.onerror = () => reject(new Error(String(all.error)));
          all.onsuccess = () => {
            const out: Record<string, string> = {};
            for (const m of all.result as { id: string; name: string }[]) out[m.name] = m.id;
            req.result.close();
            resolve(out);
          };
        };
      }),
  );
}

/**
 * Runs every case on one EP in one fresh inference worker (the app's script), calling its comlink-exposed
 * `load` and `run` as the app's client does, and `release` after each case.
 */
function runAll(
  page: Page,
  workerPath: string,
  ep: Ep,
  jobs: { name: string; modelId: string; inputs: RefTensor[] }[],
  loadOptions: { placement?: boolean } = {},
): Promise<Record<string, Outcome>> {
  return page.evaluate(
    async ({ workerPath, ep, jobs, loadOptions }) => {
      const worker = new Worker(workerPath, { type: 'module', name: 'infer' });
      // comlink 4 wire format: APPLY with RAW arguments; the reply carries the same id, RAW or the 'throw' handler.
      const call = (method: string, args: unknown[]): Promise<unknown> =>
        new Promise((resolve, reject) => {
          const id = crypto.randomUUID();
          const onMessage = (
            e: MessageEvent<{ id?: string; type: string; name?: string; value: unknown }>,
          ) => {
            if (e.data.id !== id) return;
            worker.removeEventListener('message', onMessage);
            if (e.data.type !== 'HANDLER' || e.data.name !== 'throw') return resolve(e.data.value);
            // The app's 'throw' handler sends a WorkbenchError as { code, message, details }.
            const v = e.data.value as { code?: string; message?: string };
            reject(Object.assign(new Error(v.message ?? String(e.data.value)), { code: v.code }));
          };
          worker.addEventListener('message', onMessage);
          worker.addEventListener(
            'error',
            (e) => reject(new Error(`inference worker failed: ${e.message}`)),
            {
              once: true,
            },
          );
          worker.postMessage({
            id,
            type: 'APPLY',
            path: [method],
            argumentList: args.map((value) => ({ type: 'RAW', value })),
          });
        });
      const out: Record<string, unknown> = {};
      try {
        for (const job of jobs) {
          const t0 = performance.now();
          try {
            const feeds: Record<string, unknown> = {};
            for (const t of job.inputs) {
              feeds[t.name] = {
                type: t.type,
                dims: t.dims,
                data: t.type === 'int64' ? BigInt64Array.from(t.values, BigInt) : Float32Array.from(t.values),
              };
            }
            const load = (await call('load', [job.modelId, ep, loadOptions])) as {
              ep: string;
              placement?: unknown;
            };
            const run = (await call('run', [feeds])) as {
              ep: string;
              outputs: Record<string, { type: string; dims: number[]; data: ArrayLike<number | bigint> }>;
            };
            const outputs: Record<string, { type: string; dims: number[]; values: number[] }> = {};
            for (const [name, t] of Object.entries(run.outputs)) {
              outputs[name] = { type: t.type, dims: [...t.dims], values: Array.from(t.data, Number) };
            }
            out[job.name] = {
              ok: true,
              loadEp: load.ep,
              runEp: run.ep,
              placement: load.placement ?? null,
              outputs,
              ms: performance.now() - t0,
            };
          } catch (e) {
            const err = e as { code?: string; message?: string };
            out[job.name] = {
              ok: false,
              error: { code: err.code, message: err.message ?? String(e) },
              ms: performance.now() - t0,
            };
          }
          await call('release', []).catch(() => undefined);
        }
      } finally {
        worker.terminate();
      }
      return out;
    },
    { workerPath, ep, jobs, loadOptions },
  ) as Promise<Record<string, Outcome>>;
}

const close = (got: number, want: number): boolean =>
  (Number.isNaN(got) && Number.isNaN(want)) || Math.abs(got - want) <= ATOL + RTOL * Math.abs(want);

/** Null when `got` matches `want`; else why not (shape, type, worst element). */
function mismatch(
  got: { type: string; dims: number[]; values: number[] } | undefined,
  want: RefTensor,
): string | null {
  if (got === undefined) return `output ${want.name} missing`;
  if (got.type !== want.type) return `${want.name}: type ${got.type}, expected ${want.type}`;
  if (got.dims.join(',') !== want.dims.join(',')) {
    return `${want.name}: shape [${got.dims.join(', ')}], expected [${want.dims.join(', ')}]`;
  }
  let worst = -1;
  let bad = 0;
  for (const [i, w] of want.values.entries()) {
    if (close(got.values[i]!, w)) continue;
    bad++;
    if (worst < 0 || Math.abs(got.values[i]! - w) > Math.abs(got.values[worst]! - want.values[worst]!))
      worst = i;
  }
  if (bad === 0) return null;
  return `${want.name}: ${bad}/${want.values.length} values off; worst [${worst}] ${got.values[worst]} vs ${want.values[worst]}`;
}

/** Why a case failed on an EP (null when it passed), checking the EP that ran too. */
function verdict(c: Case, ep: Ep, o: Outcome | undefined): string | null {
  if (o === undefined) return 'no result';
  if (!o.ok) return `${o.error?.code ?? 'error'}: ${o.error?.message ?? ''}`;
  if (o.loadEp !== ep || o.runEp !== ep) return `ran on ${o.loadEp}/${o.runEp}, not ${ep}`;
  for (const want of c.outputs) {
    const why = mismatch(o.outputs?.[want.name], want);
    if (why !== null) return why;
  }
  return null;
}

function maxDiff(a: Outcome, b: Outcome): number {
  let worst = 0;
  for (const [name, t] of Object.entries(a.outputs ?? {})) {
    const u = b.outputs?.[name];
    if (u === undefined) return Infinity;
    for (const [i, v] of t.values.entries()) {
      const d = Math.abs(v - u.values[i]!);
      if (!(Number.isNaN(v) && Number.isNaN(u.values[i]!))) worst = Math.max(worst, d);
    }
  }
  return worst;
}

test.describe('deploy: ONNX operator conformance through the inference worker', () => {
  test(`${cases.length} conformance cases on WASM and WebGPU match their references`, async ({
    page,
  }, info) => {
    test.setTimeout(120_000);
    expect(cases).toHaveLength(17);
    const ids = await importAll(page);
    const jobs = cases.map((c) => {
      const modelId = ids[`${c.name}.onnx`];
      expect(modelId, `${c.name} stored`).toBeDefined();
      return { name: c.name, modelId: modelId!, inputs: c.inputs };
    });
    const workerPath = inferWorkerPath();
    const t0 = Date.now();
    const wasm = await runAll(page, workerPath, 'wasm', jobs);
    const t1 = Date.now();
    const webgpu = await runAll(page, workerPath, 'webgpu', jobs);
    const t2 = Date.now();

    const rows: string[] = [];
    const wasmFailures: Record<string, string> = {};
    const webgpuFailures: Record<string, string> = {};
    const disagreements: string[] = [];
    for (const c of cases) {
      const w = verdict(c, 'wasm', wasm[c.name]);
      const g = verdict(c, 'webgpu', webgpu[c.name]);
      if (w !== null) wasmFailures[c.name] = w;
      if (g !== null) webgpuFailures[c.name] = g;
      const p = webgpu[c.name]?.placement;
      let vs = '—';
      if (w === null && g === null) {
        const d = maxDiff(webgpu[c.name]!, wasm[c.name]!);
        vs = d.toExponential(1);
        const gotWant = c.outputs.map((o) =>
          mismatch(webgpu[c.name]!.outputs?.[o.name], {
            ...o,
            values: wasm[c.name]!.outputs?.[o.name]?.values ?? [],
          }),
        );
        for (const why of gotWant) if (why !== null) disagreements.push(`${c.name}: ${why}`);
      }
      rows.push(
        `${c.name.padEnd(42)} wasm ${w === null ? 'pass' : 'FAIL'} (${wasm[c.name]?.ms.toFixed(0)} ms)  webgpu ${
          g === null ? 'pass' : 'FAIL'
        } (${webgpu[c.name]?.ms.toFixed(0)} ms)  |webgpu−wasm| ${vs}  placement ${
          p
            ? `${p.onWebgpu}/${p.total} on WebGPU${p.cpuNodes.length > 0 ? `, CPU: ${p.cpuNodes.join(' ')}` : ''}`
            : 'unknown'
        }${g === null ? '' : `\n    webgpu: ${g}`}${w === null ? '' : `\n    wasm: ${w}`}`,
      );
    }
    const report = [
      `tolerance: |got − want| ≤ ${ATOL} + ${RTOL}·|want|; wasm ${t1 - t0} ms, webgpu ${t2 - t1} ms`,
      ...rows,
    ].join('\n');
    console.log(report);
    await info.attach('conformance', { body: report, contentType: 'text/plain' });

    expect(wasmFailures, 'WASM: every case passes').toEqual({});
    expect(
      Object.keys(webgpuFailures).sort(),
      'WebGPU failures must be exactly the expected ones (fixtures/webgpu-expected-failures.json)',
    ).toEqual(Object.keys(EXPECTED.failures).sort());
    expect(disagreements, 'WebGPU agrees with WASM where both pass').toEqual([]);
    // Placement: known for every WebGPU load that succeeded, with at least one node; the nodes onnxruntime
    // silently ran on the CPU inside a WebGPU session are exactly the expected ones (cpuFallback).
    const fallback: Record<string, string[]> = {};
    for (const c of cases) {
      const o = webgpu[c.name];
      if (!o?.ok) continue;
      const p = o.placement;
      expect(p, `${c.name}: placement on WebGPU`).not.toBeNull();
      expect(p!.total, `${c.name}: nodes`).toBeGreaterThanOrEqual(1);
      expect(p!.onWebgpu).toBeLessThanOrEqual(p!.total);
      if (p!.onWebgpu < p!.total) fallback[c.name] = p!.cpuNodes;
    }
    expect(fallback, 'nodes on the CPU in WebGPU sessions (fixtures/webgpu-expected-failures.json)').toEqual(
      EXPECTED.cpuFallback,
    );
    const gemm = webgpu.test_gemm_all_attributes?.placement;
    expect(gemm, 'the Gemm case runs wholly on WebGPU').toEqual({ onWebgpu: 1, total: 1, cpuNodes: [] });
    // Without the verbose log (load option placement: false) the placement is unknown; results are the same.
    const quiet = await runAll(page, workerPath, 'webgpu', jobs.slice(0, 1), { placement: false });
    const first = cases[0]!;
    expect(verdict(first, 'webgpu', quiet[first.name])).toBeNull();
    expect(quiet[first.name]!.placement).toBeNull();
    for (const c of cases) {
      if (wasm[c.name]?.ok) expect(wasm[c.name]!.placement, `${c.name}: no placement on WASM`).toBeNull();
    }
  });
});
