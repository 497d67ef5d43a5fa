/**
 * Drift of a classifier's predictions: the predicted-class counts of the logged batches against those of the
 * run on its test split (the confusion matrix's column sums), with PSI over classes and Pearson's χ² test of
 * homogeneity (2 × K table, no continuity correction, = scipy.stats.chi2_contingency(correction=False)).
 * One test, not part of the per-feature correction. Pure.
 */
import { ALPHA, psi } from './drift';
import { verdictOf, type DriftVerdict } from './report';

export interface PredictionDrift {
  readonly classes: readonly string[];
  /** Predicted-class counts on the run's test split. */
  readonly reference: readonly number[];
  /** Predicted-class counts over every logged row. */
  readonly current: readonly number[];
  readonly psi: number;
  readonly chi2: number;
  readonly df: number;
  readonly p: number;
  readonly verdict: DriftVerdict;
}

/** Regularized upper incomplete gamma Q(a, x) (series below a + 1, continued fraction above; NR §6.2). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(lnPre) * h);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = g[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** χ² survival function with df degrees of freedom. */
export function chi2Sf(x: number, df: number): number {
  return gammaQ(df / 2, x / 2);
}

/** Pearson's χ² statistic and degrees of freedom of a 2 × K table (columns empty in both rows dropped). */
export function chi2Homogeneity(a: readonly number[], b: readonly number[]): { chi2: number; df: number } {
  const na = a.reduce((s, x) => s + x, 0);
  const nb = b.reduce((s, x) => s + x, 0);
  const n = na + nb;
  let chi2 = 0;
  let k = 0;
  for (let j = 0; j < a.length; j++) {
    const col = a[j]! + (b[j] ?? 0);
    if (col === 0) continue;
    k++;
    const ea = (na * col) / n;
    const eb = (nb * col) / n;
    chi2 += (a[j]! - ea) ** 2 / ea + ((b[j] ?? 0) - eb) ** 2 / eb;
  }
  return { chi2, df: Math.max(0, k - 1) };
}

/**
 * Prediction drift from the confusion matrix (confusion[actual][predicted]) and logged label counts; labels
 * the run does not know are added as extra classes. Null when either side is empty.
 */
export function predictionDrift(
  classes: readonly string[],
  confusion: readonly (readonly number[])[],
  logged: Readonly<Record<string, number>>,
): PredictionDrift | null {
  const names = [...classes, ...Object.keys(logged).filter((c) => !classes.includes(c))];
  const reference = names.map((_, j) => confusion.reduce((s, row) => s + (row[j] ?? 0), 0));
  const current = names.map((c) => logged[c] ?? 0);
  if (reference.every((x) => x === 0) || current.every((x) => x === 0)) return null;
  const { chi2, df } = chi2Homogeneity(reference, current);
  const p = df === 0 ? 1 : chi2Sf(chi2, df);
  const psiValue = psi(reference, current);
  return {
    classes: names,
    reference,
    current,
    psi: psiValue,
    chi2,
    df,
    p,
    verdict: verdictOf(psiValue, p, ALPHA),
  };
}
