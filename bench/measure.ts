/**
 * Generic measurement: order statistics and A/B alternation in one page session, as PERFORMANCE.md asks
 * (≥ 5 warm-up runs, then A B A B until both sides have ≥ minRuns runs and ≥ minSeconds in total).
 */

/** Order statistics of a set of timings, in milliseconds. */
export interface Summary {
  readonly count: number;
  readonly totalMs: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** How long to measure; all overridable from the page's query string. */
export interface MeasureOptions {
  /** Warm-up runs per side, after the (separately reported) first run. */
  readonly warmup: number;
  /** Timed runs each side needs at least. */
  readonly minRuns: number;
  /** Seconds of timed runs (both sides together) needed at least. */
  readonly minSeconds: number;
  /** Safety cap on timed runs per side, for very fast cases. */
  readonly maxRuns: number;
}

export const DEFAULT_OPTIONS: MeasureOptions = { warmup: 5, minRuns: 30, minSeconds: 10, maxRuns: 100_000 };

/** Query parameters `optionsFromQuery` reads. */
export const OPTION_PARAMS = ['warmup', 'runs', 'seconds', 'maxRuns'] as const;

/** Reads `?warmup=&runs=&seconds=&maxRuns=` over the defaults; rejects nonsense rather than guessing. */
export function optionsFromQuery(params: URLSearchParams): MeasureOptions {
  const num = (key: string, fallback: number, min: number): number => {
    const raw = params.get(key);
    if (raw === null || raw === '') return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min)
      throw new Error(`Query parameter ${key}=${raw} must be a number ≥ ${min}`);
    return v;
  };
  return {
    warmup: Math.floor(num('warmup', DEFAULT_OPTIONS.warmup, 0)),
    minRuns: Math.floor(num('runs', DEFAULT_OPTIONS.minRuns, 1)),
    minSeconds: num('seconds', DEFAULT_OPTIONS.minSeconds, 0),
    maxRuns: Math.floor(num('maxRuns', DEFAULT_OPTIONS.maxRuns, 1)),
  };
}

/** Linear-interpolated quantile (R type 7) of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/** Summarizes timings in milliseconds. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((x, y) => x - y);
  const totalMs = sorted.reduce((s, x) => s + x, 0);
  return {
    count: sorted.length,
    totalMs,
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length > 0 ? totalMs / sorted.length : NaN,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
  };
}

/** Wall time of one call, awaited, in milliseconds. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Lets the page handle other tasks (rendering, the driver's polling) without timer clamping. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Timings of both sides of an alternation, each in run order. */
export interface Alternation {
  readonly a: number[];
  readonly b: number[];
  /** Wall time of warm-up plus timed runs. */
  readonly wallMs: number;
}

const YIELD_EVERY_MS = 100;

/** Untimed work after each call of a side (warm-up and timed), e.g. deleting what it stored. */
export interface AfterEach {
  readonly a?: () => unknown;
  readonly b?: () => unknown;
}

/**
 * Warm-up, then A B A B … until both sides have `minRuns` runs and `minSeconds` of timed runs in total
 * (or `maxRuns` is reached). Yields to the event loop between pairs now and then, never inside a timing;
 * `after` hooks run after each call, outside its timing.
 */
export async function alternate(
  a: () => unknown,
  b: () => unknown,
  options: MeasureOptions,
  after: AfterEach = {},
): Promise<Alternation> {
  const start = performance.now();
  let lastYield = start;
  const maybeYield = async (): Promise<void> => {
    if (performance.now() - lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    lastYield = performance.now();
  };
  for (let i = 0; i < options.warmup; i++) {
    await a();
    await after.a?.();
    await b();
    await after.b?.();
    await maybeYield();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  let total = 0;
  const done = (): boolean =>
    ta.length >= options.maxRuns ||
    (ta.length >= options.minRuns && tb.length >= options.minRuns && total >= options.minSeconds * 1000);
  while (!done()) {
    const da = await timeOnce(a);
    await after.a?.();
    const db = await timeOnce(b);
    await after.b?.();
    ta.push(da);
    tb.push(db);
    total += da + db;
    await maybeYield();
  }
  return { a: ta, b: tb, wallMs: performance.now() - start };
}
