/**
 * The inference worker's service: loads an imported model's bytes from IndexedDB into an onnxruntime-web
 * session on WebGPU or WASM, runs it on plain tensors and releases it. onnxruntime-web is only ever loaded
 * here (through `loadOrt`), so it stays out of the main bundle.
 */
import type { IDBPDatabase } from 'idb';
import type * as OrtModule from 'onnxruntime-web';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { ModelRepo } from '../../db/models.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import { MAX_MODEL_BYTES } from '../deploy/inspect';
import { parsePlacement, tapOrtLog, type OrtLogTap, type Placement } from './placement';
import { elementCount, isInferElemType, type PlainTensor } from './tensors';

export type InferEp = 'webgpu' | 'wasm';
export type InferEpChoice = InferEp | 'auto';

/** What `load` did: the execution provider that was used, why, and how long the session took to create. */
export interface InferLoad {
  readonly ep: InferEp;
  readonly reason: string;
  readonly loadMs: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /**
   * Where onnxruntime placed the graph's nodes (on WebGPU only; it may put unsupported nodes on the CPU
   * silently): nodes on WebGPU, all nodes, and the op types of those that are not. Null when unknown.
   */
  readonly placement?: Placement | null;
}

export interface InferRun {
  readonly ep: InferEp;
  readonly outputs: Readonly<Record<string, PlainTensor>>;
  readonly runMs: number;
}

/** The subset of onnxruntime-web the service needs (so tests can stub it). */
export type Ort = typeof OrtModule;

/** A model at most this big counts as "small": on a software adapter it runs faster on WASM. */
export const SMALL_MODEL_BYTES = 64 * 2 ** 20;

export interface AdapterFacts {
  readonly available: boolean;
  readonly software: boolean;
}

