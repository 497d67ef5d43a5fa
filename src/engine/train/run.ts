import type { TaskKind, TrainBackend, TrainConfig } from './spec';

/** One epoch's metrics (metric: accuracy for classification, MAE for regression). */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainMetric: number;
  /** Null when the dataset has no validation rows. */
  readonly valLoss: number | null;
  readonly valMetric: number | null;
  readonly samplesPerSec: number;
  readonly msPerStep: number;
}

/** A batch's loss, with an exponential moving average for the live chart. */
export interface BatchPoint {
  readonly step: number;
  readonly loss: number;
  readonly smoothed: number;
}

/** Per-class figures on the test split. */
export interface ClassFigures {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** A misclassified test row: its position in the dataset (stored order) and the labels. */
export interface Miss {
  readonly row: number;
  readonly actual: string;
  readonly predicted: string;
}

export interface ClassificationEval {
  readonly kind: 'classification';
  readonly testRows: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perClass: readonly ClassFigures[];
  /** Always predicting the most frequent training class. */
  readonly baseline: { readonly label: string; readonly accuracy: number };
  /** confusion[actual][predicted] counts, classes in `classes` order. */
  readonly confusion: readonly (readonly number[])[];
  /** Misclassified test rows (at most 500). */
  readonly misses: readonly Miss[];
}

export interface RegressionEval {
  readonly kind: 'regression';
  readonly testRows: number;
  readonly mae: number;
  readonly rmse: number;
  readonly r2: number;
  /** Always predicting the training mean. */
  readonly baseline: { readonly mean: number; readonly rmse: number };
  /** (predicted, actual) pairs of up to 1000 test rows for the residual plot. */
  readonly residuals: readonly { readonly predicted: number; readonly actual: number }[];
}

export type Evaluation = ClassificationEval | RegressionEval;

/** Everything a finished (or stopped) run records. Weights are stored beside it. */
export interface RunRecord {
  readonly id: string;
  readonly name: string;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly config: TrainConfig;
  readonly task: TaskKind;
  /** The backend that actually ran (after any fallback), and why it is not the one asked for. */
  readonly backend: TrainBackend;
  readonly fallbackReason: string | null;
  readonly features: readonly string[];
  /** Class labels by output index (classification). */
  readonly classes: readonly string[];
  /** Why columns were left out, and other things the user should know. */
  readonly notices: readonly string[];
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  readonly history: readonly EpochRecord[];
  /** Training loss of the first (up to 100) batches, in order: backends are compared on these. */
  readonly firstSteps: readonly number[];
  readonly status: 'completed' | 'early-stopped' | 'cancelled' | 'failed';
  readonly evaluation: Evaluation | null;
  readonly parameters: number;
  readonly createdAt: number;
  readonly durationMs: number;
}

/** What the worker tells the page while a run goes on (batched: a few messages per second at most). */
export type TrainEvent =
  | {
      readonly type: 'started';
      readonly runId: string;
      readonly backend: TrainBackend;
      readonly fallbackReason: string | null;
      readonly task: TaskKind;
      readonly features: readonly string[];
      readonly classes: readonly string[];
      readonly notices: readonly string[];
      readonly rows: RunRecord['rows'];
      readonly parameters: number;
      readonly stepsPerEpoch: number;
    }
  | {
      readonly type: 'batches';
      readonly epoch: number;
      readonly points: readonly BatchPoint[];
      readonly samplesPerSec: number;
      readonly msPerStep: number;
      /** Bytes of tensors the backend holds (tf.memory().numBytes). */
      readonly memoryBytes: number;
    }
  | { readonly type: 'epoch'; readonly record: EpochRecord }
  | { readonly type: 'state'; readonly state: 'running' | 'paused' | 'evaluating' };
