/**
 * Which outputs of a stateful model (a streaming VAD, an RNN, a decoder with a KV cache) feed which inputs on
 * the next call. Pure: works on the inspector's tensor descriptions, so it is unit-tested without a runtime.
 */
import type { Dim, TensorInfo } from '../deploy/inspect';

/** An output fed back into an input on the next frame. */
export interface StatePair {
  readonly input: string;
  readonly output: string;
  /** Which rule matched: 'name' (a naming convention) or 'shape' (the unique same-type, same-shape output). */
  readonly rule: 'name' | 'shape';
}

/** Output names that carry input `n` forward, by convention, in the order they are tried. */
export function stateOutputNames(n: string): string[] {
  const names = [`${n}N`, `${n}n`, `${n}_out`, `${n}out`, `${n}_new`, `${n}new`, `new_${n}`, `next_${n}`];
  // 'past*' ↔ 'present*' (past_key_values.0.key ↔ present.0.key, past_h ↔ present_h).
  const past = /^past(_key_values)?(.*)$/.exec(n);
  if (past !== null) names.push(`present${past[2]}`, `present${past[1] ?? ''}${past[2]}`);
  // h0 ↔ hn, c0 ↔ cn, state_0 ↔ state_n (RNN exports).
  if (/0$/.test(n)) names.push(`${n.slice(0, -1)}n`, `${n.slice(0, -1)}N`);
  // 'state_in' ↔ 'state_out', 'h_in' ↔ 'h_out' (state-like names only: 'audio_in' → 'audio_out' is a signal).
  const inName = /^(.*(?:state|hidden|cell|cache|h|c))(_?)in$/i.exec(n);
  if (inName !== null) names.push(`${inName[1]}${inName[2]}out`);
  return [...new Set(names)];
}

/**
 * Whether two shapes may describe the same tensor: same rank, and fixed sizes equal where both are fixed (a
 * symbolic or unnamed dimension matches anything). An unknown rank is compatible with any shape.
 */
export function compatibleShapes(a: readonly Dim[] | null, b: readonly Dim[] | null): boolean {
  if (a === null || b === null) return true;
  if (a.length !== b.length) return false;
  return a.every((d, i) => {
    const e = b[i];
    return typeof d !== 'number' || typeof e !== 'number' || d === e;
  });
}

/** Identical shape declarations: same rank, equal fixed sizes, and symbolic (or unnamed) where the other is. */
function sameShape(a: readonly Dim[] | null, b: readonly Dim[] | null): boolean {
  if (a === null || b === null || a.length !== b.length) return false;
  return a.every((d, i) => {
    const e = b[i];
    return typeof d === 'number' ? d === e : typeof e !== 'number';
  });
}

/**
 * Pairs state outputs with state inputs. Rules, in order:
 * 1. by name: an output named after the input by one of the conventions of `stateOutputNames` (input + 'N',
 *    '_out', 'out', '_new'…, 'past*' → 'present*', 'h0' → 'hn', 'state_in' → 'state_out'), with the same element type
 *    and a compatible shape (`compatibleShapes`);
 * 2. by shape: among what rule 1 left unpaired, an input and an output of the same element type and the same
 *    declared shape (rank ≥ 1), when each is the only one of its side with that type and shape.
 * Scalars never pair by shape (a sample rate is not a state); each output feeds at most one input.
 */
export function pairStates(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): StatePair[] {
  const pairs: StatePair[] = [];
  const usedOut = new Set<string>();
  const usedIn = new Set<string>();
  for (const i of inputs) {
    for (const candidate of stateOutputNames(i.name)) {
      const o = outputs.find((x) => x.name === candidate);
      if (o === undefined || usedOut.has(o.name)) continue;
      if (o.elemType !== i.elemType || !compatibleShapes(i.shape, o.shape)) continue;
      pairs.push({ input: i.name, output: o.name, rule: 'name' });
      usedOut.add(o.name);
      usedIn.add(i.name);
      break;
    }
  }
  const freeIn = inputs.filter((i) => !usedIn.has(i.name) && i.shape !== null && i.shape.length > 0);
  const freeOut = outputs.filter((o) => !usedOut.has(o.name));
  for (const i of freeIn) {
    const like = (t: TensorInfo) => t.elemType === i.elemType && sameShape(t.shape, i.shape);
    const outs = freeOut.filter((o) => !usedOut.has(o.name) && like(o));
    if (outs.length !== 1 || freeIn.filter(like).length !== 1) continue;
    pairs.push({ input: i.name, output: outs[0]!.name, rule: 'shape' });
    usedOut.add(outs[0]!.name);
  }
  return pairs;
}