/** The auto choice: WASM without an adapter, or on a software adapter for a small model; else WebGPU. */
export function chooseEp(
  choice: InferEpChoice,
  adapter: AdapterFacts,
  modelBytes: number,
): { ep: InferEp; reason: string } {
  if (choice === 'webgpu') return { ep: 'webgpu', reason: 'WebGPU was requested.' };
  if (choice === 'wasm') return { ep: 'wasm', reason: 'WASM was requested.' };
  if (!adapter.available) return { ep: 'wasm', reason: 'auto: no WebGPU adapter here, so WASM.' };
  if (adapter.software && modelBytes <= SMALL_MODEL_BYTES) {
    return {
      ep: 'wasm',
      reason: 'auto: the WebGPU adapter is a software fallback and the model is small, so WASM is faster.',
    };
  }
  return {
    ep: 'webgpu',
    reason: adapter.software ? 'auto: large model, so WebGPU.' : 'auto: a hardware WebGPU adapter.',
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export interface InferLoadOptions {
  /**
   * Learn where onnxruntime placed the nodes (WebGPU only; default true). It needs a verbose session log, and
   * onnxruntime's WebGPU EP then writes a log line per kernel on every run (kept off the console, not free:
   * ≈ 11 ms of a ≈ 175 ms Silero VAD run on SwiftShader, measured once on a busy machine), so latency
   * measurements pass false.
   */
  readonly placement?: boolean;
}

export interface InferService {
  load(modelId: string, ep: InferEpChoice, options?: InferLoadOptions): Promise<InferLoad>;
  run(inputs: Readonly<Record<string, PlainTensor>>): Promise<InferRun>;
  release(): Promise<void>;
}

export function createInferService(
  db: Promise<IDBPDatabase<WorkbenchDB>>,
  loadOrt: (ep: InferEp) => Promise<Ort>,
  adapterFacts: () => Promise<AdapterFacts>,
  logTap: () => OrtLogTap = () => tapOrtLog(),
): InferService {
  let session: InferenceSession | null = null;
  let sessionEp: InferEp | null = null;
  let sessionOrt: Ort | null = null;
  const ortP = new Map<InferEp, Promise<Ort>>();
  let tap: OrtLogTap | null = null;

  const ort = (ep: InferEp): Promise<Ort> => {
    let p = ortP.get(ep);
    if (p === undefined) {
      // Before a WASM module starts (on its first session): it binds console.error then.
      tap ??= logTap();
      p = loadOrt(ep).then((o) => {
        // The threaded build would start its pthread workers from its own script URL, which is this bundled
        // worker chunk here; one thread keeps it simple and CSP-safe.
        o.env.wasm.numThreads = 1;
        o.env.wasm.proxy = false;
        return o;
      });
      ortP.set(ep, p);
    }
    return p;
  };

  /** A session on `ep` (its own onnxruntime-web build), with the node placement read from its log on WebGPU. */
  const createOn = async (
    ep: InferEp,
    bytes: Uint8Array,
    options: InferLoadOptions,
  ): Promise<{ session: InferenceSession; placement: Placement | null; o: Ort }> => {
    const o = await ort(ep);
    // On WebGPU the session logs verbosely, so that its node placements can be read from the log.
    const verbose = ep === 'webgpu' && tap !== null && options.placement !== false;
    const create = (): Promise<InferenceSession> =>
      o.InferenceSession.create(bytes, {
        executionProviders: ep === 'webgpu' ? [{ name: 'webgpu', preferredLayout: 'NCHW' }] : ['wasm'],
        graphOptimizationLevel: 'all',
        ...(verbose ? { logSeverityLevel: 0 as const, logVerbosityLevel: 0 } : {}),
      });
    try {
      if (verbose && tap !== null) {
        const { value, lines } = await tap.capture(create);
        return { session: value, placement: parsePlacement(lines), o };
      }
      return { session: await create(), placement: null, o };
    } catch (e) {
      throw new WorkbenchError(
        'MODEL_REJECTED',
        `onnxruntime-web could not load the model on ${ep}: ${message(e)}`,
      );
    }
  };

  const release = async (): Promise<void> => {
    const s = session;
    session = null;
    sessionEp = null;
    sessionOrt = null;
    if (s !== null) await s.release().catch(() => undefined);
  };

  return {
    async load(modelId, choice, options = {}) {
      await release();
      const bytes = await new ModelRepo(await db).getBytes(modelId);
      if (bytes === undefined) throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
      if (bytes.byteLength > MAX_MODEL_BYTES) {
        throw new WorkbenchError('MODEL_REJECTED', 'The model is larger than 512 MiB.');
      }
      const facts = choice === 'auto' ? await adapterFacts() : { available: true, software: false };
      const chosen = chooseEp(choice, facts, bytes.byteLength);
      const t0 = performance.now();
      let ep = chosen.ep;
      let reason = chosen.reason;
      let loaded: { session: InferenceSession; placement: Placement | null; o: Ort };
      try {
        loaded = await createOn(ep, bytes, options);
      } catch (e) {
        if (choice !== 'auto' || ep !== 'webgpu') throw e;
        // The WebGPU build lacks some CPU kernels (string Equal, for one); the WASM build has them.
        ep = 'wasm';
        reason = `auto: onnxruntime-web's WebGPU build could not load this model (${e instanceof WorkbenchError ? e.message : message(e)}), so WASM.`;
        loaded = await createOn(ep, bytes, options);
      }
      session = loaded.session;
      sessionEp = ep;
      sessionOrt = loaded.o;
      return {
        ep,
        reason,
        loadMs: performance.now() - t0,
        inputNames: [...loaded.session.inputNames],
        outputNames: [...loaded.session.outputNames],
        placement: loaded.placement,
      };
    },

    async run(inputs) {
      if (session === null || sessionEp === null || sessionOrt === null) {
        throw new WorkbenchError('INVALID_INPUT', 'No model is loaded; call load() first.');
      }
      const o = sessionOrt;
      const feeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) {
        if (elementCount(t.dims) !== t.data.length) {
          throw new WorkbenchError(
            'INVALID_INPUT',
            `Input “${name}” has ${t.data.length} values but its shape [${t.dims.join(', ')}] needs ${elementCount(t.dims)}.`,
          );
        }
        try {
          feeds[name] = new o.Tensor(t.type, t.data, [...t.dims]);
        } catch (e) {
          throw new WorkbenchError('INVALID_INPUT', `Input “${name}” is not a valid tensor: ${message(e)}`);
        }
      }
      const t0 = performance.now();
      const outputs: Record<string, PlainTensor> = {};
      try {
        let results: InferenceSession.OnnxValueMapType;
        try {
          results = await session.run(feeds);
        } catch (e) {
          throw new WorkbenchError(
            'MODEL_REJECTED',
            `onnxruntime-web failed to run the model: ${message(e)}`,
          );
        }
        for (const [name, tensor] of Object.entries(results)) {
          if (!isInferElemType(tensor.type)) {
            throw new WorkbenchError(
              'MODEL_REJECTED',
              `Output “${name}” has type ${tensor.type}, not supported here.`,
            );
          }
          let data: PlainTensor['data'];
          try {
            data = (await tensor.getData(true)) as PlainTensor['data'];
          } catch (e) {
            throw new WorkbenchError(
              'MODEL_REJECTED',
              `onnxruntime-web could not read output “${name}”: ${message(e)}`,
            );
          }
          outputs[name] = { type: tensor.type, dims: [...tensor.dims], data };
        }
      } finally {
        for (const t of Object.values(feeds)) t.dispose();
      }
      const runMs = performance.now() - t0;
      return { ep: sessionEp, outputs, runMs };
    },

    release,
  };
}
