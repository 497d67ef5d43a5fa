import { expose } from 'comlink';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { TrainApi } from '../src/bridge/contracts';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import { openWorkbenchDb } from '../src/db/open';
import { createTrainApi } from '../src/engine/train/trainApi';

installErrorTransfer();
const db = openWorkbenchDb();
db.catch(() => undefined); // reported by the calls that need it

/** Whether WebGPU here is a software fallback (SwiftShader...): then small models train faster on WASM. */
async function softwareAdapter(): Promise<boolean> {
  const adapter = await self.navigator.gpu?.requestAdapter().catch(() => null);
  if (adapter === null || adapter === undefined) return true;
  return adapter.info.isFallbackAdapter || adapter.info.architecture === 'swiftshader';
}

const api = createTrainApi(
  db,
  async () => (await import('../src/engine/train/trainer')).trainModel,
  async () => ({
    wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd },
    softwareAdapter: await softwareAdapter(),
  }),
);

expose(api satisfies TrainApi);
