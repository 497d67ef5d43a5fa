import { proxy, releaseProxy, wrap } from 'comlink';
import type { DataApi, ImportProgress } from '../../src/bridge/contracts';
import { installErrorTransfer } from '../../src/bridge/errorTransfer';
import type { DatasetMeta } from '../../src/engine/data/dataset';
import { intParam, randomCsv } from '../data';
import { quantile } from '../measure';
import { defineOnce, type OnceFigure } from '../runner';

/** Chromium's `performance.measureUserAgentSpecificMemory()` (cross-origin isolated pages only). */
interface MemoryAttribution {
  readonly url?: string;
  readonly scope?: string;
}
interface MemoryBreakdownEntry {
  readonly bytes: number;
  readonly attribution: readonly MemoryAttribution[];
  readonly types: readonly string[];
}
interface MemoryMeasurement {
  readonly bytes: number;
  readonly breakdown: readonly MemoryBreakdownEntry[];
}
type MeasureMemory = () => Promise<MemoryMeasurement>;

interface MemorySample {
  /** ms since the import started when the measurement was asked for, and when it resolved. */
  readonly sent: number;
  readonly t: number;
  readonly total: number;
  /**
   * Bytes attributed to dedicated workers (the data worker is the only one); null when the breakdown has
   * none (Chromium leaves out a worker that does not answer in time).
   */
  readonly worker: number | null;
}

function memoryApi(): MeasureMemory | null {
  const perf = performance as Performance & { measureUserAgentSpecificMemory?: MeasureMemory };
  if (!self.crossOriginIsolated || typeof perf.measureUserAgentSpecificMemory !== 'function') return null;
  return () => perf.measureUserAgentSpecificMemory!();
}

function workerBytes(m: MemoryMeasurement): number | null {
  const entries = m.breakdown.filter((e) =>
    e.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'),
  );
  return entries.length === 0 ? null : entries.reduce((s, e) => s + e.bytes, 0);
}

const maxOf = (xs: readonly number[]): number | null => (xs.length === 0 ? null : Math.max(...xs));

/** Runs `step` again and again (`gapMs` apart) until stopped; `stop` waits for the step in flight. */
function repeat<T>(step: () => Promise<T>, gapMs: number): { stop(): Promise<T[]> } {
  const out: T[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      out.push(await step());
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return out;
    },
  };
}

/** A round trip to the data worker while it imports: when it was answered, and how long it took. */
interface Ping {
  readonly t: number;
  readonly ms: number;
}

const PING_GAP_MS = 100;

const MB = 1e6;

/** Worker responsiveness in each pass (pass 1 ends at the first "storing" progress). */
function pingFigures(pings: readonly Ping[], scanEnd: number): OnceFigure[] {
  const pass = (which: 1 | 2): number[] =>
    pings
      .filter((p) => (which === 1 ? p.t <= scanEnd : p.t > scanEnd))
      .map((p) => p.ms)
      .sort((a, b) => a - b);
  const figures: OnceFigure[] = [];
  for (const which of [1, 2] as const) {
    const ms = pass(which);
    figures.push(
      { name: `data worker round trips answered in pass ${which}`, value: ms.length, unit: 'calls' },
      {
        name: `data worker round trip p50, pass ${which}`,
        value: ms.length > 0 ? quantile(ms, 0.5) : null,
        unit: 'ms',
      },
      { name: `data worker round trip max, pass ${which}`, value: ms[ms.length - 1] ?? null, unit: 'ms' },
    );
  }
  return figures;
}

/**
 * One-off: a large generated CSV imported through the app's real data worker (comlink, as the Data page
 * does), measuring wall time, main-thread long tasks and sampled memory. Query: `?bigMb=200` (10^6 bytes;
 * `npm run bench -- --quick` passes 20) and `?memGapMs=0` (pause between memory samples; `-1` turns
 * sampling off, to see what it costs).
 */
