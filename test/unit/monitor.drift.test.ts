import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/lib/random';
import {
  benjaminiHochberg,
  binCounts,
  kolmogorovQ,
  ksBinned,
  ksPValue,
  ksStatistic,
  psi,
  psiNullBias,
} from '../../src/engine/monitor/drift';
import { assembleDrift, countsCpu, verdictOf, type FeatureInput } from '../../src/engine/monitor/report';
import { distributionOf } from '../../src/engine/train/reference';

/** Standard normal draws (Box–Muller) from a seeded generator. */
function normals(n: number, seed: number, shift = 0): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => {
    const u = 1 - rand();
    return shift + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  });
}

describe('monitor: drift statistics (CPU reference)', () => {
  it('PSI equals hand-computed values, with 1e-4 for an empty bin', () => {
    // (0.25 − 0.5)·ln(0.25/0.5) + (0.75 − 0.5)·ln(0.75/0.5)
    expect(psi([50, 50], [25, 75])).toBeCloseTo(0.2746530721670274, 14);
    // reference bin 2 empty → 1e-4: (0.5 − 1)·ln(0.5) + (0.5 − 1e-4)·ln(0.5 / 1e-4)
    expect(psi([10, 0], [5, 5])).toBeCloseTo(4.60431846666895, 12);
    expect(psi([3, 4, 5], [3, 4, 5])).toBe(0);
    expect(psi([30, 40, 50], [3, 4, 5])).toBeCloseTo(0, 15);
    expect(psiNullBias(20, 100, 100)).toBeCloseTo(0.38, 12);
  });

  it('Kolmogorov survival function equals scipy.stats.kstwobign.sf within 1e-12', () => {
    const scipy: [number, number][] = [
      [0.2, 0.999999999999495],
      [0.5, 0.9639452436648751],
      [1.0, 0.26999967167735456],
      [1.36, 0.049485876755377876],
      [2.0, 0.0006709252557796953],
    ];
    for (const [x, sf] of scipy) expect(Math.abs(kolmogorovQ(x) - sf)).toBeLessThan(1e-12);
    expect(kolmogorovQ(0)).toBe(1);
  });

  it('two-sample KS statistic equals scipy ks_2samp (ties included) and its p the Stephens form', () => {
    const a = [0.1, 0.4, 0.4, 0.7, 1.2, 1.5, 2.0, 2.2];
    const b = [0.3, 0.9, 1.1, 1.6, 2.5, 2.6, 3.0];
    const d = ksStatistic(a, b);
    expect(d).toBeCloseTo(0.42857142857142855, 15); // scipy.stats.ks_2samp(a, b).statistic = 3/7
    // scipy.stats.kstwobign.sf((√nₑ + 0.12 + 0.11/√nₑ)·d), nₑ = 8·7/15
    expect(ksPValue(d, 8, 7)).toBeCloseTo(0.3873602400054084, 12);
    expect(ksStatistic([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksStatistic([1, 2], [3, 4])).toBe(1);
  });

  it('binned KS never exceeds the exact statistic', () => {
    for (const seed of [1, 2, 3]) {
      const a = normals(500, seed);
      const b = normals(300, seed + 10, 0.3);
      const counts = (x: Float32Array) => binCounts(x, -4, 4, 20);
      expect(ksBinned(counts(a), counts(b))).toBeLessThanOrEqual(ksStatistic(a, b) + 1e-12);
    }
  });

  it('Benjamini–Hochberg equals scipy.stats.false_discovery_control and skips NaN', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    [0.025, 0.05, 0.05, 0.025, 0.5].forEach((x, i) => expect(q[i]).toBeCloseTo(x, 15));
    const withNaN = benjaminiHochberg([0.01, NaN, 0.02]);
    expect(withNaN[0]).toBeCloseTo(0.02, 15);
    expect(withNaN[1]).toBeNaN();
    expect(withNaN[2]).toBeCloseTo(0.02, 15);
  });

  it('bins values outside the training range into the end bins', () => {
    expect(binCounts(Float32Array.from([-5, 0, 0.49, 0.5, 1, 7]), 0, 1, 2)).toEqual([3, 3]);
  });

  it('verdicts need a significant corrected p and a PSI threshold', () => {
    expect(verdictOf(0.3, 0.01)).toBe('drift');
    expect(verdictOf(0.15, 0.01)).toBe('warn');
    expect(verdictOf(0.05, 0.01)).toBe('ok');
    expect(verdictOf(0.9, 0.2)).toBe('ok');
    expect(verdictOf(0.9, NaN)).toBe('ok');
  });

  it('flags exactly the two features shifted by 2σ among 12, and none on a fresh sample', () => {
    const features = Array.from({ length: 12 }, (_, j) => `f${j}`);
    const train = features.map((_, j) => normals(800, 100 + j));
    const input = (cur: (j: number) => Float32Array): FeatureInput[] =>
      features.map((f, j) => ({
        reference: distributionOf(f, train[j]!, 0, 1),
        refValues: train[j]!,
        curValues: cur(j),
      }));
    const shifted = input((j) => normals(300, 500 + j, j === 3 || j === 7 ? 2 : 0));
    const drift = assembleDrift(shifted, shifted.map(countsCpu));
    expect(drift.features.filter((f) => f.verdict !== 'ok').map((f) => f.feature)).toEqual(['f3', 'f7']);
    expect(drift.overall).toBe('drift');
    expect(drift.features[3]!.psi).toBeGreaterThan(1);
    expect(drift.features[3]!.meanShift).toBeGreaterThan(1.7);
    const fresh = input((j) => normals(300, 900 + j));
    const none = assembleDrift(fresh, fresh.map(countsCpu));
    expect(none.features.filter((f) => f.verdict !== 'ok')).toEqual([]);
    expect(none.overall).toBe('ok');
  });

  it('falls back to the stored histogram (binned KS) without training values', () => {
    const train = normals(1000, 7);
    const ref = distributionOf('x', train, 0, 1);
    const cur = normals(400, 8, 1);
    const [f] = assembleDrift(
      [{ reference: ref, refValues: null, curValues: cur }],
      [countsCpu({ reference: ref, refValues: null, curValues: cur })],
    ).features;
    expect(f!.ksMethod).toBe('binned');
    expect(f!.refCounts).toEqual(ref.counts);
    expect(f!.ks).toBeLessThanOrEqual(ksStatistic(train, cur));
    expect(f!.verdict).toBe('drift');
  });
});
