/**
 * The evaluation extras on real trainer runs, on tfjs's WASM backend (as in train.acceptance.test.ts):
 * permutation importance, the decision boundary, ROC / PR curves, reference distributions.
 */
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../../src/engine/preprocess/load';
import { cellCentre } from '../../src/engine/train/boundary';
import { figuresAt } from '../../src/engine/train/curves';
import { prepareFeatures } from '../../src/engine/train/features';
import type { ClassificationEval, RegressionEval, RunRecord } from '../../src/engine/train/run';
import type { TrainConfig } from '../../src/engine/train/spec';
import type { TrainOutcome } from '../../src/engine/train/train';
import { trainModel } from '../../src/engine/train/trainer';
import { NODE_TRAIN_ENV, RUNNING, wasmConfig } from '../support/trainWasm';
import { catCol, dataset, imageCol, loadSample, numCol } from '../support/recipeData';

const env = NODE_TRAIN_ENV;
const running = RUNNING;

const cfg = (target: string, model: TrainConfig['model'], over: Partial<TrainConfig> = {}): TrainConfig =>
  wasmConfig(target, model, {
    optimizer: { kind: 'adam', learningRate: 0.05 },
    batchSize: 32,
    epochs: 30,
    ...over,
  });

/** A run, and how long its evaluation took (from the 'evaluating' state to the end). */
async function train(data: LoadedDataset, config: TrainConfig): Promise<TrainOutcome & { evalMs: number }> {
  let evaluating = 0;
  const out = await trainModel(data, config, env, {
    onEvent: (e) => {
      if (e.type === 'state' && e.state === 'evaluating') evaluating = performance.now();
    },
    control: running,
    runId: 'run-test',
  });
  expect(out.record.backend).toBe('wasm');
  return { ...out, evalMs: performance.now() - evaluating };
}

const cls = (r: RunRecord): ClassificationEval => r.evaluation as ClassificationEval;
const sigmoidLogit = (w: Float32Array, b: number, x: number, y: number): number => w[0]! * x + w[1]! * y + b;

/** `a` decides the class (a > 0.2 ⇒ up), `noise` is unrelated: 600 rows. */
function onlyA(): LoadedDataset {
  const n = 600;
  const a = Array.from({ length: n }, (_, i) => Math.sin(i * 1.37) * 3);
  const noise = Array.from({ length: n }, (_, i) => Math.cos(i * 2.71 + 0.4) * 5 + 10);
  return dataset(
    [
      numCol('a', a),
      numCol('noise', noise),
      catCol(
        'label',
        a.map((v) => (v > 0.2 ? 'up' : 'down')),
      ),
    ],
    'only-a',
  );
}