export const importBigWorkerCase = defineOnce({
  id: 'import-200mb-worker',
  description: 'Import of a large generated CSV through the data worker (File handle, comlink, IndexedDB)',
  params: ['bigMb', 'memGapMs'],
  async run({ params }) {
    const notes: string[] = [];
    const rawGap = params.get('memGapMs');
    const memGapMs = rawGap === null || rawGap === '' ? 0 : Number(rawGap);
    if (!Number.isFinite(memGapMs)) throw new Error(`Query parameter memGapMs=${rawGap} must be a number`);
    const genStart = performance.now();
    const csv = randomCsv({
      bytes: intParam(params, 'bigMb', 200) * MB,
      seed: 20_261_131,
      name: 'bench-big.csv',
    });
    const generateMs = performance.now() - genStart;
    const size = csv.file.size;

    installErrorTransfer();
    const worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), {
      type: 'module',
      name: 'data',
    });
    const workerErrors: string[] = [];
    worker.addEventListener('error', (e) => workerErrors.push(e.message || 'the data worker failed to load'));
    const api = wrap<DataApi>(worker);
    try {
      // Worker start-up, database open and the sweep of unfinished imports happen here, not in the timing.
      await api.listDatasets();
      const measure = memoryApi();
      if (measure === null) notes.push('performance.measureUserAgentSpecificMemory() is unavailable here');
      const baseline = measure === null ? null : await measure();

      const longTasks: PerformanceEntry[] = [];
      const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries()));
      observer.observe({ type: 'longtask' });

      let progressEvents = 0;
      let storingAt: number | null = null;
      const t0 = performance.now();
      const onProgress = (p: ImportProgress): void => {
        progressEvents++;
        if (p.phase === 'storing' && storingAt === null) storingAt = performance.now() - t0;
      };
      const sampler =
        measure === null || memGapMs < 0
          ? null
          : repeat(async (): Promise<MemorySample> => {
              const sent = performance.now() - t0;
              const m = await measure();
              return { sent, t: performance.now() - t0, total: m.bytes, worker: workerBytes(m) };
            }, memGapMs);
      // How long a message waits in the worker (a cancel would wait as long): storageInfo() round trips.
      const pinger = repeat(async (): Promise<Ping> => {
        const sent = performance.now();
        await api.storageInfo();
        const now = performance.now();
        return { t: now - t0, ms: now - sent };
      }, PING_GAP_MS);
      let memory: MemorySample[] = [];
      let pings: Ping[] = [];
      let meta: DatasetMeta;
      let importMs: number;
      try {
        meta = await api.importFile(csv.file, proxy(onProgress));
        importMs = performance.now() - t0;
      } finally {
        memory = (await sampler?.stop()) ?? [];
        pings = await pinger.stop();
        longTasks.push(...observer.takeRecords());
        observer.disconnect();
      }
      const during = longTasks.filter((e) => e.startTime >= t0 && e.startTime <= t0 + importMs);
      await api.deleteDataset(meta.id);
      if (workerErrors.length > 0) throw new Error(`data worker: ${workerErrors.join('; ')}`);
      if (meta.rows !== csv.rows) throw new Error(`the import stored ${meta.rows} rows of ${csv.rows}`);

      const figures: OnceFigure[] = [
        { name: 'file size', value: size, unit: 'bytes' },
        { name: 'rows × columns', value: meta.rows * meta.columns.length, unit: 'cells' },
        { name: 'generate file in page (not part of the import)', value: generateMs, unit: 'ms' },
        { name: 'import wall time (importFile call → resolved)', value: importMs, unit: 'ms' },
        { name: 'import throughput', value: size / MB / (importMs / 1000), unit: 'MB/s' },
        { name: 'pass 1 (scan and infer) until first "storing" progress', value: storingAt, unit: 'ms' },
        { name: 'stored (column chunks)', value: meta.bytes, unit: 'bytes' },
        { name: 'progress events received', value: progressEvents, unit: 'events' },
        { name: 'main-thread long tasks (> 50 ms) during import', value: during.length, unit: 'tasks' },
        {
          name: 'main-thread long task total',
          value: during.reduce((s, e) => s + e.duration, 0),
          unit: 'ms',
        },
        {
          name: 'longest main-thread long task',
          value: during.reduce((m, e) => Math.max(m, e.duration), 0),
          unit: 'ms',
        },
        ...pingFigures(pings, storingAt ?? importMs),
      ];
      if (baseline !== null && memory.length > 0) {
        const scanEnd = storingAt ?? importMs;
        // Only samples that include the worker say anything about the import's memory.
        const seen = memory.filter((s) => s.worker !== null);
        const inPass = (which: 1 | 2): MemorySample[] =>
          seen.filter((s) => (which === 1 ? s.t <= scanEnd : s.sent > scanEnd));
        const peakTotal = maxOf(seen.map((s) => s.total));
        const peakWorker = maxOf(seen.map((s) => s.worker!));
        const baseWorker = workerBytes(baseline);
        // The first sample's wait counts: the first call went out as the import started.
        const gaps = seen.map((s, i) => s.t - (i === 0 ? 0 : seen[i - 1]!.t)).sort((a, b) => a - b);
        const maxGap = gaps[gaps.length - 1] ?? importMs;
        const peakAt = seen.find((s) => s.worker === peakWorker)?.t ?? null;
        // Longest stretch of pass 1 with no sample: from the start, between samples, up to its end.
        const pass1Times = [0, ...inPass(1).map((s) => s.t), scanEnd];
        const pass1Blind = Math.max(...pass1Times.slice(1).map((t, i) => t - pass1Times[i]!));
        const per = (x: number | null, base: number | null): number | null =>
          x === null ? null : (x - (base ?? 0)) / size;
        figures.push(
          { name: 'memory before import (page + worker)', value: baseline.bytes, unit: 'bytes' },
          { name: 'memory peak sampled (page + worker)', value: peakTotal, unit: 'bytes' },
          { name: 'memory peak ÷ file size', value: per(peakTotal, 0), unit: '×' },
          { name: 'data worker before import', value: baseWorker, unit: 'bytes' },
          { name: 'data worker peak sampled', value: peakWorker, unit: 'bytes' },
          { name: '(worker peak − before) ÷ file size', value: per(peakWorker, baseWorker), unit: '×' },
          { name: 'data worker peak sampled at', value: peakAt, unit: 'ms into the import' },
          { name: 'worker memory samples in pass 1', value: inPass(1).length, unit: 'samples' },
          {
            name: 'data worker peak sampled in pass 1',
            value: maxOf(inPass(1).map((s) => s.worker!)),
            unit: 'bytes',
          },
          { name: 'longest stretch of pass 1 without a sample', value: pass1Blind, unit: 'ms' },
          { name: 'worker memory samples in pass 2', value: inPass(2).length, unit: 'samples' },
          {
            name: 'data worker peak sampled in pass 2',
            value: maxOf(inPass(2).map((s) => s.worker!)),
            unit: 'bytes',
          },
          {
            name: 'samples without the worker (it did not answer)',
            value: memory.length - seen.length,
            unit: 'samples',
          },
          {
            name: 'memory sample interval p50',
            value: gaps.length > 0 ? quantile(gaps, 0.5) : null,
            unit: 'ms',
          },
          { name: 'memory sample interval max', value: maxGap, unit: 'ms' },
        );
        if (pass1Blind > scanEnd / 4) {
          notes.push(
            `pass 1 is barely sampled: for ${pass1Blind.toFixed(0)} of its ${scanEnd.toFixed(0)} ms the worker ` +
              'answered no memory measurement (nor round trip), so the pass-1 peak is unknown',
          );
        }
        if (seen.length < 20 || maxGap > importMs / 10) {
          notes.push(
            `memory sampling is coarse (${seen.length} samples with the worker, gaps up to ` +
              `${maxGap.toFixed(0)} ms): the true peak may be higher than the sampled one`,
          );
        }
        notes.push(
          'measureUserAgentSpecificMemory counts the JS heaps and DOM of the page and its workers; ' +
            "Blob storage and IndexedDB's buffers live in the browser process and are not included",
        );
      } else if (sampler === null && measure !== null) {
        notes.push('memory sampling was turned off (memGapMs < 0)');
      }
      // Timelines for the JSON file; memoryWorkerBytes −1: the worker was missing from that sample.
      const series = {
        pingAtMs: pings.map((p) => Math.round(p.t)),
        pingMs: pings.map((p) => Math.round(p.ms * 10) / 10),
        memoryMs: memory.map((s) => Math.round(s.t)),
        memoryTotalBytes: memory.map((s) => s.total),
        memorySentMs: memory.map((s) => Math.round(s.sent)),
        memoryWorkerBytes: memory.map((s) => s.worker ?? -1),
      };
      return { figures, notes, series };
    } finally {
      api[releaseProxy]();
      worker.terminate();
    }
  },
});
