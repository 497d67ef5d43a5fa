/**
 * Inference overhead (issue: deploy). Rows `infer-app-page-{wasm,webgpu}`: the app's path (page → comlink →
 * the inference worker's `run` → onnxruntime-web → outputs back) against a bare `session.run` of the same model
 * in the page. One-off `infer-overhead`: per provider, the app's path, a bare `session.run` in the SAME worker
 * (timed inside the worker) and in the page, A B C in turn; overhead against the target max(5 %, 0.5 ms) of
 * the bare run; bytes structured-cloned and transferred per inference each way.
 */
import type { InferEp } from '../../src/engine/infer/inferApi';
import { optionsFromQuery, quantile } from '../measure';
import { defineCase, defineOnce, type OnceFigure } from '../runner';
import {
  appRun,
  checkSame,
  inferModelParam,
  pageRun,
  setupInfer,
  teardownInfer,
  type InferBench,
} from './inferSetup';

const bytesFacts = (b: InferBench): Record<string, number> => ({
  toWorkerCloned: b.traffic.toWorker.cloned,
  toWorkerTransferred: b.traffic.toWorker.transferred,
  toPageCloned: b.traffic.toPage.cloned,
  toPageTransferred: b.traffic.toPage.transferred,
});

function appVsPage(ep: InferEp) {
  return defineCase<InferBench, Record<string, number[]>, Record<string, number[]>>({
    id: `infer-app-page-${ep}`,
    description: `App inference path (page → worker → onnxruntime-web ${ep}) vs bare session.run in the page`,
    labels: { ours: `worker API run (${ep})`, peer: `page session.run (${ep})` },
    params: ['inferModel'],
    setup: ({ params }) => setupInfer(ep, inferModelParam(params)),
    ours: (b) => appRun(b),
    peer: (b) => pageRun(b),
    check: checkSame,
    counts: bytesFacts,
    teardown: teardownInfer,
  });
}

export const inferAppPageWasmCase = appVsPage('wasm');
export const inferAppPageWebgpuCase = appVsPage('webgpu');

const stats = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p95: quantile(s, 0.95) };
};

/**
 * A B C rounds: app path (page wall), bare run in the worker (its own time; the rest of that call's page
 * time is the comlink round trip alone), bare run in the page (wall).
 */
async function threeWay(b: InferBench, warmup: number, minRuns: number, minMs: number) {
  const app: number[] = [];
  const worker: number[] = [];
  const page: number[] = [];
  const messaging: number[] = [];
  const round = async (keep: boolean): Promise<void> => {
    let t0 = performance.now();
    await b.api.run(b.feeds);
    const a = performance.now() - t0;
    t0 = performance.now();
    const w = await b.api.benchBareRun();
    const m = performance.now() - t0 - w;
    t0 = performance.now();
    await pageRun(b);
    const p = performance.now() - t0;
    if (!keep) return;
    app.push(a);
    worker.push(w);
    page.push(p);
    messaging.push(m);
  };
  for (let i = 0; i < warmup; i++) await round(false);
  const start = performance.now();
  while (app.length < minRuns || performance.now() - start < minMs) await round(true);
  return { app, worker, page, messaging };
}

export const inferOverheadOnce = defineOnce({
  id: 'infer-overhead',
  description:
    'App inference path vs bare session.run in the same worker and in the page (A B C), bytes per inference',
  params: ['inferModel'],
  async run({ params }) {
    const model = inferModelParam(params);
    const o = optionsFromQuery(params);
    const figures: OnceFigure[] = [];
    const notes: string[] = [
      `model: ${model}; app path = comlink call of the worker's run(plain tensors): tensors wrapped, session.run, outputs read back and posted; ` +
        'worker bare = session.run on tensors made once, outputs read, timed inside the worker; page bare = the same in the page.',
      'target: app p50 − bare p50 ≤ max(5 % of bare p50, 0.5 ms).',
    ];
    for (const ep of ['wasm', 'webgpu'] as const) {
      const b = await setupInfer(ep, model);
      try {
        await b.api.benchBareLoad(b.modelId, ep, b.feeds);
        checkSame(await appRun(b), await pageRun(b));
        // Totals are replaced, never mutated: keep the objects before and after one inference. The worker's
        // count is posted just before its response, so it has arrived when the call resolves.
        const before = { ...b.traffic };
        await b.api.run(b.feeds);
        const t = { ...b.traffic };
        const r = await threeWay(b, Math.max(5, o.warmup), o.minRuns, o.minSeconds * 1000);
        const [app, worker, page] = [stats(r.app), stats(r.worker), stats(r.page)];
        const over = app.p50 - worker.p50;
        const target = Math.max(0.05 * worker.p50, 0.5);
        figures.push(
          { name: `${ep}: app path p50`, value: app.p50, unit: 'ms' },
          { name: `${ep}: app path p95`, value: app.p95, unit: 'ms' },
          { name: `${ep}: bare session.run in the worker p50`, value: worker.p50, unit: 'ms' },
          { name: `${ep}: bare session.run in the worker p95`, value: worker.p95, unit: 'ms' },
          { name: `${ep}: bare session.run in the page p50`, value: page.p50, unit: 'ms' },
          { name: `${ep}: bare session.run in the page p95`, value: page.p95, unit: 'ms' },
          {
            name: `${ep}: comlink round trip alone (bare call's page time − its worker time) p50`,
            value: stats(r.messaging).p50,
            unit: 'ms',
          },
          { name: `${ep}: app ÷ worker bare (p50)`, value: app.p50 / worker.p50, unit: '×' },
          { name: `${ep}: app ÷ page bare (p50)`, value: app.p50 / page.p50, unit: '×' },
          { name: `${ep}: overhead vs worker bare (p50)`, value: over, unit: 'ms' },
          { name: `${ep}: overhead target max(5 %, 0.5 ms)`, value: target, unit: 'ms' },
          { name: `${ep}: overhead within target`, value: over <= target ? 1 : 0, unit: 'yes=1' },
          { name: `${ep}: timed rounds`, value: r.app.length, unit: 'runs' },
          {
            name: `${ep}: bytes cloned page → worker per inference`,
            value: t.toWorker.cloned - before.toWorker.cloned,
            unit: 'bytes',
          },
          {
            name: `${ep}: bytes transferred page → worker per inference`,
            value: t.toWorker.transferred - before.toWorker.transferred,
            unit: 'bytes',
          },
          {
            name: `${ep}: bytes cloned worker → page per inference`,
            value: t.toPage.cloned - before.toPage.cloned,
            unit: 'bytes',
          },
          {
            name: `${ep}: bytes transferred worker → page per inference`,
            value: t.toPage.transferred - before.toPage.transferred,
            unit: 'bytes',
          },
        );
        await b.api.benchBareRelease();
      } finally {
        await teardownInfer(b);
      }
    }
    return { figures, notes };
  },
});