describe('train: evaluation extras on WASM', { timeout: 30_000 }, () => {
  it('only `a` matters: it gets the largest importance, the noise feature ≈ 0; the boundary is the model’s', async () => {
    const data = onlyA();
    const config = cfg('label', { kind: 'logistic' });
    const { record, weights, evalMs } = await train(data, config);
    const e = cls(record);
    expect(e.accuracy).toBeGreaterThan(0.95);
    const imp = e.importance!;
    console.log(
      `only-a logistic: accuracy ${e.accuracy.toFixed(3)}, importance ${imp
        .map((f) => `${f.feature} ${f.mean.toFixed(3)} ± ${f.std.toFixed(3)}`)
        .join(', ')} (evaluation ${Math.round(evalMs)} ms of ${Math.round(record.durationMs)} ms)`,
    );
    expect(imp.map((f) => f.feature)).toEqual(['a', 'noise']);
    expect(imp[0]!.mean).toBeGreaterThan(0.3);
    expect(Math.abs(imp[1]!.mean)).toBeLessThan(0.02);
    expect(e.importanceRows).toBe(e.testRows);

    // The boundary: 60×60 cells over the training range ± 5%, each the class the model itself predicts there.
    const b = e.boundary!;
    const f = prepareFeatures(data, config);
    const col = (j: number) => f.train.x.filter((_, i) => i % 2 === j);
    const [aLo, aHi] = [Math.min(...col(0)), Math.max(...col(0))];
    expect(b.size).toBe(60);
    expect(b.classes).toHaveLength(3600);
    expect(b.x.name).toBe('a');
    expect(b.y.name).toBe('noise');
    expect(b.x.min).toBeCloseTo(aLo - 0.05 * (aHi - aLo), 5);
    expect(b.x.max).toBeCloseTo(aHi + 0.05 * (aHi - aLo), 5);
    // The saved weights take raw features (scaling folded in): logit = w·(a, noise) + bias.
    const [kernel, bias] = weights;
    let checked = 0;
    for (let j = 0; j < b.size; j++) {
      for (let i = 0; i < b.size; i++) {
        const logit = sigmoidLogit(
          kernel!.data,
          bias!.data[0]!,
          cellCentre(b.x, i, b.size),
          cellCentre(b.y, j, b.size),
        );
        if (Math.abs(logit) < 1e-3) continue; // float32 vs float64 on the line itself
        expect(b.classes[j * b.size + i]).toBe(logit > 0 ? 1 : 0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3500);
    expect(new Set(b.classes).size).toBe(2);
    expect(b.points.length).toBe(e.testRows);
    expect(b.points.every((p) => p.label === 0 || p.label === 1)).toBe(true);
    // Two classes: curves too; the slider's figures at 0.5 are the confusion matrix.
    const at = figuresAt(e.curves!, 0.5);
    expect([at.tn, at.fp, at.fn, at.tp]).toEqual(e.confusion.flat());
    expect(e.skipped).toBeUndefined();
    // Reference distributions of the training rows, per feature.
    expect(record.reference!.map((r) => r.feature)).toEqual(['a', 'noise']);
    expect(record.reference![0]).toMatchObject({ lo: aLo, hi: aHi, n: record.rows.train });
    expect(record.reference![0]!.counts.reduce((s, c) => s + c, 0)).toBe(record.rows.train);
  });

  it('breast cancer (binary) → ROC AUC ≥ 0.95 and AP ≥ 0.95; importance for all 30 features; no boundary', async () => {
    const bc = await loadSample('breast_cancer.csv');
    const { record, evalMs } = await train(
      bc,
      cfg('target', { kind: 'logistic' }, { optimizer: { kind: 'adam', learningRate: 0.01 }, epochs: 40 }),
    );
    const e = cls(record);
    const c = e.curves!;
    console.log(
      `breast cancer logistic: accuracy ${e.accuracy.toFixed(3)}, AUC ${c.auc.toFixed(4)}, AP ${c.averagePrecision.toFixed(4)}, ` +
        `${c.thresholds.length} curve points; top importance ${e
          .importance!.slice(0, 3)
          .map((f) => `${f.feature} ${f.mean.toFixed(3)}`)
          .join(', ')} (evaluation ${Math.round(evalMs)} ms of ${Math.round(record.durationMs)} ms)`,
    );
    expect(c.auc).toBeGreaterThanOrEqual(0.95);
    expect(c.averagePrecision).toBeGreaterThanOrEqual(0.95);
    expect(c.positive).toBe(record.classes[1]);
    expect(c.positives + c.negatives).toBe(e.testRows);
    expect(c.thresholds.length).toBeLessThanOrEqual(200);
    expect(c.tp.at(-1)).toBe(c.positives);
    expect(c.fp.at(-1)).toBe(c.negatives);
    expect(e.importance).toHaveLength(30);
    expect(e.boundary).toBeUndefined();
    expect(e.skipped).toEqual([expect.stringMatching(/Decision boundary: .*exactly two input features.*30/)]);
    expect(record.reference).toHaveLength(30);
  });

  it('regression: importance is the rise in RMSE; three classes: no curves, said so', async () => {
    const n = 300;
    const a = Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 10);
    const b = Array.from({ length: n }, (_, i) => ((i * 53) % 89) / 10);
    const y = a.map((v) => 4 * v + 1);
    const reg = await train(
      dataset([numCol('a', a), numCol('b', b), numCol('y', y)], 'reg'),
      cfg('y', { kind: 'linear' }, { epochs: 40 }),
    );
    const r = reg.record.evaluation as RegressionEval;
    expect(r.importance!.map((f) => f.feature)).toEqual(['a', 'b']);
    expect(r.importance![0]!.mean).toBeGreaterThan(10 * Math.max(r.rmse, Math.abs(r.importance![1]!.mean)));
    expect(r.skipped).toBeUndefined();

    const three = await train(
      dataset(
        [
          numCol('a', a),
          numCol('b', b),
          catCol(
            'k',
            a.map((v) => (v < 3.3 ? 'lo' : v < 6.6 ? 'mid' : 'hi')),
          ),
        ],
        'three',
      ),
      cfg('k', { kind: 'mlp', hidden: [{ units: 8, activation: 'relu' }] }, { epochs: 40 }),
    );
    const e = cls(three.record);
    expect(e.curves).toBeUndefined();
    expect(e.skipped).toEqual([expect.stringMatching(/binary classification only \(3 classes\)/)]);
    expect(e.boundary!.classes.every((k) => k >= 0 && k < 3)).toBe(true);
    expect(new Set(e.boundary!.classes).size).toBe(3);
  });

  it('an image model: no importance or boundary (said so); per-channel pixel reference', async () => {
    const rows = 120;
    const img = imageCol('picture', rows, [4, 4, 2]);
    const labels = catCol(
      'label',
      Array.from({ length: rows }, (_, i) => (i % 2 === 0 ? 'even' : 'odd')),
    );
    const { record } = await train(
      dataset([img, labels], 'pictures'),
      cfg('label', { kind: 'mlp', hidden: [{ units: 4, activation: 'relu' }] }, { epochs: 2 }),
    );
    const e = cls(record);
    expect(e.importance).toBeUndefined();
    expect(e.boundary).toBeUndefined();
    expect(e.curves).toBeDefined();
    expect(e.skipped!.join('\n')).toMatch(/Permutation importance: tabular features only/);
    expect(e.skipped!.join('\n')).toMatch(/Decision boundary/);
    const ref = record.reference!;
    expect(ref.map((d) => [d.feature, d.channel])).toEqual([
      ['picture channel 0', 0],
      ['picture channel 1', 1],
    ]);
    expect(ref[0]!.n).toBe(record.rows.train * 16);
    expect(ref[0]!.lo).toBeGreaterThanOrEqual(0);
    expect(ref[0]!.hi).toBeLessThanOrEqual(1);
  });
});
