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

/**
 * ROC and precision–recall curves of a binary classifier, from the test-split probability of the positive
 * class (classes[1]). A curve point k counts the rows with p ≥ thresholds[k] as positive (scikit-learn's
 * convention); thresholds descend, so FPR and recall never decrease along the arrays. Points are capped at
 * MAX_CURVE_POINTS (the highest and lowest thresholds always kept); AUC and AP use every distinct threshold.
 */
export interface BinaryCurves {
  /** The positive class (classes[1]). */
  readonly positive: string;
  /** Test rows of the positive / the negative class. */
  readonly positives: number;
  readonly negatives: number;
  readonly thresholds: readonly number[];
  /** True and false positives at each threshold (TN = negatives − fp, FN = positives − tp). */
  readonly tp: readonly number[];
  readonly fp: readonly number[];
  /** Area under the ROC curve (trapezoid, from (0, 0)). */
  readonly auc: number;
  /** Average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over the thresholds. */
  readonly averagePrecision: number;
  /**
   * Counts for the threshold slider: at t = i / (tp.length − 1) (0, 0.01, …, 1), rows with p > t are
   * predicted positive, the model's own rule (p > 0.5), so t = 0.5 gives the confusion matrix.
   */
  readonly grid: { readonly tp: readonly number[]; readonly fp: readonly number[] };
}

/** Permutation importance of one feature: the mean (and spread over repeats) of the error's rise. */
export interface FeatureImportance {
  readonly feature: string;
  readonly mean: number;
  readonly std: number;
}

/** One axis of a decision-boundary grid: a feature and the range the grid spans. */
export interface BoundaryAxis {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

/**
 * The classes a two-feature classifier predicts over a size × size grid (as TensorFlow Playground shows).
 * Cell (i, j) is centred at x = min + (i + ½)·(max − min)/size (same for y) and stored at j·size + i, so
 * row j = 0 is the lowest y.
 */
export interface DecisionBoundary {
  readonly x: BoundaryAxis;
  readonly y: BoundaryAxis;
  readonly size: number;
  /** Predicted class index per cell. */
  readonly classes: readonly number[];
  /** The predicted class's probability per cell (2 decimals), for shading. */
  readonly confidence: readonly number[];
  /** A sample of the test rows (at most 300): feature values and the actual class index. */
  readonly points: readonly { readonly x: number; readonly y: number; readonly label: number }[];
}

/** Extra test-split analyses (optional: older runs, and models they do not apply to, lack them). */
interface EvalExtras {
  /** Permutation importance, highest first (tabular models). */
  readonly importance?: readonly FeatureImportance[];
  /** Test rows the importance was measured on (a spread-out subset when the test split is large). */
  readonly importanceRows?: number;
  /** What was not computed for this run, and why (e.g. no importance for an image model). */
  readonly skipped?: readonly string[];
}

export interface ClassificationEval extends EvalExtras {
  readonly kind: 'classification';
  readonly testRows: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** Mean cross-entropy of the predicted probabilities (clipped to [1e-15, 1 − 1e-15]); absent on older runs. */
  readonly logLoss?: number;
  readonly perClass: readonly ClassFigures[];
  /** Always predicting the most frequent training class. */
  readonly baseline: { readonly label: string; readonly accuracy: number };
  /** confusion[actual][predicted] counts, classes in `classes` order. */
  readonly confusion: readonly (readonly number[])[];
  /** Misclassified test rows (at most 500). */
  readonly misses: readonly Miss[];
  /** ROC and precision–recall curves (binary classification). */
  readonly curves?: BinaryCurves;
  /** The decision boundary (classifiers with exactly two tabular features). */
  readonly boundary?: DecisionBoundary;
}

export interface RegressionEval extends EvalExtras {
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

/**
 * A training-row distribution, the reference for later drift checks: a histogram with `counts.length` equal
 * bins over [lo, hi] (the training min and max; every value in bin 0 when lo = hi), the count, mean and
 * population std. Values are the model's inputs: raw tabular features; for an image, every pixel of one
 * channel (`channel` set), scaled to [0, 1] when stored as 0–255.
 */
export interface ReferenceDistribution {
  readonly feature: string;
  readonly channel?: number;
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
  readonly n: number;
  readonly mean: number;
  readonly std: number;
}

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
  /** Per-feature (or, for an image, per-channel) training distributions, for drift checks. */
  readonly reference?: readonly ReferenceDistribution[];
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
