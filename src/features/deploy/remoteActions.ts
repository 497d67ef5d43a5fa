/** Remote runs as the Remote panel does them: routing, fallback to local, shadow comparison. */
import { inferCall, releaseInferClient } from '../../bridge/clients';
import type { InferEp } from '../../engine/infer/inferApi';
import { numbersOf, type PlainTensor } from '../../engine/infer/tensors';
import { timeoutFor } from '../../engine/infer/timeouts';
import { remoteBackend, type BackendRun, type InferenceBackend } from '../../engine/remote/backend';
import { CircuitBreaker } from '../../engine/remote/breaker';
import { EgressLedger } from '../../engine/remote/egress';
import { isAvailabilityFailure, type OipClient, type Transport } from '../../engine/remote/oipClient';
import { RemoteError } from '../../engine/remote/retry';

/** One ledger for the page: everything sent to any endpoint. */
export const remoteLedger = new EgressLedger();

const breakers = new Map<string, CircuitBreaker>();
/** The breaker of an endpoint origin (3 consecutive failures → paused for 30 s). */
export function breakerFor(origin: string): CircuitBreaker {
  let b = breakers.get(origin);
  if (b === undefined) {
    b = new CircuitBreaker(3, 30_000);
    breakers.set(origin, b);
  }
  return b;
}

export type Route = 'auto' | 'remote' | 'wasm' | 'webgpu' | 'shadow';

export interface RouteResult {
  /** Where the outputs shown came from. */
  readonly ran: 'remote' | InferEp;
  readonly outputs: Readonly<Record<string, PlainTensor>>;
  readonly ms: number;
  readonly transport: Transport | null;
  readonly attempts: number;
  readonly why: string;
  /** The remote failure that made it run locally, if any. */
  readonly fallback: string | null;
  /** Shadow mode: both sides' latency and the largest |local − remote| over all outputs. */
  readonly shadow: {
    readonly localMs: number;
    readonly remoteMs: number;
    readonly maxAbsDiff: number;
  } | null;
}

/** Loads the model in a fresh inference worker, runs it once, releases the worker. */
export async function runLocal(
  modelId: string,
  ep: InferEp,
  feeds: Readonly<Record<string, PlainTensor>>,
): Promise<{ outputs: Readonly<Record<string, PlainTensor>>; ms: number; ep: InferEp }> {
  try {
    await inferCall((api) => api.load(modelId, ep), timeoutFor('load'), 'Loading the model');
    const ran = await inferCall((api) => api.run(feeds), timeoutFor('run'), 'The run');
    return { outputs: ran.outputs, ms: ran.runMs, ep: ran.ep };
  } finally {
    await releaseInferClient();
  }
}

/** The local backend: the model in a fresh inference worker on `ep`. */
export function localBackend(modelId: string, ep: InferEp): InferenceBackend {
  return {
    kind: ep,
    async run(feeds) {
      const l = await runLocal(modelId, ep, feeds);
      return { where: l.ep, outputs: l.outputs, ms: l.ms, transport: null, attempts: 0 };
    },
  };
}

/** Largest |a − b| over the outputs both have (strings: 0 if equal, else Infinity; shape mismatch: Infinity). */
export function maxAbsDiff(
  a: Readonly<Record<string, PlainTensor>>,
  b: Readonly<Record<string, PlainTensor>>,
): number {
  let worst = 0;
  for (const [name, ta] of Object.entries(a)) {
    const tb = b[name];
    if (tb === undefined) continue;
    if (ta.data.length !== tb.data.length || ta.dims.join() !== tb.dims.join()) return Infinity;
    const x = numbersOf(ta.data);
    const y = numbersOf(tb.data);
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      let d: number;
      if (ta.type === 'string') d = ta.data[i] === tb.data[i] ? 0 : Infinity;
      else if (Number.isNaN(xi) || Number.isNaN(yi)) d = Number.isNaN(xi) && Number.isNaN(yi) ? 0 : Infinity;
      else d = Math.abs(xi - yi);
      worst = Math.max(worst, d);
    }
  }
  return worst;
}

