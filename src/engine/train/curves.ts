/**
 * ROC and precision–recall curves of a binary classifier, and the figures at a decision threshold: pure
 * functions over the test-split probabilities of the positive class and the 0/1 labels.
 */
import type { BinaryCurves } from './run';

/** At most this many points are kept per curve (the highest and lowest thresholds always). */
export const MAX_CURVE_POINTS = 200;
/** The threshold slider's steps: 0, 1/GRID_STEPS, …, 1. */
export const GRID_STEPS = 100;

/** Confusion counts and the figures that follow from them at one threshold. */
export interface ThresholdFigures {
  readonly threshold: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  /** 0 when nothing is predicted positive (scikit-learn's zero_division=0), likewise recall and F1. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly accuracy: number;
}

/** Figures from counts (precision, recall, F1 are 0 where undefined). */
export function figuresOf(
  threshold: number,
  tp: number,
  fp: number,
  positives: number,
  negatives: number,
): ThresholdFigures {
  const fn = positives - tp;
  const tn = negatives - fp;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = positives === 0 ? 0 : tp / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const n = positives + negatives;
  return { threshold, tp, fp, tn, fn, precision, recall, f1, accuracy: n === 0 ? 0 : (tp + tn) / n };
}

/**
 * The figures at threshold t (clamped to [0, 1], snapped to the slider grid): rows with p > t are predicted
 * positive.
 */
export function figuresAt(curves: BinaryCurves, t: number): ThresholdFigures {
  const steps = curves.grid.tp.length - 1;
  const i = Math.min(steps, Math.max(0, Math.round(t * steps)));
  return figuresOf(i / steps, curves.grid.tp[i]!, curves.grid.fp[i]!, curves.positives, curves.negatives);
}

/** Indices of `n` items kept when at most `max` may be: evenly spread, first and last always included. */
export function spread(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/**
 * ROC and PR curves from positive-class probabilities `p` and labels `y` (1: positive). Null when the test
 * rows hold only one class (neither curve is defined then).
 */
export function binaryCurves(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  positive: string,
  maxPoints = MAX_CURVE_POINTS,
): BinaryCurves | null {
  const n = p.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
  // One point per distinct score, after every row scoring at least that much is counted positive.
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (y[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || p[next] !== p[i]) {
      thresholds.push(p[i]!);
      tps.push(tp);
      fps.push(fp);
    }
  }
  let auc = 0;
  let ap = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  let prevRecall = 0;
  for (let k = 0; k < thresholds.length; k++) {
    const tpr = tps[k]! / positives;
    const fpr = fps[k]! / negatives;
    auc += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    ap += (tpr - prevRecall) * (tps[k]! / (tps[k]! + fps[k]!));
    prevTpr = tpr;
    prevFpr = fpr;
    prevRecall = tpr;
  }
  const keep = spread(thresholds.length, maxPoints);
  return {
    positive,
    positives,
    negatives,
    thresholds: keep.map((k) => thresholds[k]!),
    tp: keep.map((k) => tps[k]!),
    fp: keep.map((k) => fps[k]!),
    auc,
    averagePrecision: ap,
    grid: thresholdGrid(p, y),
  };
}

/** True and false positives with p > t at t = 0, 1/GRID_STEPS, …, 1. */
function thresholdGrid(p: ArrayLike<number>, y: ArrayLike<number>): BinaryCurves['grid'] {
  const tp = new Array<number>(GRID_STEPS + 1).fill(0);
  const fp = new Array<number>(GRID_STEPS + 1).fill(0);
  for (let i = 0; i < p.length; i++) {
    const counts = y[i] === 1 ? tp : fp;
    // p > s / GRID_STEPS holds for s = 0 … (the last s below p · GRID_STEPS).
    for (let s = 0; s <= GRID_STEPS && p[i]! > s / GRID_STEPS; s++) counts[s]!++;
  }
  return { tp, fp };
}
