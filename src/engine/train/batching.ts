/**
 * Which rows train, validate and test, and the seeded order training visits them in. Pure and
 * deterministic: mulberry32 everywhere, never Math.random.
 */
import { mulberry32 } from '../../lib/random';
import type { DatasetMeta } from '../data/dataset';
import { planSplit } from '../preprocess/split';

/** Dataset row indices of each part (stored order within a part for a stored split, shuffled otherwise). */
export interface RowSplit {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
  /** Set when the split was made here rather than read from the dataset. */
  readonly notice: string | null;
}

/** Fractions of the split made when a dataset has none. */
export const AUTO_SPLIT = { train: 0.7, validation: 0.15, test: 0.15 } as const;

/**
 * Assigns the usable rows (ascending dataset row indices) to train / validation / test. A dataset written by
 * a recipe's split step stores its rows train first, then validation, then test: those ranges are used.
 * Otherwise a seeded 70/15/15 split is made, stratified by `strata` (one key per usable row) when given.
 */
export function splitRows(
  usable: Int32Array,
  meta: DatasetMeta,
  strata: Int32Array | null,
  seed: number,
): RowSplit {
  const stored = meta.split;
  if (stored !== undefined && stored.train + stored.validation + stored.test === meta.rows) {
    const a = stored.train;
    const b = a + stored.validation;
    return {
      train: usable.filter((r) => r < a),
      validation: usable.filter((r) => r >= a && r < b),
      test: usable.filter((r) => r >= b),
      notice: null,
    };
  }
  const plan = planSplit(
    { id: 'train-auto-split', kind: 'split', ...AUTO_SPLIT, seed, shuffle: true, stratify: null },
    usable.length,
    strata,
  );
  const pick = (from: number, to: number): Int32Array =>
    Int32Array.from(plan.order.subarray(from, to), (i) => usable[i]!);
  const v = plan.train + plan.validation;
  return {
    train: pick(0, plan.train),
    validation: pick(plan.train, v),
    test: pick(v, plan.order.length),
    notice:
      `The dataset has no train/validation/test split: a seeded ${strata ? 'stratified ' : ''}70/15/15 ` +
      `split (seed ${seed}) was made. Add a split step in Preprocess to choose your own.`,
  };
}

/** A 32-bit seed derived from a base seed and any number of integers (e.g. epoch, layer, step). */
export function deriveSeed(seed: number, ...parts: readonly number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** The order of the n training rows (positions 0..n−1) in an epoch: Fisher–Yates driven by mulberry32. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = mulberry32(deriveSeed(seed, 0xe90c, epoch));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
