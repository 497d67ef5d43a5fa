import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/engine/train/spec';
import { paramOf, sweepConfigs } from '../../src/engine/train/sweep';

const base: TrainConfig = {
  datasetId: 'ds',
  target: 'y',
  task: 'auto',
  model: {
    kind: 'mlp',
    hidden: [
      { units: 16, activation: 'relu' },
      { units: 8, activation: 'relu' },
    ],
  },
  loss: 'auto',
  optimizer: { kind: 'adam', learningRate: 0.01 },
  batchSize: 32,
  epochs: 10,
  earlyStopping: null,
  classWeights: 'none',
  seed: 42,
  backend: 'wasm',
};

describe('hyperparameter sweep grid', () => {
  it('is the product of the axes, each config changed only where asked', () => {
    const configs = sweepConfigs(base, [
      { param: 'learningRate', values: [0.1, 0.01] },
      { param: 'hiddenUnits', values: [4, 32, 64] },
    ]);
    expect(configs).toHaveLength(6);
    expect(configs.map((c) => [paramOf(c, 'learningRate'), paramOf(c, 'hiddenUnits')])).toEqual([
      [0.1, 4],
      [0.1, 32],
      [0.1, 64],
      [0.01, 4],
      [0.01, 32],
      [0.01, 64],
    ]);
    for (const c of configs) {
      expect(c.model.kind === 'mlp' && c.model.hidden[1]).toEqual({ units: 8, activation: 'relu' });
      expect({ ...c, optimizer: base.optimizer, model: base.model }).toEqual(base);
    }
  });

  it('refuses grids that are too big, empty axes and invalid values', () => {
    expect(() =>
      sweepConfigs(base, [{ param: 'seed', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] }]),
    ).toThrow(/13 runs; a sweep is limited to 12/);
    expect(() => sweepConfigs(base, [{ param: 'epochs', values: [] }])).toThrow(/at least one value/);
    expect(() => sweepConfigs(base, [{ param: 'batchSize', values: [2.5] }])).toThrow(
      /not a valid batchSize/,
    );
    expect(() =>
      sweepConfigs({ ...base, model: { kind: 'logistic' } }, [{ param: 'hiddenUnits', values: [4] }]),
    ).toThrow(/only for an MLP/);
  });
});
