/**
 * Drift statistics, the CPU reference (float64 arithmetic; binning in f32 exactly as the GPU kernel does it):
 * population stability index over the reference's equal-width bins, the two-sample Kolmogorov–Smirnov
 * statistic (exact on values, or between binned CDFs when only the reference histogram is left), its
 * asymptotic p-value, and the Benjamini–Hochberg correction across features. Pure. See docs/drift.md.
 */
import { binOf, binParams } from '../data/histogram.ref';

/** Proportion given to an empty bin in PSI (either side), so ln(p/q) stays finite. */
export const PSI_EPSILON = 1e-4;
/** PSI at or above this is a moderate shift (the common credit-scoring convention). */
export const PSI_WARN = 0.1;
/** PSI at or above this is a major shift. */
export const PSI_DRIFT = 0.25;
/** False discovery rate for the corrected KS p-values. */
export const ALPHA = 0.05;

/**
 * Counts of `values` in `bins` equal-width bins over [lo, hi], with f32 arithmetic (histogram.ref's binOf):
 * values below lo go to the first bin, values at or above hi to the last (the reference does the same with
 * its own min and max, so out-of-range values pile up at the ends and show as drift there).
 */
export function binCounts(values: Float32Array, lo: number, hi: number, bins: number): number[] {
  const [flo, scale] = binParams(lo, hi, bins);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[binOf(v, flo, scale, bins)]!++;
  return counts;
}

/** PSI = Σ (q − p) · ln(q / p) over bins, p the reference and q the current proportions, each ≥ PSI_EPSILON. */
export function psi(reference: readonly number[], current: readonly number[], epsilon = PSI_EPSILON): number {
  const n = sum(reference);
  const m = sum(current);
  if (n === 0 || m === 0) return NaN;
  let total = 0;
  for (let b = 0; b < reference.length; b++) {
    const p = Math.max(reference[b]! / n, epsilon);
    const q = Math.max((current[b] ?? 0) / m, epsilon);
    total += (q - p) * Math.log(q / p);
  }
  return total;
}

/** PSI's expected value when nothing drifted, ≈ (B − 1)(1/n + 1/m) (its χ² approximation): small samples read high. */
export function psiNullBias(bins: number, n: number, m: number): number {
  return (bins - 1) * (1 / n + 1 / m);
}

/** Two-sample KS statistic sup |F_a − F_b| of two ascending-sorted samples (ties handled: one step per value). */
export function ksSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < n && a[i]! <= x) i++;
    while (j < m && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/** A sorted float64 copy of a sample. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** Exact two-sample KS statistic of two unsorted samples. */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return ksSorted(sortedCopy(a), sortedCopy(b));
}

/**
 * KS statistic between two histograms on the same bins: the largest CDF difference at the bin edges. It is
 * never above the exact statistic (the sup over values), so its p-value is conservative.
 */
export function ksBinned(reference: readonly number[], current: readonly number[]): number {
  const n = sum(reference);
  const m = sum(current);
  if (n === 0 || m === 0) return NaN;
  let a = 0;
  let b = 0;
  let d = 0;
  for (let k = 0; k < reference.length; k++) {
    a += reference[k]!;
    b += current[k] ?? 0;
    d = Math.max(d, Math.abs(a / n - b / m));
  }
  return d;
}

/** The Kolmogorov distribution's survival function Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²) (scipy's kstwobign.sf). */
export function kolmogorovQ(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1.18) {
    // Jacobi form, fast where the alternating series converges slowly.
    const w = Math.PI ** 2 / (8 * lambda * lambda);
    let s = 0;
    for (let k = 1; k <= 50; k += 2) s += Math.exp(-k * k * w);
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * s));
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += k % 2 === 1 ? term : -term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/**
 * Asymptotic two-sided p-value of a two-sample KS statistic d for sample sizes n and m: Q((√nₑ + 0.12 +
 * 0.11/√nₑ)·d) with nₑ = nm/(n+m) (Stephens' small-sample correction, as in Numerical Recipes).
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!Number.isFinite(d) || n === 0 || m === 0) return NaN;
  const en = Math.sqrt((n * m) / (n + m));
  return kolmogorovQ((en + 0.12 + 0.11 / en) * d);
}

/**
 * Benjamini–Hochberg adjusted p-values (same order as given; NaN stays NaN and does not count): with the k
 * finite p sorted ascending, q₍ᵢ₎ = min over j ≥ i of min(1, p₍ⱼ₎·k/j). Equals scipy's false_discovery_control.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const idx = p.map((_, i) => i).filter((i) => Number.isFinite(p[i]));
  idx.sort((x, y) => p[x]! - p[y]!);
  const k = idx.length;
  const out = p.map(() => NaN);
  let running = 1;
  for (let r = k - 1; r >= 0; r--) {
    const i = idx[r]!;
    running = Math.min(running, (p[i]! * k) / (r + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
