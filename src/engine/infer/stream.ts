/**
 * Stateful streaming: a clip cut into frames, each run through the model with the state outputs of the
 * previous frame fed back as inputs (Silero VAD: input[1, 512] + state[2, 1, 128] + sr → output, stateN).
 * Pure: the runtime is a `run` function, so the loop is tested in Node with onnxruntime-node.
 */
import { WorkbenchError } from '../../lib/errors';
import type { Dim, TensorInfo } from '../deploy/inspect';
import { pairStates, type StatePair } from './statePairs';
import {
  elementCount,
  isInferElemType,
  typedFromNumbers,
  type InferElemType,
  type PlainTensor,
} from './tensors';

/** How to stream a clip; every field has a default. */
export interface StreamOptions {
  /** The model's sample rate: the clip is resampled to it and a rate input (sr) gets it. Default 16000. */
  readonly modelRate?: number;
  /** New samples per frame. Default: the audio input's fixed length, else 32 ms (512 at 16 kHz, Silero v5). */
  readonly frameSamples?: number;
  /**
   * Samples of the previous frame put before each frame. Default: rate / 250 (64 at 16 kHz, as Silero v5's
   * wrapper does) for a model with a rate input and a free-length audio input, else 0.
   */
  readonly contextSamples?: number;
  /** Values for other constant inputs by name (every element); default 0. */
  readonly constants?: Readonly<Record<string, number>>;
  /** Score above which a frame counts as speech, for the segments. Default 0.5. */
  readonly threshold?: number;
}

/** A constant input and the value fed on every frame. */
export interface StreamConstant {
  readonly name: string;
  readonly role: 'rate' | 'constant';
  readonly value: number;
  readonly tensor: PlainTensor;
}

/** Everything the loop needs, decided once from the model's declared inputs and outputs. */
export interface StreamPlan {
  readonly audioInput: string;
  /** The audio input's dims for one frame (frame + context samples on the last axis). */
  readonly audioDims: readonly number[];
  readonly audioType: 'float32' | 'float64';
  readonly states: readonly StatePair[];
  /** Zero initial state per state input. */
  readonly initial: Readonly<Record<string, PlainTensor>>;
  readonly constants: readonly StreamConstant[];
  /** The output charted per frame (its first element). */
  readonly scoreOutput: string;
  readonly modelRate: number;
  readonly frameSamples: number;
  readonly contextSamples: number;
}

/** One frame's result. */
export interface StreamFrame {
  readonly index: number;
  /** Where the frame's new samples start, in seconds of the clip. */
  readonly startS: number;
  readonly score: number;
  /** The run's time in the worker (session.run and reading outputs). */
  readonly runMs: number;
}

const RATE_NAME = /^(sr|sample_?rate|sampling_?rate|rate|fs)$/i;
const AUDIO_NAME = /^(input|audio|x|wav|waveform|pcm|signal|samples|speech|input_values)$/i;
const SCORE_NAME = /(output|prob|speech|score|logit)/i;

const reject = (m: string): never => {
  throw new WorkbenchError('INVALID_INPUT', m);
};

/** Dims with symbolic or unnamed sizes taken as 1 (batch of one). */
const ones = (shape: readonly Dim[] | null): number[] =>
  (shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));

const filled = (type: InferElemType, dims: readonly number[], v: number): PlainTensor => ({
  type,
  dims,
  data: typedFromNumbers(type, new Array<number>(elementCount(dims)).fill(v)),
});

/**
 * The stream plan: state pairs (pairStates), the audio input (the one unpaired float input of rank ≥ 1, or
 * the one among several with an audio-like name), a rate input (an unpaired input named sr, sample_rate…
 * fed `modelRate`), other unpaired inputs as constants, and the score output (the first non-state output
 * named like output/prob/score, else the first non-state output).
 */
