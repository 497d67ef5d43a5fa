import { describe, expect, it } from 'vitest';
import {
  axisOf,
  boundaryGrid,
  cellCentre,
  cellOf,
  decisionBoundary,
  MAX_BOUNDARY_POINTS,
} from '../../src/engine/train/boundary';
import { binaryCurves, figuresAt, figuresOf, GRID_STEPS, spread } from '../../src/engine/train/curves';
import { permutation, permutationImportance } from '../../src/engine/train/importance';
import { distributionOf, referenceOf } from '../../src/engine/train/reference';
import type { BinaryCurves } from '../../src/engine/train/run';

const curves = (p: number[], y: number[], max?: number): BinaryCurves => {
  const c = binaryCurves(p, y, 'pos', max);
  if (c === null) throw new Error('no curves');
  return c;
};

describe('train: ROC and precision–recall curves (hand-computed)', () => {
  it('perfect ranking: AUC 1, AP 1; reversed: AUC 0, AP from the hand-computed points', () => {
    const perfect = curves([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]);
    expect(perfect.auc).toBe(1);
    expect(perfect.averagePrecision).toBe(1);
    expect(perfect.thresholds).toEqual([0.9, 0.8, 0.3, 0.1]);
    expect(perfect.tp).toEqual([1, 2, 2, 2]);
    expect(perfect.fp).toEqual([0, 0, 1, 2]);
    expect(perfect).toMatchObject({ positive: 'pos', positives: 2, negatives: 2 });

    const reversed = curves([0.9, 0.8, 0.3, 0.1], [0, 0, 1, 1]);
    expect(reversed.auc).toBe(0);
    // (R, P) at each threshold: (0, 0), (0, 0), (½, ⅓), (1, ½) → AP = ½·⅓ + ½·½.
    expect(reversed.averagePrecision).toBeCloseTo(0.5 / 3 + 0.25, 12);
  });

  it("scikit-learn's documented example: y = [0, 0, 1, 1], p = [0.1, 0.4, 0.35, 0.8] → AUC 0.75, AP 0.8333", () => {
    const c = curves([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(c.auc).toBeCloseTo(0.75, 12);
    expect(c.averagePrecision).toBeCloseTo(5 / 6, 12);
    expect(c.thresholds).toEqual([0.8, 0.4, 0.35, 0.1]);
  });

  it('ties: a tied score moves the ROC curve diagonally (one point per distinct score)', () => {
    // Sorted: 0.9 (+), 0.5 (+ and −), 0.1 (−). ROC (0,0) → (0,½) → (½,1) → (1,1): AUC ½·¾ + ½ = 0.875.
    const c = curves([0.5, 0.5, 0.9, 0.1], [0, 1, 1, 0]);
    expect(c.thresholds).toEqual([0.9, 0.5, 0.1]);
    expect(c.tp).toEqual([1, 2, 2]);
    expect(c.fp).toEqual([0, 1, 2]);
    expect(c.auc).toBeCloseTo(0.875, 12);
    // (R, P): (½, 1), (1, ⅔), (1, ½) → AP = ½·1 + ½·⅔.
    expect(c.averagePrecision).toBeCloseTo(0.5 + 1 / 3, 12);
    // Every score tied: a single point (1, 1), AUC ½ (chance), AP = the positive rate.
    const flat = curves([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0]);
    expect(flat.thresholds).toEqual([0.5]);
    expect(flat.auc).toBe(0.5);
    expect(flat.averagePrecision).toBe(0.5);
  });

  it('random-ish scores give AUC ≈ 0.5; a single-class test split has no curves', () => {
    const n = 4000;
    const p = Array.from({ length: n }, (_, i) => ((i * 7919) % 1009) / 1009);
    const y = Array.from({ length: n }, (_, i) => ((i * 104729) % 13) % 2);
    const c = curves(p, y);
    expect(Math.abs(c.auc - 0.5)).toBeLessThan(0.05);
    expect(binaryCurves([0.2, 0.9], [1, 1], 'pos')).toBeNull();
    expect(binaryCurves([0.2, 0.9], [0, 0], 'pos')).toBeNull();
  });

  it('caps the stored points at 200 (highest and lowest thresholds kept), AUC from every threshold', () => {
    const n = 1000;
    const p = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const y = p.map((v, i) => (v + ((i * 37) % 11) / 20 > 0.75 ? 1 : 0));
    const full = curves(p, y, n);
    const capped = curves(p, y);
    expect(full.thresholds).toHaveLength(n);
    expect(capped.thresholds.length).toBeLessThanOrEqual(200);
    expect(capped.thresholds[0]).toBe(full.thresholds[0]);
    expect(capped.thresholds.at(-1)).toBe(full.thresholds.at(-1));
    expect(capped.tp.at(-1)).toBe(capped.positives);
    expect(capped.fp.at(-1)).toBe(capped.negatives);
    expect(capped.auc).toBe(full.auc);
    expect(capped.averagePrecision).toBe(full.averagePrecision);
    expect(spread(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(spread(1000, 3)).toEqual([0, 500, 999]);
  });

  it('the slider grid: p > t predicted positive; figures at a threshold from the counts', () => {
    const p = [0.95, 0.7, 0.5, 0.45, 0.2, 0.05];
    const y = [1, 1, 0, 1, 0, 0];
    const c = curves(p, y);
    expect(c.grid.tp).toHaveLength(GRID_STEPS + 1);
    // t = 0.5: p > 0.5 → 0.95 (+), 0.7 (+); 0.5 itself is not above → negative, as the model decides.
    const at = figuresAt(c, 0.5);
    expect(at).toMatchObject({ threshold: 0.5, tp: 2, fp: 0, tn: 3, fn: 1, precision: 1 });
    expect(at.recall).toBeCloseTo(2 / 3, 12);
    expect(at.f1).toBeCloseTo(0.8, 12);
    expect(at.accuracy).toBeCloseTo(5 / 6, 12);
    expect(figuresAt(c, 0)).toMatchObject({ tp: 3, fp: 3, recall: 1, precision: 0.5 });
    expect(figuresAt(c, 1)).toMatchObject({ tp: 0, fp: 0, precision: 0, recall: 0, f1: 0, accuracy: 0.5 });
    expect(figuresAt(c, 0.449).threshold).toBe(0.45); // snapped to the grid
    expect(figuresAt(c, 0.449)).toMatchObject({ tp: 2, fp: 1 }); // 0.45 is not > 0.45
    expect(figuresOf(0.3, 0, 0, 0, 0).accuracy).toBe(0);
  });
});

describe('train: importance, boundary and reference helpers (pure)', () => {
  it('permutation is a seeded shuffle; importance ranks the feature the error depends on', async () => {
    const a = [...permutation(50, 3)];
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...permutation(50, 3)]).toEqual(a);
    expect([...permutation(50, 4)]).not.toEqual(a);
    // Error = mean |x_a − target|: shuffling a raises it, shuffling b changes nothing.
    const rows = 200;
    const x = new Float32Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      x[i * 2] = i / rows;
      x[i * 2 + 1] = Math.sin(i);
    }
    const error = (m: Float32Array, n: number): Promise<number> => {
      let e = 0;
      for (let i = 0; i < n; i++) e += Math.abs(m[i * 2]! - i / rows);
      return Promise.resolve(e / n);
    };
    const imp = await permutationImportance(x, rows, ['a', 'b'], error, 1);
    expect(imp.map((f) => f.feature)).toEqual(['a', 'b']);
    expect(imp[0]!.mean).toBeGreaterThan(0.25); // E|U − V| = ⅓ for independent uniforms
    expect(imp[0]!.std).toBeGreaterThan(0);
    expect(imp[1]).toEqual({ feature: 'b', mean: 0, std: 0 });
  });

  it('boundary grid: training range ± 5%, cell centres row-major from the lowest y; classes from outputs', () => {
    const train = Float32Array.from([0, 10, 2, 30, 1, 20]); // a ∈ [0, 2], b ∈ [10, 30]
    const x = axisOf('a', train, 2, 0);
    const y = axisOf('b', train, 2, 1);
    expect(x).toEqual({ name: 'a', min: -0.1, max: 2.1 });
    expect(y.min).toBeCloseTo(9, 12);
    expect(y.max).toBeCloseTo(31, 12);
    const g = boundaryGrid(x, y, 4);
    expect(g).toHaveLength(32);
    expect(g[0]).toBeCloseTo(cellCentre(x, 0, 4), 5);
    expect(g[1]).toBeCloseTo(9 + 22 / 8, 4);
    expect(g[(1 * 4 + 3) * 2]).toBeCloseTo(cellCentre(x, 3, 4), 5); // cell (3, 1)
    expect(g[(1 * 4 + 3) * 2 + 1]).toBeCloseTo(cellCentre(y, 1, 4), 4);
    expect(cellOf(x, -5, 4)).toBe(0);
    expect(cellOf(x, 2.09, 4)).toBe(3);
    // Sigmoid outputs: class 1 where a > 1.
    const out = Float32Array.from({ length: 16 }, (_, c) => (g[c * 2]! > 1 ? 0.8 : 0.3));
    const test = { x: Float32Array.from([0.5, 12, 1.5, 25]), y: Float32Array.from([0, 1]) };
    const b = decisionBoundary(x, y, 4, out, 1, test);
    expect(b.classes).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect(b.confidence.slice(0, 4)).toEqual([0.7, 0.7, 0.8, 0.8]);
    expect(b.points).toEqual([
      { x: 0.5, y: 12, label: 0 },
      { x: 1.5, y: 25, label: 1 },
    ]);
    const many = { x: new Float32Array(2000), y: new Float32Array(1000) };
    expect(decisionBoundary(x, y, 4, out, 1, many).points.length).toBeLessThanOrEqual(MAX_BOUNDARY_POINTS);
    // Softmax outputs: the arg-max and its probability.
    const soft = decisionBoundary(x, y, 1, Float32Array.from([0.2, 0.5, 0.3]), 3, {
      x: new Float32Array(0),
      y: new Float32Array(0),
    });
    expect(soft.classes).toEqual([1]);
    expect(soft.confidence).toEqual([0.5]);
  });

  it('reference: 20-bin histogram between the training min and max, count, mean, std; images per channel', () => {
    const x = Float32Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? i / 2 : 7)); // col 0: 0..19, col 1: 7
    const [a, b] = referenceOf(x, 2, ['a', 'b'], null);
    expect(a).toMatchObject({ feature: 'a', lo: 0, hi: 19, n: 20, mean: 9.5 });
    expect(a!.counts).toHaveLength(20);
    expect(a!.counts.reduce((s, c) => s + c, 0)).toBe(20);
    // 20 equal bins of width 19/20 over [0, 19]: one value each (the maximum closes the last bin).
    expect(a!.counts).toEqual(new Array(20).fill(1));
    expect(a!.std).toBeCloseTo(Math.sqrt((20 * 20 - 1) / 12), 5);
    expect(b).toMatchObject({ feature: 'b', lo: 7, hi: 7, n: 20, mean: 7, std: 0 });
    expect(b!.counts[0]).toBe(20);
    // A 2×1 image with 2 channels, 3 rows: channel 0 holds 0.1s, channel 1 holds 0.9s.
    const img = Float32Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 0.1 : 0.9));
    const [c0, c1] = referenceOf(img, 4, ['pic'], [2, 1, 2]);
    expect(c0).toMatchObject({ feature: 'pic channel 0', channel: 0, n: 6, std: 0 });
    expect(c0!.mean).toBeCloseTo(0.1, 6);
    expect(c1).toMatchObject({ feature: 'pic channel 1', channel: 1, n: 6 });
    expect(distributionOf('none', new Float32Array(0), 0, 1).n).toBe(0);
  });
});
