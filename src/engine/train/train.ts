import type { LoadedDataset } from '../preprocess/load';
import type { EpochRecord, RunRecord, TrainEvent } from './run';
import type { TrainBackend, TrainConfig } from './spec';

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
  hooks: {
    readonly onEvent: (e: TrainEvent) => void;
    readonly control: RunControl;
    readonly runId: string;
    /** Carry on from this checkpoint (its runId is `runId`) instead of starting afresh. */
    readonly resume?: Checkpoint | null;
    /** Where to write a checkpoint after every epoch (none: no checkpoints). */
    readonly checkpoints?: CheckpointSink | null;
  },
) => Promise<TrainOutcome>;

/**
 * A run's state after a whole epoch, enough to carry on exactly where it stopped (after a reload or a lost
 * GPU device). The random state is (config.seed, epoch, step): batch order and dropout masks are pure
 * functions of these, so the remaining epochs replay exactly as an uninterrupted run would have run them.
 */
export interface Checkpoint {
  readonly runId: string;
  /** The run's display name ("mlp 16 · penguins"). */
  readonly name: string;
  readonly config: TrainConfig;
  readonly datasetId: string;
  /** The next epoch to run (epochs 0..epoch−1 are done and in `history`). */
  readonly epoch: number;
  /** Optimizer steps taken so far (dropout seeds are per step). */
  readonly step: number;
  readonly weights: readonly WeightTensor[];
  /** optimizer.getWeights() (iterations first, then its slots), plus Adam's β powers (names '__…'). */
  readonly optimizer: readonly WeightTensor[];
  /** Early stopping: the best validation loss so far and its weights, and epochs without improvement. */
  readonly best: { readonly loss: number; readonly weights: readonly WeightTensor[] } | null;
  readonly patience: number;
  /** Early stopping already stopped the run (the checkpoint of its last epoch). */
  readonly stopped: boolean;
  readonly history: readonly EpochRecord[];
  readonly firstSteps: readonly number[];
  /** The smoothed batch loss (chart only). */
  readonly ema: number;
  /** The backend the run was on, and why (if it is not the one asked for). */
  readonly backend: TrainBackend;
  readonly fallbackReason: string | null;
  /** Notices so far from checkpoint recoveries (device lost...). */
  readonly recoveries: readonly string[];
  /** When the run started, and the training time before this checkpoint (wall, ms). */
  readonly createdAt: number;
  readonly elapsedMs: number;
  readonly savedAt: number;
}

/** A checkpoint left by a run that did not end (page reload, crash), as the Train page lists it. */
export interface InterruptedRun {
  readonly runId: string;
  readonly name: string;
  readonly datasetId: string;
  /** Epochs done, of the run's total. */
  readonly epoch: number;
  readonly epochs: number;
  readonly backend: TrainBackend;
  readonly savedAt: number;
}

/** Where the trainer writes a run's checkpoint (one per run, replaced each epoch). */
export interface CheckpointSink {
  save(checkpoint: Checkpoint): Promise<void>;
}
