import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audioThumb } from '../../src/engine/data/audio';
import { exportCsv } from '../../src/engine/data/export';
import { AUDIO_RATE, clipSamples, MAX_CLIP_SECONDS } from '../../src/engine/data/ingest/audioFiles';
import { saveCaptured } from '../../src/engine/data/ingest/capture';
import { ingestPlanned, planFiles } from '../../src/engine/data/ingest/files';
import type { ImageDecoder } from '../../src/engine/data/ingest/imageFiles';
import type { InputFile } from '../../src/engine/data/ingest/imageStore';
import { resample } from '../../src/engine/data/ingest/resample';
import { encodeWav, parseWav } from '../../src/engine/data/ingest/wav';
import { MemorySink } from '../support/memorySink';
import { failure } from '../support/failure';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/audio/${name}`, import.meta.url)));

const file = (path: string, bytes: Uint8Array): InputFile => ({
  name: path.split('/').pop()!,
  path,
  blob: new Blob([bytes as Uint8Array<ArrayBuffer>]),
});

const noDecoder: ImageDecoder = {
  size: () => Promise.reject(new Error('no images here')),
  rgba: () => Promise.reject(new Error('no images here')),
};

function sine(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amp * Math.sin((2 * Math.PI * freq * i) / rate),
  );
}

/** Amplitude of the `freq` component of x (a single-bin DFT over whole periods of the middle of x). */
function toneAmplitude(x: Float32Array, freq: number, rate: number): number {
  const lo = Math.floor(x.length / 4);
  const n = Math.floor((x.length / 2) * (freq / rate)) * Math.round(rate / freq) || x.length >> 1;
  let re = 0;
  let im = 0;
  for (let i = lo; i < lo + n; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * freq * i) / rate);
    im += x[i]! * Math.sin((2 * Math.PI * freq * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / n;
}

async function load(files: InputFile[], sink = new MemorySink(), signal?: AbortSignal) {
  const plan = await planFiles(files);
  if (plan.kind === 'text') throw new Error('planned as text');
  const meta = await ingestPlanned(plan, noDecoder, sink, {
    id: 'ds-a',
    kind: 'file',
    now: () => 0,
    ...(signal ? { signal } : {}),
  });
  return { meta, sink };
}

describe('data: WAV parsing', () => {
  it('parses both real 48 kHz mono 16-bit fixtures: ≈1.4 s each, samples in [-1, 1]', () => {
    for (const name of ['Front_Center.wav', 'Noise.wav']) {
      const a = parseWav(fixture(name), name);
      expect(a.sampleRate).toBe(48_000);
      expect(a.channels).toBe(1);
      const seconds = a.samples.length / a.sampleRate;
      expect(seconds).toBeGreaterThan(1.3);
      expect(seconds).toBeLessThan(1.6);
      const peak = a.samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeGreaterThan(0.01);
      expect(peak).toBeLessThanOrEqual(1);
    }
    expect(parseWav(fixture('Front_Center.wav'), 'f').samples.length).toBe(68_545);
  });

  it('reads 8/16/24/32-bit PCM and 32-bit float, and mixes stereo to mono', () => {
    const x = Float32Array.of(0, 0.5, -0.5, 0.25, -1, 0.999);
    for (const [opts, tol] of [
      [{ bits: 8 }, 1 / 100],
      [{ bits: 16 }, 1e-4],
      [{ bits: 24 }, 1e-6],
      [{ bits: 32 }, 1e-8],
      [{ float: true }, 0],
    ] as const) {
      const a = parseWav(encodeWav(x, 22_050, opts), 'x.wav');
      expect(a.sampleRate).toBe(22_050);
      expect(a.samples.length).toBe(x.length);
      a.samples.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThanOrEqual(tol + 1e-7));
    }
    // Stereo, interleaved L R: (1, 0) (0.5, -0.5) (-1, -1) → 0.5, 0, -1.
    const st = parseWav(
      encodeWav(Float32Array.of(1, 0, 0.5, -0.5, -1, -1), 8000, { channels: 2, float: true }),
      's',
    );
    expect(st.channels).toBe(2);
    expect([...st.samples]).toEqual([0.5, 0, -1]);
  });

  it('fails on garbage, a missing data chunk or an unsupported format with PARSE_ERROR naming the file', async () => {
    const garbage = Uint8Array.from({ length: 500 }, (_, i) => (i * 31) % 256);
    expect(() => parseWav(garbage, 'junk.wav')).toThrowError(/junk\.wav is not a WAV file/);
    const noData = encodeWav(Float32Array.of(0.1), 8000).slice(0, 36);
    expect(() => parseWav(noData, 'cut.wav')).toThrowError(/cut\.wav.*no data chunk/);
    const alaw = encodeWav(Float32Array.of(0.1, 0.2), 8000, { bits: 8 });
    alaw[20] = 6; // format 6: A-law
    expect(() => parseWav(alaw, 'alaw.wav')).toThrowError(/format 6/);
    const e = await failure(load([file('junk.wav', garbage)]));
    expect(e.code).toBe('PARSE_ERROR');
    expect(e.message).toContain('junk.wav');
  });
});

describe('data: resampling (windowed-sinc CPU reference)', () => {
  it('a 1 kHz sine at 48 kHz resampled to 16 kHz keeps its frequency and amplitude within 1%', () => {
    const out = resample(sine(1000, 48_000, 1), 48_000, 16_000);
    expect(out.length).toBe(16_000);
    expect(toneAmplitude(out, 1000, 16_000)).toBeCloseTo(0.5, 2); // |err| < 0.005 = 1%
    // Frequency: every 16 output samples is one period; zero crossings match a 1 kHz tone.
    let crossings = 0;
    for (let i = 1000; i < 15_000; i++) if (out[i - 1]! < 0 && out[i]! >= 0) crossings++;
    expect(crossings).toBeGreaterThanOrEqual(874);
    expect(crossings).toBeLessThanOrEqual(876);
    // Sample by sample, away from the edges, it equals the 16 kHz sine within 0.5% of full scale.
    const ref = sine(1000, 16_000, 1);
    for (let i = 200; i < 15_800; i++) expect(Math.abs(out[i]! - ref[i]!)).toBeLessThan(0.005);
  });

  it('removes a 12 kHz tone when downsampling to 16 kHz instead of aliasing it to 4 kHz (≥ 50 dB)', () => {
    const out = resample(sine(12_000, 48_000, 1), 48_000, 16_000);
    expect(toneAmplitude(out, 4000, 16_000)).toBeLessThan(0.5 * 10 ** (-50 / 20));
  });

  it('upsamples 8 kHz to 16 kHz keeping a 500 Hz tone', () => {
    const out = resample(sine(500, 8000, 0.5), 8000, 16_000);
    expect(out.length).toBe(8000);
    expect(toneAmplitude(out, 500, 16_000)).toBeCloseTo(0.5, 2);
  });
});

describe('data: audio datasets', () => {
  it('imports the real fixtures in labelled folders as one 16 kHz audio dataset', async () => {
    const { meta, sink } = await load([
      file('sounds/speech/Front_Center.wav', fixture('Front_Center.wav')),
      file('sounds/noise/Noise.wav', fixture('Noise.wav')),
      file('sounds/README.txt', new TextEncoder().encode('skipped')),
    ]);
    expect(meta.name).toBe('sounds');
    expect(meta.rows).toBe(2);
    expect(meta.source).toMatchObject({ format: 'audio', name: 'sounds/ (2 files)' });
    const samples = Math.ceil((68_545 / 48_000) * AUDIO_RATE); // the longest clip, 1.43 s
    expect(meta.columns[0]).toEqual({
      name: 'audio',
      type: 'audio',
      missing: 0,
      samples,
      sampleRate: 16_000,
    });
    expect(meta.columns[1]).toMatchObject({
      name: 'label',
      type: 'categorical',
      dictionary: ['noise', 'speech'],
    });
    expect(meta.target).toBe('label');
    const audio = await sink.read('ds-a')(0, 0);
    expect(audio.data).toBeInstanceOf(Float32Array);
    expect(audio.data.length).toBe(2 * samples);
    expect([...((await sink.read('ds-a')(1, 0)).data as Int32Array)]).toEqual([0, 1]); // noise/ sorts first
    // Row 1 (Noise.wav, shorter) is zero-padded; the thumbnail reports its own length.
    const t = audioThumb(audio, 0, meta.columns[0]!);
    expect(t.seconds).toBeGreaterThan(1.3);
    expect(t.seconds).toBeLessThan(1.43);
    expect(t.peaks.some((p) => p > 0)).toBe(true);
    let csv = '';
    for await (const part of exportCsv(meta, sink.read('ds-a'))) csv += part;
    expect(csv.split('\r\n')[1]).toBe('audio 1.43 s @ 16000 Hz,noise');
  });

  it('a single WAV has no label; long clips are cut at 2 s; a float32 stereo WAV imports', async () => {
    const long = sine(440, 44_100, 3);
    const stereo = new Float32Array(long.length * 2);
    long.forEach((v, i) => stereo.set([v, v], i * 2));
    const { meta, sink } = await load([
      file('tone.wav', encodeWav(stereo, 44_100, { channels: 2, float: true })),
    ]);
    expect(meta.name).toBe('tone');
    expect(meta.columns).toHaveLength(1);
    expect(meta.target).toBeNull();
    expect(meta.columns[0]!.samples).toBe(MAX_CLIP_SECONDS * AUDIO_RATE);
    expect((await sink.read('ds-a')(0, 0)).data.length).toBe(32_000);
    expect(clipSamples([0.5, 1.25])).toBe(20_000);
  });

  it('a cancelled import ends CANCELLED and stores nothing', async () => {
    const sink = new MemorySink();
    const controller = new AbortController();
    controller.abort();
    const e = await failure(load([file('a/x.wav', fixture('Noise.wav'))], sink, controller.signal));
    expect(e.code).toBe('CANCELLED');
    expect(sink.metas.size).toBe(0);
    expect(sink.chunks.size).toBe(0);
  });

  it('a WAV with images is refused; a .wav that is not WAV fails naming it and stores nothing', async () => {
    const e = await failure(
      planFiles([file('a.wav', fixture('Noise.wav')), file('b.png', new Uint8Array(4))]),
    );
    expect(e.code).toBe('INVALID_INPUT');
    const sink = new MemorySink();
    const bad = await failure(
      load([file('c/ok.wav', fixture('Noise.wav')), file('c/bad.wav', new Uint8Array(100))], sink),
    );
    expect(bad.message).toContain('c/bad.wav');
    expect(sink.metas.size).toBe(0);
  });
});

describe('data: captured examples', () => {
  const rgba = (w: number, h: number, v: number) => new Uint8Array(w * h * 4).fill(v).buffer;

  it('saves frames as one image dataset with a label per frame', async () => {
    const sink = new MemorySink();
    const images = ['a', 'a', 'b'].map((label, i) => ({
      label,
      width: 4,
      height: 2,
      pixels: rgba(4, 2, i * 10),
    }));
    const meta = await saveCaptured({ images }, sink, { id: 'c1', now: () => 0 });
    expect(meta.columns[0]).toMatchObject({ type: 'image', shape: [2, 4, 3] });
    expect(meta.columns[1]).toMatchObject({ dictionary: ['a', 'b'] });
    expect(meta.source).toMatchObject({ kind: 'capture', format: 'capture' });
    const px = (await sink.read('c1')(0, 0)).data as Uint8Array;
    expect(px.length).toBe(3 * 24);
    expect(px[24 * 2]).toBe(20);
    expect([...((await sink.read('c1')(1, 0)).data as Int32Array)]).toEqual([0, 0, 1]);
  });

  it('saves clips as one 16 kHz audio dataset; mixed or mismatched input stores nothing', async () => {
    const sink = new MemorySink();
    const clip = sine(1000, 48_000, 1).buffer as ArrayBuffer;
    const meta = await saveCaptured(
      { clips: [{ label: 'noise', sampleRate: 48_000, samples: clip }] },
      sink,
      {
        id: 'c2',
      },
    );
    expect(meta.columns[0]).toMatchObject({ type: 'audio', samples: 16_000, sampleRate: 16_000 });
    expect(meta.rows).toBe(1);
    const mixed = await failure(
      saveCaptured(
        {
          images: [{ label: 'a', width: 1, height: 1, pixels: rgba(1, 1, 0) }],
          clips: [{ label: 'n', sampleRate: 16_000, samples: new ArrayBuffer(8) }],
        },
        sink,
        { id: 'c3' },
      ),
    );
    expect(mixed.code).toBe('INVALID_INPUT');
    const sizes = await failure(
      saveCaptured(
        {
          images: [
            { label: 'a', width: 2, height: 2, pixels: rgba(2, 2, 0) },
            { label: 'a', width: 3, height: 2, pixels: rgba(3, 2, 0) },
          ],
        },
        sink,
        { id: 'c4' },
      ),
    );
    expect(sizes.code).toBe('INVALID_INPUT');
    expect([...sink.metas.keys()]).toEqual(['c2']);
  });
});
