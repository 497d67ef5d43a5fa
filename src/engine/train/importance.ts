/**
 * Permutation feature importance: how much a model's error rises when one feature's column is shuffled
 * across the test rows (breaking its link to the target while keeping its distribution). Seeded (mulberry32),
 * so a run reproduces; the model is reached only through an `error` callback.
 */
import { mulberry32 } from '../../lib/random';
import { deriveSeed } from './batching';
import type { FeatureImportance } from './run';

/** Shuffles per feature. */
export const IMPORTANCE_REPEATS = 3;
/** Importance is measured on at most this many test rows (evenly spread). */
export const MAX_IMPORTANCE_ROWS = 2000;

/**
 * A model error on row-major inputs (rows × width), lower is better: 1 − accuracy for a classifier (so the
 * importance is the drop in accuracy), RMSE for a regressor (the rise in RMSE).
 */
export type ErrorOf = (x: Float32Array, rows: number) => Promise<number>;

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * For each feature j: `repeats` times, shuffle column j of `x` and measure error(shuffled) − error(x); the
 * mean and population std of those rises. Sorted by mean, highest first (ties: feature order).
 */
export async function permutationImportance(
  x: Float32Array,
  rows: number,
  features: readonly string[],
  error: ErrorOf,
  seed: number,
  repeats = IMPORTANCE_REPEATS,
): Promise<FeatureImportance[]> {
  const width = features.length;
  const base = await error(x, rows);
  const out: FeatureImportance[] = [];
  const copy = new Float32Array(x.length);
  for (let j = 0; j < width; j++) {
    const rises: number[] = [];
    for (let r = 0; r < repeats; r++) {
      copy.set(x);
      const order = permutation(rows, deriveSeed(seed, 0x1b9, j, r));
      for (let i = 0; i < rows; i++) copy[i * width + j] = x[order[i]! * width + j]!;
      rises.push((await error(copy, rows)) - base);
    }
    const mean = rises.reduce((a, b) => a + b, 0) / repeats;
    const std = Math.sqrt(rises.reduce((a, b) => a + (b - mean) ** 2, 0) / repeats);
    out.push({ feature: features[j]!, mean, std });
  }
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => b.f.mean - a.f.mean || a.i - b.i)
    .map(({ f }) => f);
}
