/** Loss functions and metric sums on model outputs (per sample, so class weights can scale them). */
import * as tf from '@tensorflow/tfjs-core';

/**
 * binary: one sigmoid output, binary cross-entropy. categorical: softmax outputs, categorical
 * cross-entropy. mse / mae: one linear output.
 */
export type LossKind = 'binary' | 'categorical' | 'mse' | 'mae';

/** Probabilities are clipped to [ε, 1 − ε] before the log, as Keras does. */
const EPSILON = 1e-7;

/** Loss of each row: outputs [b, units], labels [b] (class index or value). */
export function perSampleLoss(
  kind: LossKind,
  out: tf.Tensor2D,
  y: tf.Tensor1D,
  classes: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    if (kind === 'categorical') {
      const p = tf.clipByValue(out, EPSILON, 1 - EPSILON);
      const hot = tf.oneHot(tf.cast(y, 'int32'), classes);
      return tf.neg(tf.sum(tf.mul(hot, tf.log(p)), 1));
    }
    const o = tf.reshape(out, [-1]);
    if (kind === 'binary') {
      const p = tf.clipByValue(o, EPSILON, 1 - EPSILON);
      const one = tf.scalar(1);
      return tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(one, y), tf.log(tf.sub(one, p)))));
    }
    const e = tf.sub(o, y);
    return kind === 'mse' ? tf.square(e) : tf.abs(e);
  }) as tf.Tensor1D;
}

/** Sum over the batch of the metric: correct predictions (classification) or absolute errors (regression). */
export function metricSum(kind: LossKind, out: tf.Tensor2D, y: tf.Tensor1D): tf.Scalar {
  return tf.tidy<tf.Scalar>(() => {
    if (kind === 'categorical') {
      return tf.sum(tf.cast(tf.equal(tf.argMax(out, 1), tf.cast(y, 'int32')), 'float32'));
    }
    const o = tf.reshape(out, [-1]);
    if (kind === 'binary')
      return tf.sum(tf.cast(tf.equal(tf.cast(tf.greater(o, 0.5), 'float32'), y), 'float32'));
    return tf.sum(tf.abs(tf.sub(o, y)));
  });
}
