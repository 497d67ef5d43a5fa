/**
 * From per-feature samples to a drift report: counts and KS statistic per feature (CPU here; driftGpu.ts
 * computes the same figures on the GPU), then PSI, p-values, the Benjamini–Hochberg correction across
 * features and a verdict per feature and overall. Pure.
 */
import type { ReferenceDistribution } from '../train/run';
import {
  ALPHA,
  benjaminiHochberg,
  binCounts,
  ksBinned,
  ksPValue,
  ksSorted,
  psi,
  psiNullBias,
  PSI_DRIFT,
  PSI_EPSILON,
  PSI_WARN,
  sortedCopy,
} from './drift';

/** One feature to check: the run's stored reference, the training values when still stored, the new values. */
export interface FeatureInput {
  readonly reference: ReferenceDistribution;
  /** The training rows' values (f32, as the model saw them), or null when the training data is gone. */
  readonly refValues: Float32Array | null;
  /** The compared rows' finite values. */
  readonly curValues: Float32Array;
}

/** What a backend computes per feature; the rest of the report is derived on the CPU from these. */
export interface FeatureCounts {
  readonly refCounts: readonly number[];
  readonly curCounts: readonly number[];
  /** KS statistic: exact on values when the training values are given, else between binned CDFs. */
  readonly ks: number;
}

export type DriftVerdict = 'ok' | 'warn' | 'drift';

/** One feature's figures and verdict. */
export interface FeatureDrift {
  readonly feature: string;
  readonly nRef: number;
  readonly nCur: number;
  readonly lo: number;
  readonly hi: number;
  readonly refCounts: readonly number[];
  readonly curCounts: readonly number[];
  readonly psi: number;
  /** PSI expected with no drift at these sample sizes (small samples read high). */
  readonly psiBias: number;
  readonly ks: number;
  readonly ksMethod: 'exact' | 'binned';
  readonly p: number;
  /** Benjamini–Hochberg adjusted p across the report's features. */
  readonly pAdjusted: number;
  /** Shift of the mean in reference standard deviations. */
  readonly meanShift: number;
  /** Share of compared values outside the training [lo, hi]. */
  readonly outOfRange: number;
  readonly verdict: DriftVerdict;
}

/** The thresholds a report was made with (docs/drift.md). */
export interface DriftSettings {
  readonly psiEpsilon: number;
  readonly psiWarn: number;
  readonly psiDrift: number;
  readonly alpha: number;
  readonly correction: 'benjamini-hochberg';
}

export const DRIFT_SETTINGS: DriftSettings = {
  psiEpsilon: PSI_EPSILON,
  psiWarn: PSI_WARN,
  psiDrift: PSI_DRIFT,
  alpha: ALPHA,
  correction: 'benjamini-hochberg',
};

/** Per-feature counts and KS statistic on the CPU (float64; bins with f32 arithmetic like the GPU). */
export function countsCpu(input: FeatureInput): FeatureCounts {
  const { reference: r, refValues, curValues } = input;
  const bins = r.counts.length;
  const curCounts = binCounts(curValues, r.lo, r.hi, bins);
  if (refValues === null) return { refCounts: r.counts, curCounts, ks: ksBinned(r.counts, curCounts) };
  return {
    refCounts: binCounts(refValues, r.lo, r.hi, bins),
    curCounts,
    ks: ksSorted(sortedCopy(refValues), sortedCopy(curValues)),
  };
}

/**
 * The verdict: a feature drifts when its corrected KS p is below α (the change is real) AND its PSI is at
 * least 0.25 (it is large); 0.1 ≤ PSI < 0.25 with a significant p is a warning. A large PSI that is not
 * significant is PSI's small-sample noise and is not flagged (the report says so).
 */
export function verdictOf(psiValue: number, pAdjusted: number, alpha = ALPHA): DriftVerdict {
  if (!(pAdjusted < alpha)) return 'ok';
  if (psiValue >= PSI_DRIFT) return 'drift';
  return psiValue >= PSI_WARN ? 'warn' : 'ok';
}

/** Figures, corrected p-values, verdicts and warnings for the features, given their counts. */
export function assembleDrift(
  inputs: readonly FeatureInput[],
  counts: readonly FeatureCounts[],
): { features: FeatureDrift[]; overall: DriftVerdict; warnings: string[] } {
  const partial = inputs.map((input, f) => {
    const c = counts[f]!;
    const r = input.reference;
    const nRef = input.refValues?.length ?? r.n;
    const nCur = input.curValues.length;
    let sumCur = 0;
    let outside = 0;
    for (const v of input.curValues) {
      sumCur += v;
      if (v < r.lo || v > r.hi) outside++;
    }
    const meanShift = nCur === 0 ? NaN : (sumCur / nCur - r.mean) / (r.std > 0 ? r.std : 1);
    return {
      feature: r.feature,
      nRef,
      nCur,
      lo: r.lo,
      hi: r.hi,
      refCounts: c.refCounts,
      curCounts: c.curCounts,
      psi: psi(c.refCounts, c.curCounts),
      psiBias: psiNullBias(r.counts.length, nRef, Math.max(1, nCur)),
      ks: c.ks,
      ksMethod: input.refValues === null ? ('binned' as const) : ('exact' as const),
      p: ksPValue(c.ks, nRef, nCur),
      meanShift,
      outOfRange: nCur === 0 ? 0 : outside / nCur,
    };
  });
  const adjusted = benjaminiHochberg(partial.map((f) => f.p));
  const features = partial.map((f, i) => {
    const pAdjusted = adjusted[i]!;
    return { ...f, pAdjusted, verdict: verdictOf(f.psi, pAdjusted) };
  });
  const warnings: string[] = [];
  for (const f of features) {
    const psiText = f.psi.toFixed(3);
    if (f.nCur === 0) warnings.push(`${f.feature}: no values to compare.`);
    else if (f.verdict === 'drift')
      warnings.push(
        `${f.feature} drifted: PSI ${psiText}, KS ${f.ks.toFixed(3)} (corrected p ${fmtP(f.pAdjusted)}).`,
      );
    else if (f.verdict === 'warn')
      warnings.push(`${f.feature} shifted moderately: PSI ${psiText} (corrected p ${fmtP(f.pAdjusted)}).`);
    else if (f.psi >= PSI_WARN)
      warnings.push(
        `${f.feature}: PSI ${psiText} but not significant (corrected p ${fmtP(f.pAdjusted)}); with ${f.nCur} rows PSI reads about ${f.psiBias.toFixed(3)} with no drift at all.`,
      );
    if (f.outOfRange > 0.05)
      warnings.push(
        `${f.feature}: ${(f.outOfRange * 100).toFixed(1)} % of values are outside the training range.`,
      );
  }
  const overall: DriftVerdict = features.some((f) => f.verdict === 'drift')
    ? 'drift'
    : features.some((f) => f.verdict === 'warn')
      ? 'warn'
      : 'ok';
  return { features, overall, warnings };
}

/** A p-value for text: 3 significant digits, "< 1e-16" below double precision's reach. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 1e-16) return '< 1e-16';
  return p < 0.001 ? p.toExponential(2) : p.toFixed(3);
}
