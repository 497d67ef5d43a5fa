import { newCounters, type GpuCounters } from '../src/engine/gpu/buffers';
import type { GpuSession } from '../src/engine/gpu/context';
import { alternate, summarize, timeOnce, type MeasureOptions, type Summary } from './measure';

/** What every case gets: the shared device session and the page's query parameters. */
export interface BenchContext {
  readonly session: GpuSession;
  readonly params: URLSearchParams;
}

/**
 * One benchmark row: our implementation against a peer on the same inputs, in the same page session.
 * `S` is whatever `setup` prepares (inputs, peer models); `O` and `P` are the two sides' results.
 */
export interface BenchCase<S, O = unknown, P = unknown> {
  readonly id: string;
  readonly description: string;
  readonly labels: { readonly ours: string; readonly peer: string };
  /** Query parameters this case reads (others are rejected, so a typo cannot pass silently). */
  readonly params?: readonly string[];
  /** Builds inputs (not timed as a run; reported as setupMs). */
  setup(ctx: BenchContext): Promise<S> | S;
  /** Our side; must finish its GPU work (await a readback) and bump `counters` as it goes. */
  ours(state: S, counters: GpuCounters): Promise<O>;
  /** The peer's side. */
  peer(state: S): Promise<P> | P;
  /** Throws when the two sides disagree: a fast wrong answer is not a result. */
  check?(ours: O, peer: P): void;
  /** Untimed cleanup after every call of `ours` (first run, warm-up and timed), e.g. deleting what it stored. */
  afterOurs?(state: S, out: O): Promise<void> | void;
  /** Extra hardware-independent figures about the inputs (rows, bytes per run…). */
  counts?(state: S): Record<string, number>;
  /** Input bytes each side processes per run; when given, the result has MB/s (10^6 bytes) at p50. */
  throughputBytes?(state: S): number;
  teardown?(state: S): Promise<void> | void;
}

/** A case with its types erased, for the registry. */
export type AnyBenchCase = BenchCase<unknown, unknown, unknown>;

/** Registers a typed case (the registry holds them erased; method parameters are bivariant). */
export function defineCase<S, O, P>(c: BenchCase<S, O, P>): AnyBenchCase {
  return c;
}

/**
 * A one-off measurement, not an A/B row: runs once, after the rows, and reports named figures (printed
 * under the table). For jobs too big to repeat, e.g. importing a 200 MB file through the data worker.
 */
export interface OnceCase {
  readonly id: string;
  readonly description: string;
  /** Query parameters this measurement reads. */
  readonly params?: readonly string[];
  run(ctx: BenchContext): Promise<OnceOutcome>;
}

/** One reported number; null when it could not be measured (say why in a note). */
export interface OnceFigure {
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
}

/** What a one-off measurement returns: figures in print order, and caveats. */
export interface OnceOutcome {
  readonly figures: readonly OnceFigure[];
  readonly notes: readonly string[];
  /** Raw samples for the JSON file (not printed), e.g. a memory timeline: equal-length named arrays. */
  readonly series?: Readonly<Record<string, readonly number[]>>;
}

/** A one-off measurement's result (plain JSON). */
export interface OnceResult extends OnceOutcome {
  readonly id: string;
  readonly description: string;
  readonly wallMs: number;
}

/** Registers a one-off measurement. */
export function defineOnce(c: OnceCase): OnceCase {
  return c;
}

/** Runs a one-off measurement. */
export async function runOnce(c: OnceCase, ctx: BenchContext): Promise<OnceResult> {
  const start = performance.now();
  const outcome = await c.run(ctx);
  return {
    id: c.id,
    description: c.description,
    figures: outcome.figures,
    notes: outcome.notes,
    ...(outcome.series ? { series: outcome.series } : {}),
    wallMs: performance.now() - start,
  };
}

/** Throughput at p50, for cases that declare their bytes per run. MB = 10^6 bytes. */
export interface Throughput {
  readonly bytesPerRun: number;
  readonly oursMBps: number;
  readonly peerMBps: number;
}

/** GPU counters averaged per run, plus pipeline compiles (0 per run once warm). */
export interface CountsPerRun extends GpuCounters {
  pipelinesCompiled: number;
}

