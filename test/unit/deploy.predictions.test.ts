/** The predictions file: head outputs to labels and probabilities, and the CSV / JSON layouts. */
import { describe, expect, it } from 'vitest';
import { blankMissingRows, predictionsBlob, rowPredictions } from '../../src/engine/train/predict';
import type { RunRecord } from '../../src/engine/train/run';

const run = (task: 'classification' | 'regression', classes: string[]): RunRecord =>
  ({ task, classes }) as unknown as RunRecord;

describe('predictions file', () => {
  it('a binary head gives [1 − p, p]; missing inputs give an empty label', async () => {
    const r = run('classification', ['no', 'yes']);
    const rows = rowPredictions(r, Float32Array.from([0.25, 0.75, NaN]), 3);
    expect(rows[0]).toEqual({ row: 0, label: 'no', probabilities: [0.75, 0.25] });
    expect(rows[1]!.label).toBe('yes');
    expect(rows[2]).toEqual({ row: 2, label: null, probabilities: [null, null] });
    const csv = await predictionsBlob(r, rows, 'csv').text();
    expect(csv).toBe('row,label,p_no,p_yes\r\n0,no,0.75,0.25\r\n1,yes,0.25,0.75\r\n2,,,\r\n');
  });

  it('softmax heads take the arg max; regression writes the value; JSON keeps the layout', async () => {
    const r = run('classification', ['a', '=b', 'c']);
    const rows = rowPredictions(r, Float32Array.from([0.1, 0.7, 0.2]), 1);
    expect(await predictionsBlob(r, rows, 'csv').text()).toContain("0,'=b,");
    const json = JSON.parse(await predictionsBlob(r, rows, 'json').text()) as unknown[];
    expect(json).toHaveLength(1);
    const reg = run('regression', []);
    const y = rowPredictions(reg, Float32Array.from([-2.5]), 1);
    expect(y).toEqual([{ row: 0, label: -2.5, probabilities: null }]);
    expect(await predictionsBlob(reg, y, 'csv').text()).toBe('row,label\r\n0,-2.5\r\n');
  });

  it('a row with any missing input gets no prediction even when the backend computed one', () => {
    // 3 rows × 2 features; row 1 has a missing feature. Softmax head of 3 units: all finite from the backend.
    const x = Float32Array.from([1, 2, NaN, 4, 5, 6]);
    const out = Float32Array.from([0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.6, 0.2, 0.2]);
    blankMissingRows(out, x, 3, 3);
    expect(Array.from(out.subarray(0, 3))).toEqual([0.2, 0.3, 0.5].map(Math.fround));
    expect(Array.from(out.subarray(3, 6)).every(Number.isNaN)).toBe(true);
    expect(Array.from(out.subarray(6, 9))).toEqual([0.6, 0.2, 0.2].map(Math.fround));
  });
});
