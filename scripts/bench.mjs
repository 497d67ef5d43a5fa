// `npm run bench [-- --quick] [--runs=N] [--seconds=S] [--warmup=N] [--cases=a,b] [--timeout=S]`:
// builds bench/, serves it with the production headers, runs it in Chromium on WebGPU, prints a
// markdown table (A/B rows, MB/s for cases that declare bytes per run, then one-off measurements such as
// import-200mb-worker) and writes bench/results/latest.json. Fails if WebGPU is unavailable. Any other
// `--name=value` goes to the page's query as a case parameter (e.g. `--statsRows=10000`, `--bigMb=50`);
// the page rejects names no selected case declares. `--quick` also shrinks the data cases (QUICK_PARAMS).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { URLSearchParams } from 'node:url';
import { chromium } from '@playwright/test';

const root = new URL('..', import.meta.url).pathname;
const vite = join(root, 'node_modules', '.bin', 'vite');
const config = 'bench/vite.config.ts';
const PORT = 4327;
const ORIGIN = `http://localhost:${PORT}`;
const WEBGPU_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=vulkan',
  // performance.measureUserAgentSpecificMemory() resolves at once instead of at the next GC (up to ~20 s).
  '--enable-blink-features=ForceEagerMeasureMemory',
];
// Case parameters `--quick` sets (unless given) when the case is selected: a 20 MB big import, not 200 MB.
const QUICK_PARAMS = { 'import-200mb-worker': { bigMb: '20' } };

function parseArgs(argv) {
  const query = new URLSearchParams();
  let timeoutS = 900;
  let quick = false;
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=', 2);
    if (arg === '--quick') {
      quick = true;
      query.set('warmup', '2');
      query.set('runs', '5');
      query.set('seconds', '1');
    } else if (key === 'timeout' && value !== undefined) {
      timeoutS = Number(value);
      if (!(timeoutS > 0)) throw new Error(`--timeout=${value} must be a positive number of seconds`);
    } else if (arg.startsWith('--') && value !== undefined) {
      query.set(key, value);
    } else {
      throw new Error(`Unknown argument ${arg}`);
    }
  }
  // Only for selected cases: the page rejects parameters no selected case declares.
  const selected = query
    .get('cases')
    ?.split(',')
    .map((id) => id.trim());
  for (const [id, params] of Object.entries(quick ? QUICK_PARAMS : {})) {
    if (selected !== undefined && !selected.includes(id)) continue;
    for (const [key, value] of Object.entries(params)) if (!query.has(key)) query.set(key, value);
  }
  return { query, timeoutS };
}

async function waitForServer(child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with code ${child.exitCode}`);
    try {
      const res = await globalThis.fetch(`${ORIGIN}/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`vite preview did not answer on ${ORIGIN} within ${timeoutMs / 1000} s`);
}

const num = (v, digits = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const int = (v) => (typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v * 100) / 100) : 'n/a');

