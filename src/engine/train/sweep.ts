import { WorkbenchError } from '../../lib/errors';
import type { TrainConfig } from './spec';

/** Hyperparameters a sweep can vary. */
export type SweepParam = 'learningRate' | 'batchSize' | 'epochs' | 'hiddenUnits' | 'seed';

/** One axis of a grid: a parameter and its values. */
export interface SweepAxis {
  readonly param: SweepParam;
  readonly values: readonly number[];
}

/** Most runs one sweep may start (a grid is a product: keep it small). */
export const MAX_SWEEP_RUNS = 12;

/** The value of one parameter in a config (hiddenUnits: the first hidden layer's units; null if none). */
export function paramOf(config: TrainConfig, param: SweepParam): number | null {
  switch (param) {
    case 'learningRate':
      return config.optimizer.learningRate;
    case 'batchSize':
      return config.batchSize;
    case 'epochs':
      return config.epochs;
    case 'seed':
      return config.seed;
    case 'hiddenUnits':
      return config.model.kind === 'mlp' ? (config.model.hidden[0]?.units ?? null) : null;
  }
}

function withParam(config: TrainConfig, param: SweepParam, value: number): TrainConfig {
  switch (param) {
    case 'learningRate':
      return { ...config, optimizer: { ...config.optimizer, learningRate: value } };
    case 'batchSize':
      return { ...config, batchSize: value };
    case 'epochs':
      return { ...config, epochs: value };
    case 'seed':
      return { ...config, seed: value };
    case 'hiddenUnits': {
      if (config.model.kind !== 'mlp' || config.model.hidden.length === 0) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          'Hidden units can be swept only for an MLP with a hidden layer',
        );
      }
      const [first, ...rest] = config.model.hidden;
      return { ...config, model: { ...config.model, hidden: [{ ...first!, units: value }, ...rest] } };
    }
  }
}

/** Every combination of the axes' values applied to `base` (the grid's product), in row-major order. */
export function sweepConfigs(base: TrainConfig, axes: readonly SweepAxis[]): TrainConfig[] {
  let configs: TrainConfig[] = [base];
  for (const axis of axes) {
    if (axis.values.length === 0)
      throw new WorkbenchError('INVALID_INPUT', `Give at least one value for ${axis.param}`);
    for (const v of axis.values) {
      if (!Number.isFinite(v) || v <= 0 || (axis.param !== 'learningRate' && !Number.isInteger(v))) {
        throw new WorkbenchError('INVALID_INPUT', `${v} is not a valid ${axis.param}`);
      }
    }
    configs = configs.flatMap((c) => axis.values.map((v) => withParam(c, axis.param, v)));
  }
  if (configs.length > MAX_SWEEP_RUNS) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `This grid makes ${configs.length} runs; a sweep is limited to ${MAX_SWEEP_RUNS} (use fewer values)`,
    );
  }
  return configs;
}
