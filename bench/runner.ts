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
  /** Extra hardware-independent figures about the inputs (rows, bytes per run…). */
  counts?(state: S): Record<string, number>;
  teardown?(state: S): void;
}

/** A case with its types erased, for the registry. */
export type AnyBenchCase = BenchCase<unknown, unknown, unknown>;

/** Registers a typed case (the registry holds them erased; method parameters are bivariant). */
export function defineCase<S, O, P>(c: BenchCase<S, O, P>): AnyBenchCase {
  return c;
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
    const peerMs = await timeOnce(async () => {
      peerOut = await c.peer(state);
    });
    c.check?.(oursOut, peerOut);

    const sum = zeroCounts();
    let calls = 0;
    const ours = async (): Promise<void> => {
      const counters = newCounters();
      const before = pipelines.compiled;
      await c.ours(state, counters);
      addInto(sum, counters, pipelines.compiled - before);
      calls++;
    };
    const peer = async (): Promise<void> => {
      await c.peer(state);
    };
    const timings = await alternate(ours, peer, options);
    const o = summarize(timings.a);
    const p = summarize(timings.b);
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
      wallMs: performance.now() - start,
    };
  } finally {
    c.teardown?.(state);
  }
}
