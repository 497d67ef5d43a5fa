import { WorkbenchError } from '../../lib/errors';
import { mulberry32 } from '../../lib/random';
import type { SplitStep } from './recipe';

/** Row order after a split: `order[i]` is the source row stored at position i (train, validation, test). */
export interface SplitPlan {
  readonly order: Int32Array;
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** No split: every row trains, in source order. */
export function noSplit(rows: number): SplitPlan {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  return { order, train: rows, validation: 0, test: 0 };
}

/**
 * Assigns rows to train / validation / test. With `strata` (one key per row; −1 for missing, its own
 * stratum) every stratum is divided in the split's proportions. Each part's size is rounded (largest
 * remainder), the shuffle is Fisher–Yates driven by mulberry32(seed), and parts are shuffled again after
 * strata are joined so classes interleave. Same seed and data → same plan.
 */
export function planSplit(step: SplitStep, rows: number, strata: Int32Array | null): SplitPlan {
  const random = mulberry32(step.seed);
  const groups = strata === null ? [range(rows)] : groupRows(strata);
  const parts: [number[], number[], number[]] = [[], [], []];
  for (const group of groups) {
    if (step.shuffle) shuffle(group, random);
    const sizes = apportion(group.length, [step.train, step.validation, step.test]);
    let at = 0;
    sizes.forEach((size, p) => {
      for (let i = 0; i < size; i++) parts[p]!.push(group[at++]!);
    });
  }
  if (step.shuffle && strata !== null) for (const part of parts) shuffle(part, random);
  if (parts[0].length === 0) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `A ${Math.round(step.train * 100)}% training split of ${rows} rows is empty`,
    );
  }
  const order = Int32Array.from([...parts[0], ...parts[1], ...parts[2]]);
  return { order, train: parts[0].length, validation: parts[1].length, test: parts[2].length };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function groupRows(strata: Int32Array): number[][] {
  const byKey = new Map<number, number[]>();
  strata.forEach((key, row) => {
    const g = byKey.get(key);
    if (g === undefined) byKey.set(key, [row]);
    else g.push(row);
  });
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => rows);
}

function shuffle(a: number[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

/** Sizes proportional to `fractions` that add up to n (largest remainder; ties to the earlier part). */
export function apportion(n: number, fractions: readonly number[]): number[] {
  const exact = fractions.map((f) => f * n);
  const sizes = exact.map(Math.floor);
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    if (fractions[i]! > 0) {
      sizes[i]!++;
      left--;
    }
  }
  return sizes;
}
