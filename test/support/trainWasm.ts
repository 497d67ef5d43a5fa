import { join } from 'node:path';
import type { TrainConfig } from '../../src/engine/train/spec';
import type { RunControl, TrainEnv } from '../../src/engine/train/train';

/** In Node, tfjs-backend-wasm reads its binaries by file path: point it at the package's dist folder. */
const WASM_DIR = join(import.meta.dirname, '../../node_modules/@tensorflow/tfjs-backend-wasm/dist');

/** The training environment for Node tests: WASM binaries by path, no software-adapter preference. */
export const NODE_TRAIN_ENV: TrainEnv = {
  wasmPaths: {
    'tfjs-backend-wasm.wasm': join(WASM_DIR, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': join(WASM_DIR, 'tfjs-backend-wasm-simd.wasm'),
  },
  softwareAdapter: false,
};

/** A control that never pauses or cancels. */
export const RUNNING: RunControl = { cancelled: false, waitWhilePaused: () => Promise.resolve() };

/** A training config on the WASM backend with the given target and model; `over` changes the rest. */
export function wasmConfig(
  target: string,
  model: TrainConfig['model'],
  over: Partial<TrainConfig> = {},
): TrainConfig {
  return {
    datasetId: 'ds',
    target,
    task: 'auto',
    model,
    loss: 'auto',
    optimizer: { kind: 'adam', learningRate: 0.01 },
    batchSize: 16,
    epochs: 40,
    earlyStopping: null,
    classWeights: 'none',
    seed: 7,
    backend: 'wasm',
    ...over,
  };
}
