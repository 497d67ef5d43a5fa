/**
 * Model and training specifications: plain JSON, the same the project format stores. Everything a run
 * needs to be reproduced is here (with the dataset snapshot it names).
 */

export type Activation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'linear';

/** A fully connected layer, with optional dropout after it (seeded). */
export interface DenseLayerSpec {
  readonly units: number;
  readonly activation: Activation;
  /** Dropout rate in [0, 1) applied after the layer (0 or absent: none). */
  readonly dropout?: number;
}

/** A convolution block: conv (same padding, relu) then max-pooling. */
export interface ConvBlockSpec {
  readonly filters: number;
  readonly kernel: number;
  /** Pool size (1: no pooling). */
  readonly pool: number;
}

/**
 * linear: one linear output (regression). logistic: one dense layer straight to the output (sigmoid for
 * two classes, softmax for more). mlp: hidden layers, then the output layer. cnn: conv blocks over an image
 * column, flatten, dense layers, then the output layer.
 */
export type ModelSpec =
  | { readonly kind: 'linear' }
  | { readonly kind: 'logistic' }
  | { readonly kind: 'mlp'; readonly hidden: readonly DenseLayerSpec[] }
  | {
      readonly kind: 'cnn';
      readonly conv: readonly ConvBlockSpec[];
      readonly dense: readonly DenseLayerSpec[];
    };

export type TaskKind = 'classification' | 'regression';

export type TrainBackend = 'webgpu' | 'wasm' | 'cpu';

export interface OptimizerSpec {
  readonly kind: 'sgd' | 'momentum' | 'adam';
  readonly learningRate: number;
  /** For 'momentum' (default 0.9). */
  readonly momentum?: number;
}

/** Everything that defines a training run. */
export interface TrainConfig {
  readonly datasetId: string;
  readonly target: string;
  /** 'auto': a categorical target, or an integer one with few values, is classification. */
  readonly task: 'auto' | TaskKind;
  readonly model: ModelSpec;
  /** 'auto': cross-entropy for classification, mean squared error for regression. */
  readonly loss: 'auto' | 'crossentropy' | 'mse' | 'mae';
  readonly optimizer: OptimizerSpec;
  readonly batchSize: number;
  readonly epochs: number;
  /** Stop when validation loss has not improved by minDelta for `patience` epochs; keep the best weights. */
  readonly earlyStopping: { readonly patience: number; readonly minDelta?: number } | null;
  /** 'balanced': weight each class by n / (k · n_class) in the loss. */
  readonly classWeights: 'none' | 'balanced';
  /** Seeds weight initialisers, dropout and the batch order. */
  readonly seed: number;
  /**
   * 'auto': WebGPU, unless the adapter is a software fallback (SwiftShader...), where WASM is far faster for
   * the models trained here; the run records which ran and why. Features (and regression targets) are
   * standardized with training statistics inside the model, so stored weights take raw values.
   */
  readonly backend: 'auto' | TrainBackend;
  /** Columns to leave out besides those that cannot be features. */
  readonly exclude?: readonly string[];
}

/** Integer targets with at most this many distinct values are classification under task 'auto'. */
export const MAX_AUTO_CLASSES = 20;

/** The defaults of every training field (the Train page's draft and a project's train cell start here). */
export const TRAIN_DEFAULTS: Omit<TrainConfig, 'datasetId' | 'target'> = {
  task: 'auto',
  model: { kind: 'mlp', hidden: [{ units: 16, activation: 'relu' }] },
  loss: 'auto',
  optimizer: { kind: 'adam', learningRate: 0.01 },
  batchSize: 32,
  epochs: 30,
  earlyStopping: { patience: 5 },
  classWeights: 'none',
  seed: 42,
  backend: 'auto',
};
