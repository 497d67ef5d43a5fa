import { expose } from 'comlink';
import type { InferApi } from '../src/bridge/contracts';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import { openWorkbenchDb } from '../src/db/open';
import { createBatchService } from '../src/engine/infer/batch';
import { createInferService } from '../src/engine/infer/inferApi';
import { createLatencyService } from '../src/engine/infer/latencyService';
import { createStreamService } from '../src/engine/infer/streamService';

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

// onnxruntime-web (its WebGPU build, which also has the WASM EP) is loaded here only, on first load().
const core = createInferService(db, () => import('onnxruntime-web/webgpu'), adapterFacts);
// Further services (batch, streaming, latency…) build on `core` and are spread in here.
const loadOrt = () => import('onnxruntime-web/webgpu');
expose({
  ...core,
  ...createBatchService(core, db),
  ...createStreamService(core, db),
  ...createLatencyService(core, db, loadOrt),
} satisfies InferApi);
