import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classificationEval,
  confusionMatrix,
  majorityClass,
  MAX_MISSES,
  MAX_RESIDUALS,
  predictedClasses,
  regressionEval,
} from '../../src/engine/train/evaluate';

describe('train: classification metrics (hand-computed)', () => {
  // classes a b c; 8 test rows.
  const actual = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 1, 2, 2, 2, 0];
  const rows = [10, 11, 12, 13, 14, 15, 16, 17];
  const train = [0, 1, 1, 1, 2, 2]; // b (index 1) is the most frequent training class

  it('accuracy, confusion[actual][predicted]', () => {
    expect(accuracy(actual, predicted)).toBe(5 / 8);
    expect(confusionMatrix(actual, predicted, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 2],
    ]);
    expect(accuracy([], [])).toBe(0);
  });

  it('per-class precision / recall / F1 / support, macro-F1, majority baseline, misses', () => {
    const e = classificationEval(actual, predicted, ['a', 'b', 'c'], train, rows);
    // a: tp 2, predicted 3, support 3 → p 2/3, r 2/3; b: tp 1, predicted 2, support 2 → p 1/2, r 1/2;
    // c: tp 2, predicted 3, support 3 → p 2/3, r 2/3.
    const [a, b, c] = e.perClass;
    expect(a).toMatchObject({ label: 'a', support: 3 });
    expect(a!.precision).toBeCloseTo(2 / 3, 12);
    expect(a!.recall).toBeCloseTo(2 / 3, 12);
    expect(a!.f1).toBeCloseTo(2 / 3, 12);
    expect(b).toMatchObject({ label: 'b', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c!.f1).toBeCloseTo(2 / 3, 12);
    expect(e.macroF1).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3, 12);
    expect(e.accuracy).toBe(5 / 8);
    expect(e.testRows).toBe(8);
    // Majority training class is b; 2 of 8 test rows are b.
    expect(e.baseline).toEqual({ label: 'b', accuracy: 2 / 8 });
    expect(e.misses).toEqual([
      { row: 12, actual: 'a', predicted: 'b' },
      { row: 14, actual: 'b', predicted: 'c' },
      { row: 17, actual: 'c', predicted: 'a' },
    ]);
  });

  it('a class never predicted has precision 0 and F1 0; absent classes leave the macro average alone', () => {
    const e = classificationEval([0, 1, 1], [0, 0, 0], ['x', 'y', 'z'], [0], [0, 1, 2]);
    expect(e.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
    // x: p 1/3, r 1 → F1 0.5; y: 0; z neither present nor predicted → left out of the mean.
    expect(e.macroF1).toBeCloseTo(0.25, 12);
    expect(e.perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('majority ties go to the lower index; misses stop at 500', () => {
    expect(majorityClass([2, 1, 2, 1], 3)).toBe(1);
    const n = 700;
    const e = classificationEval(
      new Array<number>(n).fill(0),
      new Array<number>(n).fill(1),
      ['p', 'q'],
      [0],
      [...Array.from({ length: n }, (_, i) => i)],
    );
    expect(e.misses).toHaveLength(MAX_MISSES);
    expect(e.accuracy).toBe(0);
  });

  it('predicted classes: p > 0.5 for one sigmoid output, arg-max otherwise', () => {
    expect([...predictedClasses([0.2, 0.5, 0.51], 3, 1)]).toEqual([0, 0, 1]);
    expect([...predictedClasses([0.1, 0.7, 0.2, 0.5, 0.2, 0.3], 2, 3)]).toEqual([1, 0]);
  });
});

describe('train: regression metrics (hand-computed)', () => {
  it('MAE, RMSE, R², training-mean baseline', () => {
    const actual = [1, 2, 3, 4];
    const predicted = [1, 3, 2, 4];
    const e = regressionEval(actual, predicted, 2);
    expect(e.mae).toBe(0.5); // |0| + |1| + |1| + |0| over 4
    expect(e.rmse).toBeCloseTo(Math.sqrt(0.5), 12);
    // SS_res 2, SS_tot around the test mean 2.5: 2.25 + 0.25 + 0.25 + 2.25 = 5.
    expect(e.r2).toBeCloseTo(1 - 2 / 5, 12);
    // Predicting 2 always: errors −1 0 1 2 → RMSE √(6/4).
    expect(e.baseline).toEqual({ mean: 2, rmse: Math.sqrt(6 / 4) });
    expect(e.residuals).toEqual(actual.map((a, i) => ({ actual: a, predicted: predicted[i] })));
    expect(e.testRows).toBe(4);
  });

  it('constant targets: R² is 1 for a perfect fit, else 0; residuals are sampled to 1000', () => {
    expect(regressionEval([3, 3], [3, 3], 0).r2).toBe(1);
    expect(regressionEval([3, 3], [2, 3], 0).r2).toBe(0);
    const n = 2500;
    const v = Array.from({ length: n }, (_, i) => i);
    const e = regressionEval(v, v, 0);
    expect(e.residuals.length).toBeLessThanOrEqual(MAX_RESIDUALS);
    expect(e.residuals.length).toBeGreaterThan(800);
    expect(e.r2).toBe(1);
  });
});