export function planStream(
  inputs: readonly TensorInfo[],
  outputs: readonly TensorInfo[],
  options: StreamOptions = {},
): StreamPlan {
  const states = pairStates(inputs, outputs);
  const stateIn = new Set(states.map((p) => p.input));
  const stateOut = new Set(states.map((p) => p.output));
  const free = inputs.filter((i) => !stateIn.has(i.name));
  const floats = free.filter(
    (i) => (i.elemType === 'float32' || i.elemType === 'float64') && (i.shape?.length ?? 1) >= 1,
  );
  const named = floats.filter((i) => AUDIO_NAME.test(i.name));
  const audio = floats.length === 1 ? floats[0] : named.length === 1 ? named[0] : undefined;
  if (audio === undefined) {
    return reject(
      floats.length === 0
        ? 'The model has no float input that could take audio samples.'
        : `Cannot tell which input takes the audio: ${floats.map((f) => f.name).join(', ')}.`,
    );
  }
  const modelRate = options.modelRate ?? 16_000;
  if (!Number.isInteger(modelRate) || modelRate < 1000) reject(`Model rate ${modelRate} Hz is not usable.`);
  const last = audio.shape?.[audio.shape.length - 1];
  const hasRate = free.some((i) => i !== audio && RATE_NAME.test(i.name));
  // Silero v5's own wrapper puts the previous 64 samples (at 16 kHz; 32 at 8 kHz) before each frame: the
  // default for a model with a rate input and a free-length audio input; otherwise plain frames.
  const contextSamples =
    options.contextSamples ?? (hasRate && typeof last !== 'number' ? Math.round(modelRate / 250) : 0);
  if (!Number.isInteger(contextSamples) || contextSamples < 0)
    reject('Context samples must be an integer ≥ 0.');
  const fixed = typeof last === 'number' && last > 0 ? last - contextSamples : null;
  const frameSamples = options.frameSamples ?? fixed ?? Math.round(modelRate * 0.032);
  if (!Number.isInteger(frameSamples) || frameSamples < 1)
    reject('The frame size must be a whole number ≥ 1.');
  if (fixed !== null && fixed !== frameSamples) {
    reject(
      `Input “${audio.name}” takes ${last} samples; frame ${frameSamples} + context ${contextSamples} differ.`,
    );
  }
  const audioDims = [...ones(audio.shape ?? [null]).slice(0, -1), frameSamples + contextSamples];
  const initial: Record<string, PlainTensor> = {};
  for (const p of states) {
    const i = inputs.find((x) => x.name === p.input)!;
    if (!isInferElemType(i.elemType))
      reject(`State input “${i.name}” has type ${i.elemType}, not supported.`);
    initial[p.input] = filled(i.elemType as InferElemType, ones(i.shape), 0);
  }
  const constants: StreamConstant[] = [];
  for (const i of free) {
    if (i === audio) continue;
    if (!isInferElemType(i.elemType)) reject(`Input “${i.name}” has type ${i.elemType}, not supported.`);
    const rate = RATE_NAME.test(i.name) && ones(i.shape).every((d) => d === 1);
    const value = options.constants?.[i.name] ?? (rate ? modelRate : 0);
    const role = rate ? 'rate' : 'constant';
    constants.push({
      name: i.name,
      role,
      value,
      tensor: filled(i.elemType as InferElemType, ones(i.shape), value),
    });
  }
  const scores = outputs.filter((o) => !stateOut.has(o.name));
  const score = scores.find((o) => SCORE_NAME.test(o.name)) ?? scores[0];
  if (score === undefined) return reject('Every output of the model is a state: nothing to chart.');
  return {
    audioInput: audio.name,
    audioDims,
    audioType: audio.elemType as 'float32' | 'float64',
    states,
    initial,
    constants,
    scoreOutput: score.name,
    modelRate,
    frameSamples,
    contextSamples,
  };
}

/** Runs the model once on named plain tensors (the worker's core.run, or onnxruntime-node in tests). */
export type RunFn = (
  feeds: Readonly<Record<string, PlainTensor>>,
) => Promise<{ outputs: Readonly<Record<string, PlainTensor>>; runMs: number }>;

/**
 * Streams `audio` (already at the plan's rate) frame by frame: frame k holds samples [k·F, (k+1)·F), the last
 * one zero-padded, preceded by the `contextSamples` samples before it (zeros at the start). State outputs are
 * fed to their inputs on the next frame. Stops early (between frames) when `cancelled()` turns true.
 */
export async function runStream(
  plan: StreamPlan,
  audio: Float32Array,
  run: RunFn,
  onFrame: (f: StreamFrame) => void,
  cancelled: () => boolean = () => false,
): Promise<{ frames: StreamFrame[]; cancelled: boolean }> {
  const { frameSamples: F, contextSamples: C } = plan;
  const count = Math.ceil(audio.length / F);
  let state: Record<string, PlainTensor> = { ...plan.initial };
  const frames: StreamFrame[] = [];
  for (let k = 0; k < count; k++) {
    if (cancelled()) return { frames, cancelled: true };
    const buf = new Float32Array(C + F);
    const from = k * F - C;
    buf.set(audio.subarray(Math.max(0, from), Math.min(audio.length, (k + 1) * F)), Math.max(0, -from));
    const feeds: Record<string, PlainTensor> = {
      [plan.audioInput]: {
        type: plan.audioType,
        dims: plan.audioDims,
        data: plan.audioType === 'float32' ? buf : Float64Array.from(buf),
      },
      ...state,
    };
    for (const c of plan.constants) feeds[c.name] = c.tensor;
    const { outputs, runMs } = await run(feeds);
    const next: Record<string, PlainTensor> = {};
    for (const p of plan.states) {
      const o = outputs[p.output];
      if (o === undefined) return reject(`The model did not return its state output “${p.output}”.`);
      next[p.input] = o;
    }
    state = next;
    const s = outputs[plan.scoreOutput];
    if (s === undefined || s.data.length === 0) return reject(`The model returned no “${plan.scoreOutput}”.`);
    const frame = { index: k, startS: (k * F) / plan.modelRate, score: Number(s.data[0]), runMs };
    frames.push(frame);
    onFrame(frame);
  }
  return { frames, cancelled: false };
}

/** A stretch of consecutive frames scoring above the threshold, in seconds. */
export interface Segment {
  readonly startS: number;
  readonly endS: number;
  readonly frames: number;
}

/** Runs of consecutive frames with score > threshold (no smoothing), each from its first frame's start to its last frame's end. */
export function speechSegments(frames: readonly StreamFrame[], frameS: number, threshold = 0.5): Segment[] {
  const out: Segment[] = [];
  let start: StreamFrame | null = null;
  let n = 0;
  for (const f of frames) {
    if (f.score > threshold) {
      start ??= f;
      n++;
    } else if (start !== null) {
      out.push({ startS: start.startS, endS: start.startS + n * frameS, frames: n });
      start = null;
      n = 0;
    }
  }
  if (start !== null) out.push({ startS: start.startS, endS: start.startS + n * frameS, frames: n });
  return out;
}
