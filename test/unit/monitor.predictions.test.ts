import { describe, expect, it } from 'vitest';
import type { OutColumn } from '../../src/engine/infer/batchPlan';
import { labelCounts } from '../../src/engine/monitor/logBatch';
import { chi2Homogeneity, chi2Sf, predictionDrift } from '../../src/engine/monitor/predictionDrift';

describe('monitor: prediction drift', () => {
  it('χ² survival function equals scipy.stats.chi2.sf within 1e-12', () => {
    const scipy: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [10, 4, 0.04042768199451279],
      [0.5, 2, 0.7788007830714049],
      [25, 3, 1.5440498291101365e-5],
    ];
    for (const [x, df, sf] of scipy) expect(Math.abs(chi2Sf(x, df) - sf)).toBeLessThan(1e-12);
  });

  it('the 2 × K statistic equals scipy.stats.chi2_contingency(correction=False)', () => {
    const { chi2, df } = chi2Homogeneity([30, 50, 20], [40, 35, 25]);
    expect(chi2).toBeCloseTo(4.631185807656395, 12);
    expect(df).toBe(2);
    expect(chi2Sf(chi2, df)).toBeCloseTo(0.09870764250999253, 12);
  });

  it('compares logged labels with the confusion matrix’s predicted columns; unknown labels add a class', () => {
    // confusion[actual][predicted]: predicted counts are the column sums 40, 40, 20.
    const confusion = [
      [30, 5, 0],
      [10, 30, 5],
      [0, 5, 15],
    ];
    const same = predictionDrift(['a', 'b', 'c'], confusion, { a: 400, b: 400, c: 200 })!;
    expect(same.reference).toEqual([40, 40, 20]);
    expect(same.psi).toBeCloseTo(0, 12);
    expect(same.verdict).toBe('ok');
    const moved = predictionDrift(['a', 'b', 'c'], confusion, { a: 100, b: 300, c: 600, z: 10 })!;
    expect(moved.classes).toEqual(['a', 'b', 'c', 'z']);
    expect(moved.current).toEqual([100, 300, 600, 10]);
    expect(moved.p).toBeLessThan(1e-6);
    expect(moved.verdict).toBe('drift');
    expect(predictionDrift(['a'], [[0]], { a: 3 })).toBeNull();
  });

  it('counts the contract’s label output, missing labels left out', () => {
    const label: OutColumn = {
      meta: { name: 'label', type: 'categorical', dictionary: ['x', 'y'] } as unknown as OutColumn['meta'],
      data: Int32Array.from([0, 1, 1, -1]),
      validity: new Uint32Array([7]),
    };
    expect(labelCounts([label])).toEqual({ x: 1, y: 2 });
    expect(labelCounts([])).toBeUndefined();
  });
});
