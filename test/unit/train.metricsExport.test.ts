import { describe, expect, it } from 'vitest';
import { runHistoryCsv, runMetricsJson } from '../../src/engine/train/metricsExport';
import type { RunRecord } from '../../src/engine/train/run';

const record = {
  id: 'r1',
  name: 'mlp 16 · penguins',
  datasetName: 'penguins',
  status: 'completed',
  backend: 'wasm',
  task: 'classification',
  config: { epochs: 2 },
  rows: { train: 10, validation: 0, test: 4 },
  parameters: 99,
  durationMs: 12,
  history: [
    {
      epoch: 1,
      trainLoss: 0.9,
      trainMetric: 0.5,
      valLoss: null,
      valMetric: null,
      samplesPerSec: 100,
      msPerStep: 2,
    },
    {
      epoch: 2,
      trainLoss: 0.4,
      trainMetric: 0.75,
      valLoss: null,
      valMetric: null,
      samplesPerSec: 120,
      msPerStep: 1.5,
    },
  ],
  firstSteps: [1.1, 0.95],
  evaluation: {
    kind: 'classification',
    testRows: 4,
    accuracy: 0.75,
    macroF1: 0.7,
    logLoss: 0.5,
    baseline: { label: 'a', accuracy: 0.5 },
  },
} as unknown as RunRecord;

describe('run metrics export', () => {
  it('writes one CSV row per epoch, empty cells where there is no validation split', () => {
    expect(runHistoryCsv(record).split('\n')).toEqual([
      'epoch,train_loss,train_metric,val_loss,val_metric,samples_per_sec,ms_per_step',
      '1,0.9,0.5,,,100,2',
      '2,0.4,0.75,,,120,1.5',
      '',
    ]);
  });

  it('writes the history, first steps and test metrics under results.json names as JSON', () => {
    const j = JSON.parse(runMetricsJson(record)) as Record<string, unknown>;
    expect(j['test']).toEqual({
      test_rows: 4,
      accuracy: 0.75,
      macro_f1: 0.7,
      log_loss: 0.5,
      baseline_accuracy: 0.5,
    });
    expect(j['history']).toEqual(record.history);
    expect(j['firstSteps']).toEqual([1.1, 0.95]);
    expect(j['backend']).toBe('wasm');
  });
});