export interface RouteInput {
  readonly route: Route;
  readonly modelId: string;
  readonly modelBytes: number;
  readonly remoteName: string;
  readonly version: string;
  readonly transport: Transport;
  readonly client: OipClient | null;
  readonly fallback: boolean;
  /** p50 of earlier runs, when known, for auto. */
  readonly localMs: number | null;
  readonly remoteMs: number | null;
  readonly signal: AbortSignal;
}

/** Above this size auto prefers the remote (the local device may not hold it); below, measured latency decides. */
export const AUTO_REMOTE_BYTES = 256 * 2 ** 20;

/** Where auto runs, and why. */
export function chooseAuto(i: RouteInput): { remote: boolean; why: string } {
  if (i.client === null) return { remote: false, why: 'auto: no endpoint configured, ran locally' };
  const b = i.client.breaker;
  if (b.state() === 'open') {
    return {
      remote: false,
      why: `auto: remote paused by the circuit breaker (${Math.ceil(b.retryInMs() / 1000)} s left), ran locally`,
    };
  }
  if (i.modelBytes > AUTO_REMOTE_BYTES)
    return { remote: true, why: `auto: model over ${AUTO_REMOTE_BYTES / 2 ** 20} MiB, ran remotely` };
  if (i.localMs !== null && i.remoteMs !== null) {
    return i.remoteMs < i.localMs
      ? {
          remote: true,
          why: `auto: remote measured faster (${i.remoteMs.toFixed(1)} vs ${i.localMs.toFixed(1)} ms)`,
        }
      : {
          remote: false,
          why: `auto: local measured faster (${i.localMs.toFixed(1)} vs ${i.remoteMs.toFixed(1)} ms)`,
        };
  }
  return {
    remote: true,
    why: 'auto: endpoint configured and healthy, no latency measured yet: ran remotely',
  };
}

/** A result from one backend's run. */
const resultOf = (r: BackendRun, why: string, fallback: string | null = null): RouteResult => ({
  ran: r.where,
  outputs: r.outputs,
  ms: r.ms,
  transport: r.transport,
  attempts: r.attempts,
  why,
  fallback,
  shadow: null,
});

/** Runs per the chosen route; a remote availability failure falls back to local WASM when allowed. */
export async function runRouted(
  i: RouteInput,
  feeds: Readonly<Record<string, PlainTensor>>,
): Promise<RouteResult> {
  const remote: InferenceBackend | null =
    i.client === null
      ? null
      : remoteBackend(i.client, i.remoteName, { version: i.version, transport: i.transport });
  const runRemote = (): Promise<BackendRun> => {
    if (remote === null) throw new RemoteError('network', 'No remote endpoint is configured.');
    return remote.run(feeds, i.signal);
  };
  const local = localBackend(i.modelId, i.route === 'webgpu' ? 'webgpu' : 'wasm');
  if (i.route === 'wasm' || i.route === 'webgpu') {
    const l = await local.run(feeds);
    return resultOf(l, `local ${l.where}`);
  }
  if (i.route === 'shadow') {
    const l = await local.run(feeds);
    const r = await runRemote();
    return {
      ...resultOf(r, 'shadow: local WASM and remote side by side'),
      shadow: { localMs: l.ms, remoteMs: r.ms, maxAbsDiff: maxAbsDiff(l.outputs, r.outputs) },
    };
  }
  const choice = i.route === 'auto' ? chooseAuto(i) : { remote: true, why: 'remote' };
  if (!choice.remote) return resultOf(await local.run(feeds), choice.why);
  try {
    return resultOf(await runRemote(), choice.why);
  } catch (e) {
    const cancelled = e instanceof RemoteError && e.kind === 'cancelled';
    const paused = e instanceof RemoteError && e.kind === 'breaker';
    if (!i.fallback || cancelled || !(paused || isAvailabilityFailure(e))) throw e;
    const l = await local.run(feeds);
    const msg = e instanceof Error ? e.message : String(e);
    return {
      ...resultOf(l, `${choice.why}; the remote failed, ran locally on ${l.where}`, msg),
      attempts: e instanceof RemoteError ? e.attempts : 0,
    };
  }
}
