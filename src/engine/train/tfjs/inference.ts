/**
 * Inference with stored weights: the trained network rebuilt from its spec, its saved weights put back, and
 * its outputs for flat rows, on the backend asked for (started as the trainer starts it).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TrainBackend } from '../spec';
import type { TrainEnv, WeightTensor } from '../train';
import { initBackend } from './backend';
import { buildNet, predict, type Head } from './model';

/** Outputs (rows × head.units) of a stored model for row-major inputs, and the backend that ran it. */
export async function inferStored(
  spec: ModelSpec,
  inputShape: readonly number[],
  head: Head,
  weights: readonly WeightTensor[],
  x: Float32Array,
  rows: number,
  backend: TrainBackend,
  env: TrainEnv,
): Promise<{ out: Float32Array; backend: TrainBackend }> {
  const choice = await initBackend(backend, env);
  const net = buildNet(spec, inputShape, head, 0);
  try {
    const tensors = weights.map((w) => tf.tensor(w.data, [...w.shape]));
    try {
      net.model.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
    return { out: await predict(net, x, rows, head.units), backend: choice.backend };
  } finally {
    net.dispose();
  }
}
