/**
 * Reference distributions of the training rows, kept with a run for drift checks later: per tabular feature,
 * or per image channel over every pixel, a histogram between the training min and max, the count, mean and
 * population std. Pure.
 */
import type { ReferenceDistribution } from './run';

/** Histogram bins per feature. */
export const REFERENCE_BINS = 20;

/**
 * The distribution of the values x[start], x[start + stride], … (a column of a row-major matrix, or one
 * channel of interleaved pixels).
 */
export function distributionOf(
  feature: string,
  x: Float32Array,
  start: number,
  stride: number,
  bins = REFERENCE_BINS,
): ReferenceDistribution {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = start; i < x.length; i += stride) {
    const v = x[i]!;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
    sum += v;
    n++;
  }
  const counts = new Array<number>(bins).fill(0);
  if (n === 0) return { feature, lo: 0, hi: 0, counts, n: 0, mean: 0, std: 0 };
  const mean = sum / n;
  let s2 = 0;
  const scale = hi > lo ? bins / (hi - lo) : 0;
  for (let i = start; i < x.length; i += stride) {
    const v = x[i]!;
    s2 += (v - mean) ** 2;
    counts[Math.min(bins - 1, Math.floor((v - lo) * scale))]!++;
  }
  return { feature, lo, hi, counts, n, mean, std: Math.sqrt(s2 / n) };
}

/**
 * Reference distributions of the training matrix (rows × width): one per tabular feature, or, for an image
 * of shape (h, w, c), one per channel (named "<column> channel k", `channel` set).
 */
export function referenceOf(
  x: Float32Array,
  width: number,
  features: readonly string[],
  image: readonly [number, number, number] | null,
): ReferenceDistribution[] {
  if (image !== null) {
    const channels = image[2];
    return Array.from({ length: channels }, (_, c) => ({
      ...distributionOf(`${features[0] ?? 'image'} channel ${c}`, x, c, channels),
      channel: c,
    }));
  }
  return features.map((f, j) => distributionOf(f, x, j, width));
}
