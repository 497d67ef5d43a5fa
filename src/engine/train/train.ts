import type { LoadedDataset } from '../preprocess/load';
import type { RunRecord, TrainEvent } from './run';
import type { TrainConfig } from './spec';

/** Pause and cancel, checked by the training loop between batches. */
export interface RunControl {
  readonly cancelled: boolean;
  /** Whether the run is paused now (the loop reports 'paused' / 'running' state changes from it). */
  readonly paused?: boolean;
  /** Resolves at once when running; when paused, once resumed (or cancelled). */
  waitWhilePaused(): Promise<void>;
}

/** Where training runs: how to reach the WASM binaries, and what the GPU is. */
export interface TrainEnv {
  /** File name → URL (browser) or path (Node) of tfjs-backend-wasm's .wasm files. */
  readonly wasmPaths: Readonly<Record<string, string>>;
  /** The WebGPU adapter is a software fallback (SwiftShader...): 'auto' then prefers WASM for small models. */
  readonly softwareAdapter: boolean;
}

/** A trained model's weights, in layer order (plain arrays, for IndexedDB and export). */
export interface WeightTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A finished run and its weights. */
export interface TrainOutcome {
  readonly record: RunRecord;
  readonly weights: readonly WeightTensor[];
}

/** Trains `config.model` on a dataset snapshot (prepared or not); see trainer.ts. */
export type TrainModel = (
  data: LoadedDataset,
  config: TrainConfig,
  env: TrainEnv,
  hooks: { readonly onEvent: (e: TrainEvent) => void; readonly control: RunControl; readonly runId: string },
) => Promise<TrainOutcome>;
