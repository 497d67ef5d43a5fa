/**
 * Test-split metrics, as pure functions over plain arrays (no tfjs): accuracy, per-class precision / recall /
 * F1, macro-F1, the confusion matrix and a majority-class baseline for classification; MAE, RMSE, R² and a
 * training-mean baseline for regression.
 */
import type { ClassFigures, ClassificationEval, Miss, RegressionEval } from './run';

/** At most this many misclassified rows are kept. */
export const MAX_MISSES = 500;
/** At most this many (predicted, actual) pairs are kept for the residual plot. */
export const MAX_RESIDUALS = 1000;

/** Fraction of equal entries (0 for empty input). */
export function accuracy(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (actual.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) right++;
  return right / actual.length;
}

/** confusion[actual][predicted] counts over class indices 0..k−1. */
export function confusionMatrix(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k: number,
): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}

/**
 * Precision, recall and F1 per class from a confusion matrix. A class never predicted has precision 0, one
 * never present has recall 0, and F1 is 0 when both are (scikit-learn's zero_division=0).
 */
export function perClassFigures(
  confusion: readonly (readonly number[])[],
  classes: readonly string[],
): ClassFigures[] {
  return classes.map((label, c) => {
    const row = confusion[c] ?? [];
    const tp = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + (r[c] ?? 0), 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}

/**
 * Mean F1 over the classes that occur in the test rows or in the predictions (scikit-learn's macro average
 * over the labels seen), so a class absent from both does not pull the mean down.
 */
export function macroF1(confusion: readonly (readonly number[])[], figures: readonly ClassFigures[]): number {
  const seen = figures.filter((f, c) => f.support > 0 || confusion.some((r) => (r[c] ?? 0) > 0));
  return seen.length === 0 ? 0 : seen.reduce((a, f) => a + f.f1, 0) / seen.length;
}

/** The most frequent class among the training labels (ties: the lower index). */
export function majorityClass(trainLabels: ArrayLike<number>, k: number): number {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < trainLabels.length; i++) counts[trainLabels[i]!]!++;
  let best = 0;
  counts.forEach((n, c) => {
    if (n > counts[best]!) best = c;
  });
  return best;
}

/**
 * Everything the run records about a classifier on the test rows. Labels are class indices into `classes`;
 * `rows` gives each test row's position in the dataset, for the misses.
 */
export function classificationEval(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: readonly string[],
  trainLabels: ArrayLike<number>,
  rows: ArrayLike<number>,
): ClassificationEval {
  const k = classes.length;
  const confusion = confusionMatrix(actual, predicted, k);
  const perClass = perClassFigures(confusion, classes);
  const majority = majorityClass(trainLabels, k);
  let hits = 0;
  const misses: Miss[] = [];
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] === majority) hits++;
    if (actual[i] !== predicted[i] && misses.length < MAX_MISSES) {
      misses.push({ row: rows[i]!, actual: classes[actual[i]!]!, predicted: classes[predicted[i]!]! });
    }
  }
  return {
    kind: 'classification',
    testRows: actual.length,
    accuracy: accuracy(actual, predicted),
    macroF1: macroF1(confusion, perClass),
    perClass,
    baseline: { label: classes[majority] ?? '', accuracy: actual.length === 0 ? 0 : hits / actual.length },
    confusion,
    misses,
  };
}

/** Root mean squared difference between `actual` and a constant or per-row prediction. */
function rmseOf(actual: ArrayLike<number>, predict: (i: number) => number): number {
  if (actual.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predict(i)) ** 2;
  return Math.sqrt(s / actual.length);
}

/**
 * Regression figures on the test rows. R² = 1 − SS_res / SS_tot around the test mean; when every test target
 * is the same (SS_tot = 0) it is 1 for a perfect fit, else 0. The residual sample takes evenly spaced rows.
 */
export function regressionEval(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  trainMean: number,
): RegressionEval {
  const n = actual.length;
  let abs = 0;
  let ssRes = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]! / n;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const e = actual[i]! - predicted[i]!;
    abs += Math.abs(e);
    ssRes += e * e;
    ssTot += (actual[i]! - mean) ** 2;
  }
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  const residuals: { predicted: number; actual: number }[] = [];
  const every = Math.max(1, Math.ceil(n / MAX_RESIDUALS));
  for (let i = 0; i < n && residuals.length < MAX_RESIDUALS; i += every) {
    residuals.push({ predicted: predicted[i]!, actual: actual[i]! });
  }
  return {
    kind: 'regression',
    testRows: n,
    mae: n === 0 ? 0 : abs / n,
    rmse: n === 0 ? 0 : Math.sqrt(ssRes / n),
    r2,
    baseline: { mean: trainMean, rmse: rmseOf(actual, () => trainMean) },
    residuals,
  };
}

/** Class index per row from model outputs: p > 0.5 for one sigmoid output, else the arg-max. */
export function predictedClasses(outputs: ArrayLike<number>, rows: number, units: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (units === 1) {
      out[r] = outputs[r]! > 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < units; c++) if (outputs[r * units + c]! > outputs[r * units + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Mean log loss of model outputs `out` (rows × units: class probabilities, or one sigmoid output for two
 * classes) against class indices, probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn does.
 */
export function logLoss(actual: ArrayLike<number>, out: ArrayLike<number>, units: number): number {
  const n = actual.length;
  if (n === 0) return 0;
  const clip = (p: number): number => Math.min(1 - 1e-15, Math.max(1e-15, p));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const p = units === 1 ? (a === 1 ? out[i]! : 1 - out[i]!) : out[i * units + a]!;
    sum -= Math.log(clip(p));
  }
  return sum / n;
}