/** Everything measured for one case (plain JSON). */
export interface CaseResult {
  readonly id: string;
  readonly description: string;
  readonly labels: { readonly ours: string; readonly peer: string };
  readonly setupMs: number;
  /** First call of each side: ours includes shader compilation and pipeline creation. */
  readonly firstRun: { readonly oursMs: number; readonly peerMs: number; readonly counts: CountsPerRun };
  readonly ours: Summary;
  readonly peer: Summary;
  /** ours ÷ peer: below 1 means ours is faster. */
  readonly ratioP50: number;
  readonly ratioMean: number;
  /** Averaged over every run after the first (warm-up and timed). */
  readonly countsPerRun: CountsPerRun;
  readonly facts: Record<string, number>;
  /** Present when the case declares `throughputBytes`. */
  readonly throughput: Throughput | null;
  readonly wallMs: number;
}

function zeroCounts(): CountsPerRun {
  return { ...newCounters(), pipelinesCompiled: 0 };
}

function addInto(sum: CountsPerRun, c: GpuCounters, compiled: number): void {
  sum.dispatches += c.dispatches;
  sum.submits += c.submits;
  sum.readbacks += c.readbacks;
  sum.bytesUploaded += c.bytesUploaded;
  sum.bytesRead += c.bytesRead;
  sum.pipelinesCompiled += compiled;
}

function divide(sum: CountsPerRun, n: number): CountsPerRun {
  const d = Math.max(1, n);
  return {
    dispatches: sum.dispatches / d,
    submits: sum.submits / d,
    readbacks: sum.readbacks / d,
    bytesUploaded: sum.bytesUploaded / d,
    bytesRead: sum.bytesRead / d,
    pipelinesCompiled: sum.pipelinesCompiled / d,
  };
}

/** Runs one case: setup, first runs (timed apart), correctness check, then the A/B alternation. */
export async function runCase(
  c: AnyBenchCase,
  ctx: BenchContext,
  options: MeasureOptions,
): Promise<CaseResult> {
  const start = performance.now();
  const pipelines = ctx.session.pipelines;
  let state: unknown;
  const setupMs = await timeOnce(async () => {
    state = await c.setup(ctx);
  });
  try {
    const firstCounts = zeroCounts();
    let oursOut: unknown;
    let peerOut: unknown;
    const compiledBefore = pipelines.compiled;
    const firstCounters = newCounters();
    const oursMs = await timeOnce(async () => {
      oursOut = await c.ours(state, firstCounters);
    });
    addInto(firstCounts, firstCounters, pipelines.compiled - compiledBefore);
    await c.afterOurs?.(state, oursOut);
    const peerMs = await timeOnce(async () => {
      peerOut = await c.peer(state);
    });
    c.check?.(oursOut, peerOut);

    const sum = zeroCounts();
    let calls = 0;
    let lastOurs: unknown;
    const ours = async (): Promise<void> => {
      const counters = newCounters();
      const before = pipelines.compiled;
      lastOurs = await c.ours(state, counters);
      addInto(sum, counters, pipelines.compiled - before);
      calls++;
    };
    const peer = async (): Promise<void> => {
      await c.peer(state);
    };
    const timings = await alternate(
      ours,
      peer,
      options,
      c.afterOurs ? { a: () => c.afterOurs?.(state, lastOurs) } : {},
    );
    const o = summarize(timings.a);
    const p = summarize(timings.b);
    const bytesPerRun = c.throughputBytes?.(state);
    return {
      id: c.id,
      description: c.description,
      labels: c.labels,
      setupMs,
      firstRun: { oursMs, peerMs, counts: firstCounts },
      ours: o,
      peer: p,
      ratioP50: o.p50 / p.p50,
      ratioMean: o.mean / p.mean,
      countsPerRun: divide(sum, calls),
      facts: c.counts?.(state) ?? {},
      throughput:
        bytesPerRun === undefined
          ? null
          : { bytesPerRun, oursMBps: bytesPerRun / 1e3 / o.p50, peerMBps: bytesPerRun / 1e3 / p.p50 },
      wallMs: performance.now() - start,
    };
  } finally {
    await c.teardown?.(state);
  }
}
