import { expose } from 'comlink';
import type { InferApi } from '../src/bridge/contracts';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import { openWorkbenchDb } from '../src/db/open';
import { createBatchService } from '../src/engine/infer/batch';
import { createInferService, type InferEp } from '../src/engine/infer/inferApi';
import { createLatencyService } from '../src/engine/infer/latencyService';
import { createStreamService } from '../src/engine/infer/streamService';
import { logSingleInputs } from '../src/engine/monitor/logSingle';

installErrorTransfer();
const db = openWorkbenchDb();
db.catch(() => undefined); // reported by the calls that need it

/** Whether there is a WebGPU adapter, and whether it is a software fallback (SwiftShader...). */
async function adapterFacts(): Promise<{ available: boolean; software: boolean }> {
  const adapter = await self.navigator.gpu?.requestAdapter().catch(() => null);
  if (adapter === null || adapter === undefined) return { available: false, software: true };
  return {
    available: true,
    software: adapter.info.isFallbackAdapter || adapter.info.architecture === 'swiftshader',
  };
}

// onnxruntime-web is loaded here only, on first load(), one build per provider: the WebGPU build for WebGPU,
// and the plain WASM build for WASM (the WebGPU build's CPU kernels lack some types, e.g. string Equal, which
// models exported with categorical inputs need).
const loadOrt = (ep: InferEp) =>
  ep === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
const core = createInferService(db, loadOrt, adapterFacts);
// Further services (batch, streaming, latency…) build on `core` and are spread in here.
expose({
  ...core,
  logInputs: async (modelId, inputNames, feeds, outputs) =>
    logSingleInputs(await db, modelId, inputNames, feeds, outputs),
  ...createBatchService(core, db),
  ...createStreamService(core, db),
  ...createLatencyService(core, db, loadOrt),
} satisfies InferApi);
