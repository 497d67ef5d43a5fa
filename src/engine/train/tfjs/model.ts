/**
 * Builds a tfjs-layers model from a ModelSpec, with seeded weight initialisers (a distinct seed per layer)
 * and seeded dropout. Dropout is applied by `forward` rather than by tfjs Dropout layers: a seeded tfjs
 * Dropout layer draws the same mask on every call, while here every training step gets its own seed.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../batching';
import type { WeightTensor } from '../train';
import type { DenseLayerSpec, ModelSpec } from '../spec';

/** The output layer: units and activation (sigmoid for 2 classes, softmax for more, linear for numbers). */
export interface Head {
  readonly units: number;
  readonly activation: 'sigmoid' | 'softmax' | 'linear';
}

/** A model and how to run it. */
export interface Net {
  readonly model: tfl.Sequential;
  /** Per-row input shape: [width], or [h, w, c] for a CNN. */
  readonly inputShape: readonly number[];
  /** Outputs for a batch of flat rows [b, width]; `step` seeds dropout when training. */
  forward(x: tf.Tensor2D, training: boolean, step: number): tf.Tensor2D;
  /** The trainable variables, in layer order. */
  readonly variables: tf.Variable[];
  dispose(): void;
}

/** Layer constructors with seeded glorot-uniform kernels and zero biases. */
function dense(
  name: string,
  units: number,
  activation: DenseLayerSpec['activation'] | Head['activation'],
  seed: number,
  inputShape?: readonly number[],
): tfl.layers.Layer {
  return tfl.layers.dense({
    name,
    units,
    activation,
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
    ...(inputShape ? { inputShape: [...inputShape] } : {}),
  });
}

/** The model's layers, each with the dropout rate applied after it (0: none). */
function layersOf(
  spec: ModelSpec,
  input: readonly number[],
  head: Head,
  seed: number,
): [tfl.layers.Layer, number][] {
  const out: [tfl.layers.Layer, number][] = [];
  const first = (): readonly number[] | undefined => (out.length === 0 ? input : undefined);
  const at = (): number => deriveSeed(seed, 0x1a7e, out.length);
  if (spec.kind === 'cnn') {
    spec.conv.forEach((c, i) => {
      const conv = tfl.layers.conv2d({
        name: `conv${i + 1}`,
        filters: c.filters,
        kernelSize: c.kernel,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: at() }),
        biasInitializer: 'zeros',
        ...(out.length === 0 ? { inputShape: [...input] } : {}),
      });
      out.push([conv, 0]);
      if (c.pool > 1) out.push([tfl.layers.maxPooling2d({ name: `pool${i + 1}`, poolSize: c.pool }), 0]);
    });
    out.push([tfl.layers.flatten({ name: 'flatten' }), 0]);
  }
  const hidden = spec.kind === 'mlp' ? spec.hidden : spec.kind === 'cnn' ? spec.dense : [];
  hidden.forEach((h, i) =>
    out.push([dense(`dense${i + 1}`, h.units, h.activation, at(), first()), h.dropout ?? 0]),
  );
  out.push([dense('output', head.units, head.activation, at(), first()), 0]);
  return out;
}

/** Gradient kernels a model's training needs beyond the dense ones every backend has. */
export function kernelsFor(spec: ModelSpec): string[] {
  return spec.kind === 'cnn' ? ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad'] : [];
}

/** A model for `spec` over rows of `inputShape`, initialised from `seed`. */
export function buildNet(spec: ModelSpec, inputShape: readonly number[], head: Head, seed: number): Net {
  const layers = layersOf(spec, inputShape, head, seed);
  const model = tfl.sequential({ name: 'model', layers: layers.map(([l]) => l) });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return {
    model,
    inputShape,
    variables,
    forward(x, training, step) {
      return tf.tidy(() => {
        let h: tf.Tensor = inputShape.length > 1 ? tf.reshape(x, [-1, ...inputShape]) : x;
        layers.forEach(([layer, rate], i) => {
          h = layer.apply(h) as tf.Tensor;
          if (training && rate > 0) h = tf.dropout(h, rate, undefined, deriveSeed(seed, 0xd20, i, step));
        });
        return h as tf.Tensor2D;
      });
    },
    dispose() {
      model.dispose();
    },
  };
}

/** Copies of the model's weights, in layer order, named layer/kernel or layer/bias. */
export async function readWeights(net: Net): Promise<WeightTensor[]> {
  const out: WeightTensor[] = [];
  for (const w of net.model.weights) {
    const value = w.read();
    const data = new Float32Array(await value.data<'float32'>());
    out.push({ name: w.originalName, shape: [...value.shape], data });
  }
  return out;
}

/** Snapshot of the current weights (for early stopping's restore); `restore` puts it back and frees it. */
export function snapshot(net: Net): tf.Tensor[] {
  return net.model.getWeights().map((w) => tf.clone(w));
}

/** Puts a snapshot back and frees it. */
export function restore(net: Net, saved: tf.Tensor[]): void {
  net.model.setWeights(saved);
  tf.dispose(saved);
}

/**
 * Folds a target standardisation into the linear output layer, so the model predicts in the target's own
 * units: y = s·z + m ⇒ kernel·s, bias·s + m.
 */
export function foldOutputScale(net: Net, scale: number, shift: number): void {
  const output = net.model.getLayer('output');
  const [kernel, bias] = output.getWeights();
  if (kernel === undefined || bias === undefined) return;
  const next = tf.tidy(() => [tf.mul(kernel, scale), tf.add(tf.mul(bias, scale), shift)]);
  output.setWeights(next);
  tf.dispose(next);
}

/**
 * Folds an input standardisation x' = (x − mean) / std into the first (dense) layer, so the model takes raw
 * features: kernel[j, :] / std[j], bias − Σ_j mean[j] / std[j] · kernel[j, :].
 */
export function foldInputScale(net: Net, mean: Float32Array, std: Float32Array): void {
  const first = net.model.layers[0]!;
  const [kernel, bias] = first.getWeights();
  if (kernel === undefined || bias === undefined || kernel.rank !== 2) return;
  const next = tf.tidy(() => {
    const inv = tf.div(1, tf.tensor2d(std, [std.length, 1]));
    const k = tf.mul(kernel, inv);
    const shift = tf.matMul(tf.tensor2d(mean, [1, mean.length]), k);
    return [k, tf.sub(bias, tf.reshape(shift, [-1]))];
  });
  first.setWeights(next);
  tf.dispose(next);
}

/** Model outputs (rows × units) for flat rows, in chunks so large test sets stay within memory. */
export async function predict(net: Net, x: Float32Array, rows: number, units: number): Promise<Float32Array> {
  const width = rows === 0 ? 0 : x.length / rows;
  const out = new Float32Array(rows * units);
  const chunk = 1024;
  for (let at = 0; at < rows; at += chunk) {
    const n = Math.min(chunk, rows - at);
    const y = tf.tidy(() =>
      net.forward(tf.tensor2d(x.subarray(at * width, (at + n) * width), [n, width]), false, 0),
    );
    out.set(await y.data<'float32'>(), at * units);
    y.dispose();
  }
  return out;
}
