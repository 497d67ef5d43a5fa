/**
 * Streaming inference: state pairing rules, the resampler against analytic tones, the stream plan for Silero
 * VAD v5 and the frame loop run in onnxruntime-node on the audio fixtures.
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { AUDIO_RATE, fitClip } from '../../src/engine/data/ingest/audioFiles';
import { parseWav } from '../../src/engine/data/ingest/wav';
import { inspectOnnx, type TensorInfo } from '../../src/engine/deploy/inspect';
import { toModelRate, trimPadding } from '../../src/engine/infer/resample';
import { pairStates } from '../../src/engine/infer/statePairs';
import { planStream, runStream, speechSegments, type RunFn } from '../../src/engine/infer/stream';
import type { PlainTensor } from '../../src/engine/infer/tensors';
import { WorkbenchError } from '../../src/lib/errors';

/** The WorkbenchError a synchronous call throws. */
function thrown(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkbenchError);
    return e as WorkbenchError;
  }
  throw new Error('expected a WorkbenchError, nothing was thrown');
}

const t = (name: string, elemType: string, shape: TensorInfo['shape']): TensorInfo => ({
  name,
  elemType,
  shape,
});
const silero = new Uint8Array(readFileSync(new URL('../fixtures/onnx/silero_vad_v5.onnx', import.meta.url)));
const SILERO_IN = [
  t('input', 'float32', [null, null]),
  t('state', 'float32', [2, null, 128]),
  t('sr', 'int64', []),
];
const SILERO_OUT = [t('output', 'float32', [null, 1]), t('stateN', 'float32', [null, null, null])];

describe('infer: state pairs', () => {
  it("pairs Silero's state → stateN by name and leaves input and sr unpaired", () => {
    expect(pairStates(SILERO_IN, SILERO_OUT)).toEqual([{ input: 'state', output: 'stateN', rule: 'name' }]);
  });

  it('pairs what the inspector reads from the Silero file the same way', () => {
    const m = inspectOnnx(silero);
    expect(m.inputs.map((i) => i.name)).toEqual(['input', 'state', 'sr']);
    expect(pairStates(m.inputs, m.outputs)).toEqual([{ input: 'state', output: 'stateN', rule: 'name' }]);
  });

  it('follows the naming conventions: h0 → hn, c → cn, past_key_values.0.key → present.0.key, x_in → x_out', () => {
    const ins = [
      t('h0', 'float32', [1, 1, 64]),
      t('c', 'float32', [1, 1, 64]),
      t('past_key_values.0.key', 'float32', [1, 'heads', 'past', 8]),
      t('state_in', 'float32', [4]),
    ];
    const outs = [
      t('state_out', 'float32', [4]),
      t('present.0.key', 'float32', [1, 'heads', 'total', 8]),
      t('cn', 'float32', [1, 1, 64]),
      t('hn', 'float32', [1, 1, 64]),
    ];
    expect(pairStates(ins, outs).map((p) => `${p.input}>${p.output}:${p.rule}`)).toEqual([
      'h0>hn:name',
      'c>cn:name',
      'past_key_values.0.key>present.0.key:name',
      'state_in>state_out:name',
    ]);
  });

  it('refuses a name match whose type or fixed sizes differ, then pairs by the unique same shape', () => {
    const ins = [t('mem', 'float32', [2, 'b', 16]), t('audio', 'float32', ['b', 'n'])];
    const outs = [
      t('memN', 'int64', [2, 'b', 16]),
      t('prob', 'float32', ['b', 1]),
      t('y', 'float32', [2, 'b', 16]),
    ];
    expect(pairStates(ins, outs)).toEqual([{ input: 'mem', output: 'y', rule: 'shape' }]);
    expect(pairStates([t('s', 'float32', [3])], [t('sN', 'float32', [4])])).toEqual([]);
  });

  it('pairs nothing by shape when two outputs (or inputs) share the shape, nor scalars', () => {
    const ins = [t('a', 'float32', [8])];
    expect(pairStates(ins, [t('p', 'float32', [8]), t('q', 'float32', [8])])).toEqual([]);
    expect(pairStates([t('a', 'float32', [8]), t('b', 'float32', [8])], [t('p', 'float32', [8])])).toEqual(
      [],
    );
    expect(pairStates([t('k', 'float32', [])], [t('y', 'float32', [])])).toEqual([]);
  });
});

const tone = (freq: number, rate: number, n: number) =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));

