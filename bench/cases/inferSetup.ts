/**
 * Shared setup of the inference rows: a model stored in IndexedDB as the app stores an import, the app's
 * inference worker (counted, inferWorker.ts) with the model loaded through its API, the same model in a bare
 * onnxruntime-web session in the page, and one set of inputs for all of them.
 */
import { wrap, type Remote } from 'comlink';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { InferApi } from '../../src/bridge/contracts';
import { installErrorTransfer } from '../../src/bridge/errorTransfer';
import { ModelRepo } from '../../src/db/models.repo';
import { openWorkbenchDb } from '../../src/db/open';
import { inspectOnnx, type ModelMeta } from '../../src/engine/deploy/inspect';
import type { InferEp } from '../../src/engine/infer/inferApi';
import { randomFeeds } from '../../src/engine/infer/latency';
import type { PlainTensor } from '../../src/engine/infer/tensors';
import gemmUrl from '../../test/fixtures/onnx/gemm_all_attributes.onnx?url';
import sileroUrl from '../../test/fixtures/onnx/silero_vad_v5.onnx?url';
import { countBuffers, type ByteCount } from './inferBytes';

/** `?inferModel=`: Silero VAD v5 (one 512-sample frame + 64 of context, state, sr) or the tiny Gemm case. */
export const INFER_MODELS = ['silero', 'gemm'] as const;
export type InferModel = (typeof INFER_MODELS)[number];

export function inferModelParam(params: URLSearchParams): InferModel {
  const m = params.get('inferModel') ?? 'silero';
  if (!(INFER_MODELS as readonly string[]).includes(m)) {
    throw new Error(`inferModel=${m}: expected one of ${INFER_MODELS.join(', ')}`);
  }
  return m as InferModel;
}

/** Running totals of bytes each way: page → worker counted here, worker → page reported by the worker. */
export interface Traffic {
  toWorker: ByteCount;
  toPage: ByteCount;
}

export interface InferBench {
  readonly ep: InferEp;
  readonly model: InferModel;
  readonly modelId: string;
  readonly worker: Worker;
  readonly api: Remote<InferApi>;
  readonly feeds: Record<string, PlainTensor>;
  readonly page: { readonly session: InferenceSession; readonly feeds: Record<string, Tensor> };
  readonly traffic: Traffic;
}

function feedsFor(model: InferModel, meta: ModelMeta): Record<string, PlainTensor> {
  if (model === 'gemm') return randomFeeds(meta.inspection.inputs, {}, 42);
  const feeds = randomFeeds(meta.inspection.inputs, { input: [1, 576], state: [2, 1, 128], sr: [] }, 42);
  feeds.sr = { type: 'int64', dims: [], data: BigInt64Array.of(16_000n) };
  feeds.state = { type: 'float32', dims: [2, 1, 128], data: new Float32Array(256) };
  return feeds;
}

const ortPage = async () => {
  const ort = await import('onnxruntime-web/webgpu');
  ort.env.wasm.numThreads = 1; // as in the app's worker, so both sides run one WASM thread
  ort.env.wasm.proxy = false;
  return ort;
};

/** Stores the model, starts the counted worker, loads the model there and in the page on `ep`. */
export async function setupInfer(ep: InferEp, model: InferModel): Promise<InferBench> {
  const bytes = new Uint8Array(await (await fetch(model === 'gemm' ? gemmUrl : sileroUrl)).arrayBuffer());
  const meta: ModelMeta = {
    id: `bench-${model}-${ep}-${Date.now()}`,
    name: `${model}.onnx`,
    bytes: bytes.byteLength,
    createdAt: Date.now(),
    source: 'file',
    inspection: inspectOnnx(bytes),
  };
  const db = await openWorkbenchDb();
  await new ModelRepo(db).putModel(meta, bytes);
  db.close();
  installErrorTransfer();
  const worker = new Worker(new URL('./inferWorker.ts', import.meta.url), { type: 'module', name: 'infer' });
  const traffic: Traffic = { toWorker: { cloned: 0, transferred: 0 }, toPage: { cloned: 0, transferred: 0 } };
  const post = worker.postMessage.bind(worker);
  worker.postMessage = ((message: unknown, transfer?: Transferable[] | StructuredSerializeOptions) => {
    const list = Array.isArray(transfer) ? transfer : (transfer?.transfer ?? []);
    const n = countBuffers(message, list);
    traffic.toWorker = {
      cloned: traffic.toWorker.cloned + n.cloned,
      transferred: traffic.toWorker.transferred + n.transferred,
    };
    post(message, list);
  }) as typeof worker.postMessage;
  worker.addEventListener('message', (e: MessageEvent<unknown>) => {
    const d = e.data as { type?: string } & Partial<ByteCount>;
    if (d?.type === 'bench-bytes')
      traffic.toPage = { cloned: d.cloned ?? 0, transferred: d.transferred ?? 0 };
  });
  const api = wrap<InferApi>(worker);
  const loaded = await api.load(meta.id, ep);
  if (loaded.ep !== ep) throw new Error(`the worker loaded ${loaded.ep}, not ${ep}`);
  const feeds = feedsFor(model, meta);
  const ort = await ortPage();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ep === 'webgpu' ? [{ name: 'webgpu', preferredLayout: 'NCHW' }] : ['wasm'],
    graphOptimizationLevel: 'all',
  });
  const pageFeeds: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) {
    pageFeeds[k] = new ort.Tensor(v.type as 'float32', v.data as Float32Array, [...v.dims]);
  }
  return { ep, model, modelId: meta.id, worker, api, feeds, page: { session, feeds: pageFeeds }, traffic };
}

/** One bare run in the page: session.run and every output's data read. */
export async function pageRun(b: InferBench): Promise<Record<string, number[]>> {
  const out = await b.page.session.run(b.page.feeds);
  const values: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(out)) values[k] = Array.from(await t.getData(), Number);
  return values;
}

/** One run through the app's worker API (inputs cloned as the app sends them), outputs as numbers. */
export async function appRun(b: InferBench): Promise<Record<string, number[]>> {
  const r = await b.api.run(b.feeds);
  const values: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(r.outputs)) values[k] = Array.from(t.data as ArrayLike<number>, Number);
  return values;
}

/** Throws unless both sides give the same outputs within 1e-4 (absolute). */
export function checkSame(a: Record<string, number[]>, b: Record<string, number[]>): void {
  for (const [k, xs] of Object.entries(a)) {
    const ys = b[k];
    if (ys === undefined || ys.length !== xs.length) throw new Error(`output ${k} differs in size`);
    const worst = Math.max(0, ...xs.map((x, i) => Math.abs(x - ys[i]!)));
    if (!(worst <= 1e-4)) throw new Error(`output ${k} differs by ${worst}`);
  }
}

/** Frees both sessions, stops the worker and deletes the stored model. */
export async function teardownInfer(b: InferBench): Promise<void> {
  await b.api.release().catch(() => undefined);
  b.worker.terminate();
  await b.page.session.release().catch(() => undefined);
  const db = await openWorkbenchDb();
  await new ModelRepo(db).deleteModel(b.modelId);
  db.close();
}
