import { GpuContext, type GpuEvent } from '../src/engine/gpu/context';
import { probeGpu } from '../src/engine/gpu/probe';
import { WorkbenchError } from '../src/lib/errors';
import { selectCases } from './cases';
import { OPTION_PARAMS, optionsFromQuery, timeOnce, type MeasureOptions } from './measure';
import { runCase, runOnce, type CaseResult, type OnceResult } from './runner';
import type { AdapterSummary } from '../src/engine/gpu/probe';

/** The page's whole output, plain JSON; `scripts/bench.mjs` reads it from `window.__BENCH_RESULT__`. */
export interface BenchResult {
  readonly schema: 2;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly adapter: AdapterSummary;
  readonly adapterFeatures: readonly string[];
  readonly deviceFeatures: readonly string[];
  readonly wgslLanguageFeatures: readonly string[];
  readonly limits: Readonly<Record<string, number>>;
  readonly query: string;
  readonly options: MeasureOptions;
  /** Adapter probe and device creation, once per page (not part of any case). */
  readonly load: { readonly probeMs: number; readonly deviceMs: number };
  readonly cases: readonly CaseResult[];
  /** One-off measurements, run after the rows. */
  readonly once: readonly OnceResult[];
}

declare global {
  interface Window {
    __BENCH_RESULT__?: BenchResult;
    __BENCH_ERROR__?: string;
  }
}

function show(status: string, output?: string): void {
  document.getElementById('status')!.textContent = status;
  if (output !== undefined) document.getElementById('output')!.textContent = output;
}

const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(3) : String(ms));

function summaryText(r: BenchResult): string {
  const lines = [
    `adapter: ${r.adapter.vendor} / ${r.adapter.architecture} (fallback: ${r.adapter.isFallbackAdapter})`,
    `device: ${fmt(r.load.deviceMs)} ms`,
  ];
  for (const c of r.cases) {
    lines.push(
      `${c.id}: ours p50 ${fmt(c.ours.p50)} ms, peer p50 ${fmt(c.peer.p50)} ms, ratio ${c.ratioP50.toFixed(3)}, ` +
        `n ${c.ours.count}/${c.peer.count}, first run ${fmt(c.firstRun.oursMs)} / ${fmt(c.firstRun.peerMs)} ms`,
    );
  }
  for (const o of r.once) {
    lines.push(`${o.id}: ${o.figures.map((f) => `${f.name} ${f.value ?? 'n/a'} ${f.unit}`).join(', ')}`);
  }
  return lines.join('\n');
}

async function main(): Promise<BenchResult> {
  const startedAt = new Date().toISOString();
  const params = new URLSearchParams(location.search);
  const options = optionsFromQuery(params);
  const { cases, once } = selectCases(params);
  const known = new Set<string>([
    ...OPTION_PARAMS,
    'cases',
    ...[...cases, ...once].flatMap((c) => c.params ?? []),
  ]);
  const unknown = [...params.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new Error(`Unknown query parameter(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  }
  let probe: Awaited<ReturnType<typeof probeGpu>> | undefined;
  const probeMs = await timeOnce(async () => {
    probe = await probeGpu(navigator.gpu);
  });
  if (probe === undefined || !probe.available) {
    const reason = probe?.available === false ? probe.reason : 'no probe result';
    throw new WorkbenchError('GPU_UNAVAILABLE', `WebGPU unavailable: ${reason}`);
  }
  const problems: string[] = [];
  const onEvent = (e: GpuEvent): void => {
    if (e.type === 'device-lost') problems.push(`device lost (${e.reason}): ${e.message}`);
    if (e.type === 'uncaptured-error') problems.push(`uncaptured GPU error: ${e.message}`);
  };
  const gpu = new GpuContext(navigator.gpu, { onEvent, maxLossRetries: 0 });
  try {
    let session: Awaited<ReturnType<GpuContext['session']>> | undefined;
    const deviceMs = await timeOnce(async () => {
      session = await gpu.session();
    });
    const ctx = { session: session!, params };
    const results: CaseResult[] = [];
    const total = cases.length + once.length;
    for (const [i, c] of cases.entries()) {
      show(`Running ${c.id} (${i + 1}/${total})…`);
      results.push(await runCase(c, ctx, options));
      if (problems.length > 0) throw new Error(`${c.id}: ${problems.join('; ')}`);
    }
    const onceResults: OnceResult[] = [];
    for (const [i, c] of once.entries()) {
      show(`Running ${c.id} (${cases.length + i + 1}/${total}, once)…`);
      onceResults.push(await runOnce(c, ctx));
      if (problems.length > 0) throw new Error(`${c.id}: ${problems.join('; ')}`);
    }
    return {
      schema: 2,
      startedAt,
      finishedAt: new Date().toISOString(),
      userAgent: navigator.userAgent,
      crossOriginIsolated: self.crossOriginIsolated,
      adapter: session!.adapter,
      adapterFeatures: probe.features,
      deviceFeatures: [...session!.device.features].map(String).sort(),
      wgslLanguageFeatures: [...navigator.gpu.wgslLanguageFeatures].map(String).sort(),
      limits: probe.limits,
      query: params.toString(),
      options,
      load: { probeMs, deviceMs },
      cases: results,
      once: onceResults,
    };
  } finally {
    await gpu.dispose();
  }
}

main().then(
  (result) => {
    // A JSON round trip keeps the result plain (NaN becomes null) before the driver reads it.
    window.__BENCH_RESULT__ = JSON.parse(JSON.stringify(result)) as BenchResult;
    show('Done.', summaryText(result));
  },
  (e: unknown) => {
    const message =
      e instanceof WorkbenchError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    window.__BENCH_ERROR__ = message;
    show('Failed.', message);
  },
);