describe('infer: resampling to the model rate', () => {
  // Band-limited sinc (the import's resampler): an in-band tone comes out as the same tone sampled at the new
  // rate. Away from the clip's edges (where the kernel is cut) the error is the filter's ripple.
  it.each([
    [16_000, 8_000, 440],
    [8_000, 16_000, 1_000],
    [48_000, 16_000, 3_000],
    [16_000, 22_050, 2_500],
  ])(
    'a %i Hz tone at %i → %i Hz matches the analytic tone within 5e-3 away from the edges',
    (from, to, f) => {
      const x = tone(f, from, from); // one second
      const y = toModelRate(x, from, to);
      expect(y.length).toBe(Math.round((x.length * to) / from));
      const want = tone(f, to, y.length);
      let worst = 0;
      for (let i = 200; i < y.length - 200; i++) worst = Math.max(worst, Math.abs(y[i]! - want[i]!));
      expect(worst).toBeLessThan(5e-3);
    },
  );

  it('removes a tone above the new Nyquist frequency (6 kHz → 8 kHz output) to under 1 % of its amplitude', () => {
    const y = toModelRate(tone(6_000, 16_000, 16_000), 16_000, 8_000);
    let peak = 0;
    for (let i = 200; i < y.length - 200; i++) peak = Math.max(peak, Math.abs(y[i]!));
    expect(peak).toBeLessThan(0.005);
  });

  it('keeps equal rates as they are, trims zero padding and rejects a rate of 0', () => {
    const x = Float32Array.from([0.1, -0.2, 0.3, 0, 0]);
    expect(Array.from(toModelRate(x, 16_000, 16_000))).toEqual(Array.from(x));
    expect(trimPadding(x).length).toBe(3);
    expect(thrown(() => toModelRate(x, 0, 16_000))).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('infer: stream plan', () => {
  it('Silero v5: audio input, state pair, sr = model rate, 512-sample frames, output charted', () => {
    const p = planStream(SILERO_IN, SILERO_OUT);
    expect(p.audioInput).toBe('input');
    expect([p.frameSamples, p.contextSamples, p.audioDims]).toEqual([512, 64, [1, 576]]);
    expect(p.initial.state?.dims).toEqual([2, 1, 128]);
    expect(p.constants.map((c) => [c.name, c.role, c.value, c.tensor.dims])).toEqual([
      ['sr', 'rate', 16_000, []],
    ]);
    expect(p.constants[0]!.tensor.data).toEqual(BigInt64Array.from([16_000n]));
    expect(p.scoreOutput).toBe('output');
    const p8 = planStream(SILERO_IN, SILERO_OUT, { modelRate: 8_000, contextSamples: 32 });
    expect([p8.frameSamples, p8.audioDims[1], p8.constants[0]!.value]).toEqual([256, 288, 8_000]);
  });

  it('takes a fixed audio length as the frame, and refuses an ambiguous audio input or a bad frame', () => {
    expect(planStream([t('x', 'float32', [1, 160])], [t('y', 'float32', [1])]).frameSamples).toBe(160);
    expect(
      thrown(() =>
        planStream([t('x', 'float32', [1, 160])], [t('y', 'float32', [1])], { frameSamples: 100 }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    expect(
      thrown(() =>
        planStream([t('a', 'float32', [1, 'n']), t('b', 'float32', [1, 'n'])], [t('y', 'float32', [1])]),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('a, b') as string });
  });
});

const fixtureAt16k = (name: string): Float32Array => {
  const wav = parseWav(
    new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url))),
    name,
  );
  const n = Math.round((wav.samples.length * AUDIO_RATE) / wav.sampleRate);
  const out = new Float32Array(n);
  fitClip(wav.samples, wav.sampleRate, n, out, 0); // exactly what the WAV import stores
  return trimPadding(out);
};

async function nodeRunner(): Promise<RunFn> {
  const s = await ort.InferenceSession.create(silero);
  return async (feeds) => {
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = new ort.Tensor(v.type, v.data, [...v.dims]);
    const t0 = performance.now();
    const r = await s.run(f);
    const outputs: Record<string, PlainTensor> = {};
    for (const [k, v] of Object.entries(r)) {
      outputs[k] = { type: 'float32', dims: [...v.dims], data: v.data as Float32Array };
    }
    return { outputs, runMs: performance.now() - t0 };
  };
}

describe('infer: streaming Silero VAD v5 in onnxruntime-node', { timeout: 60_000 }, () => {
  it.each([
    ['the default 64-sample context', {}],
    ['no context', { contextSamples: 0 }],
  ])(
    'with %s: speech > 0.5 on most frames of Front_Center.wav, noise < 0.5 on all of Noise.wav',
    async (_, o) => {
      const run = await nodeRunner();
      const plan = planStream(SILERO_IN, SILERO_OUT, o);
      const speech = await runStream(plan, fixtureAt16k('Front_Center.wav'), run, () => undefined);
      const noise = await runStream(plan, fixtureAt16k('Noise.wav'), run, () => undefined);
      const above = speech.frames.filter((f) => f.score > 0.5).length;
      expect(speech.frames.length).toBe(Math.ceil(fixtureAt16k('Front_Center.wav').length / 512));
      expect(above / speech.frames.length).toBeGreaterThan(0.5);
      expect(Math.max(...speech.frames.map((f) => f.score))).toBeGreaterThan(0.99);
      expect(Math.max(...noise.frames.map((f) => f.score))).toBeLessThan(0.5);
      const segs = speechSegments(speech.frames, 512 / 16_000);
      expect(segs.length).toBeGreaterThan(0);
      expect(segs.reduce((n, s) => n + s.frames, 0)).toBe(above);
    },
  );

  it('feeds the state forward: a stateless run (fresh state each frame) gives different scores', async () => {
    const run = await nodeRunner();
    const plan = planStream(SILERO_IN, SILERO_OUT);
    const audio = fixtureAt16k('Front_Center.wav');
    const stateful = await runStream(plan, audio, run, () => undefined);
    const stateless = await runStream(
      plan,
      audio,
      (feeds) => run({ ...feeds, ...plan.initial }),
      () => undefined,
    );
    const diff = Math.max(...stateful.frames.map((f, i) => Math.abs(f.score - stateless.frames[i]!.score)));
    expect(diff).toBeGreaterThan(0.1);
  });

  it('stops between frames when cancelled', async () => {
    const run = await nodeRunner();
    let seen = 0;
    const r = await runStream(
      planStream(SILERO_IN, SILERO_OUT),
      fixtureAt16k('Noise.wav'),
      run,
      () => seen++,
      () => seen >= 3,
    );
    expect([r.cancelled, r.frames.length]).toEqual([true, 3]);
  });
});
