/**
 * Tensors ↔ plain arrays for checkpoints: model weights, optimizer slots (with Adam's running β powers,
 * which tfjs's setWeights would otherwise recompute as β^(t+1) and so differ in the last bits from the
 * product an uninterrupted run accumulates), early stopping's best weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WeightTensor } from '../train';

/** Prefix of entries that are not optimizer.getWeights() slots (Adam's β powers). */
const EXTRA = '__';

/**
 * Adam's running β1^t and β2^t, or null for other optimizers. (Not `instanceof tf.AdamOptimizer`: tfjs gives
 * Optimizer a Symbol.hasInstance that is true for every optimizer, subclasses included.)
 */
function betaPowers(opt: tf.Optimizer): Record<string, tf.Variable> | null {
  const a = opt as unknown as Partial<Record<'accBeta1' | 'accBeta2', tf.Variable>>;
  return a.accBeta1 !== undefined && a.accBeta2 !== undefined
    ? { accBeta1: a.accBeta1, accBeta2: a.accBeta2 }
    : null;
}

/** Copies tensors to plain arrays (names from `names`, else w0, w1...). */
export async function toArrays(
  tensors: readonly tf.Tensor[],
  names?: readonly string[],
): Promise<WeightTensor[]> {
  const out: WeightTensor[] = [];
  for (const [i, t] of tensors.entries()) {
    out.push({ name: names?.[i] ?? `w${i}`, shape: [...t.shape], data: new Float32Array(await t.data()) });
  }
  return out;
}

/** New tensors (on the current backend) from plain arrays; the caller owns them. */
export function fromArrays(weights: readonly WeightTensor[]): tf.Tensor[] {
  return weights.map((w) => tf.tensor(w.data, [...w.shape], 'float32'));
}

/** The optimizer's state: iterations, its slot variables in order, and Adam's β1^t, β2^t accumulators. */
export async function readOptimizer(opt: tf.Optimizer): Promise<WeightTensor[]> {
  const named = await opt.getWeights();
  const out = await toArrays(
    named.map((n) => n.tensor),
    named.map((n) => n.name),
  );
  named[0]?.tensor.dispose(); // 'iter': a scalar made for the call; the others are the optimizer's own
  const betas = betaPowers(opt);
  if (betas !== null) {
    const names = Object.keys(betas);
    out.push(
      ...(await toArrays(
        Object.values(betas),
        names.map((n) => `${EXTRA}${n}`),
      )),
    );
  }
  return out;
}

/** Puts a fresh optimizer (of the same kind) back in the state `readOptimizer` gave. */
export async function restoreOptimizer(opt: tf.Optimizer, state: readonly WeightTensor[]): Promise<void> {
  const slots = state.filter((w) => !w.name.startsWith(EXTRA));
  if (slots.length === 0) return;
  const tensors = fromArrays(slots);
  // setWeights turns each tensor into a new variable (sharing its data) and reads 'iter': ours can go.
  await opt.setWeights(slots.map((w, i) => ({ name: w.name, tensor: tensors[i]! })));
  tf.dispose(tensors);
  const betas = betaPowers(opt);
  if (betas !== null) {
    for (const w of state.filter((s) => s.name.startsWith(EXTRA))) {
      const v = betas[w.name.slice(EXTRA.length)];
      if (v === undefined) continue;
      const t = tf.scalar(w.data[0]!);
      v.assign(t);
      t.dispose();
    }
  }
}