/** Bytes as MB (10^6) alongside; ratios with 2 decimals; everything else to 0.1. */
function figure(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes') return `${value.toLocaleString('en-US')} (${(value / 1e6).toFixed(1)} MB)`;
  if (unit === '×' || unit === 'MB/s') return value.toFixed(2);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function markdown(result, browserVersion) {
  const a = result.adapter;
  const lines = [
    `Adapter: ${a.vendor || '?'} / ${a.architecture || '?'}${a.description ? ` (${a.description})` : ''}, ` +
      `isFallbackAdapter: ${a.isFallbackAdapter} · Browser: ${browserVersion} · ` +
      `features: ${result.adapterFeatures.join(', ') || 'none'}`,
    `Method: first run apart, ${result.options.warmup} warm-up runs, then A B A B until ≥ ` +
      `${result.options.minRuns} runs each and ≥ ${result.options.minSeconds} s · device creation ` +
      `${num(result.load.deviceMs, 1)} ms${result.query ? ` · query: ?${result.query}` : ''}`,
  ];
  if (/swiftshader/i.test(`${a.architecture} ${a.description}`)) {
    lines.push('SwiftShader runs WebGPU on the CPU: read ratios and counts, not absolute times.');
  }
  lines.push(
    '',
    '| case | ours p50 ms | peer p50 ms | ratio ours/peer | ours p95 | peer p95 | n | dispatches/run | readbacks/run | bytes uploaded/run |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const c of result.cases) {
    const k = c.countsPerRun;
    lines.push(
      `| ${c.id} | ${num(c.ours.p50)} | ${num(c.peer.p50)} | ${num(c.ratioP50)} | ${num(c.ours.p95)} | ` +
        `${num(c.peer.p95)} | ${c.ours.count} | ${int(k.dispatches)} | ${int(k.readbacks)} | ${int(k.bytesUploaded)} |`,
    );
  }
  lines.push(
    '',
    '| case | setup ms | first run ours ms (incl. shader compile) | first run peer ms | submits/run |',
  );
  lines.push('|---|---:|---:|---:|---:|');
  for (const c of result.cases) {
    lines.push(
      `| ${c.id} | ${num(c.setupMs, 1)} | ${num(c.firstRun.oursMs, 1)} | ${num(c.firstRun.peerMs, 1)} | ` +
        `${int(c.countsPerRun.submits)} |`,
    );
  }
  const rated = result.cases.filter((c) => c.throughput);
  if (rated.length > 0) {
    lines.push(
      '',
      '| case | MB per run | ours MB/s (p50) | peer MB/s (p50) | ours | peer |',
      '|---|---:|---:|---:|---|---|',
    );
    for (const c of rated) {
      const t = c.throughput;
      lines.push(
        `| ${c.id} | ${num(t.bytesPerRun / 1e6, 2)} | ${num(t.oursMBps, 2)} | ${num(t.peerMBps, 2)} | ` +
          `${c.labels.ours} | ${c.labels.peer} |`,
      );
    }
  }
  for (const o of result.once ?? []) {
    lines.push('', `One-off: ${o.id} — ${o.description} (single run, ${num(o.wallMs / 1000, 1)} s)`, '');
    lines.push('| figure | value | unit |', '|---|---:|---|');
    for (const f of o.figures) lines.push(`| ${f.name} | ${figure(f.value, f.unit)} | ${f.unit} |`);
    for (const note of o.notes) lines.push(`- ${note}`);
  }
  return lines.join('\n');
}

async function runPage(query, timeoutS) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: WEBGPU_ARGS,
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.error(`[page ${m.type()}] ${m.text()}`);
    });
    const qs = query.toString();
    await page.goto(`${ORIGIN}/${qs ? `?${qs}` : ''}`);
    await page.waitForFunction(
      () => globalThis.__BENCH_RESULT__ !== undefined || globalThis.__BENCH_ERROR__ !== undefined,
      null,
      {
        timeout: timeoutS * 1000,
        polling: 500,
      },
    );
    const { result, error } = await page.evaluate(() => ({
      result: globalThis.__BENCH_RESULT__ ?? null,
      error: globalThis.__BENCH_ERROR__ ?? null,
    }));
    return { result, error, browserVersion: browser.version() };
  } finally {
    await browser.close();
  }
}

async function main() {
  const { query, timeoutS } = parseArgs(process.argv.slice(2));
  const build = spawnSync(vite, ['build', '-c', config], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`vite build -c ${config} failed`);
  const server = spawn(vite, ['preview', '-c', config, '--port', String(PORT), '--strictPort'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  };
  process.once('SIGINT', () => {
    stop();
    process.exit(130);
  });
  try {
    await waitForServer(server, 30_000);
    const { result, error, browserVersion } = await runPage(query, timeoutS);
    if (error?.startsWith('GPU_UNAVAILABLE')) {
      throw new Error(
        `${error}\nNo adapter in Chromium: nothing was measured (CPU numbers are not GPU results).`,
      );
    }
    if (error !== null) throw new Error(`the bench page failed: ${error}`);
    if (result === null || !result.adapter) {
      throw new Error('WebGPU unavailable: the bench page reported no adapter; nothing was measured');
    }
    const table = markdown(result, browserVersion);
    console.log(`\n${table}\n`);
    const outDir = join(root, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, 'latest.json');
    writeFileSync(
      out,
      `${JSON.stringify({ browserVersion, query: query.toString(), ...result }, null, 2)}\n`,
    );
    console.log(`wrote ${out}`);
  } finally {
    stop();
  }
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
