import { WorkbenchError } from '../../../lib/errors';

/** A decoded WAV file: mono samples in [-1, 1] at its own sample rate. */
export interface DecodedAudio {
  readonly sampleRate: number;
  readonly samples: Float32Array;
  /** Channels in the file (mixed down to mono by averaging). */
  readonly channels: number;
}

/** File names imported as WAV audio. */
export function isWavName(path: string): boolean {
  return /\.wave?$/i.test(path);
}

/** Whether bytes start like a RIFF/WAVE file. */
export function isWav(b: Uint8Array): boolean {
  const tag = (o: number) => String.fromCharCode(b[o] ?? 0, b[o + 1] ?? 0, b[o + 2] ?? 0, b[o + 3] ?? 0);
  return b.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'WAVE';
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * Parses a RIFF/WAVE file: PCM 8 (unsigned), 16, 24 or 32-bit integer, or 32/64-bit float, any channel count
 * (averaged to mono). Chunks other than `fmt ` and `data` are skipped; a `data` size past the end of the file
 * (streamed recordings) is cut to what is there. Anything else is PARSE_ERROR naming `name`.
 */
export function parseWav(bytes: Uint8Array, name: string): DecodedAudio {
  const bad = (why: string) =>
    new WorkbenchError('PARSE_ERROR', `${name} is not a WAV file this app can read: ${why}`);
  if (!isWav(bytes)) throw bad('it does not start with a RIFF/WAVE header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { format: number; channels: number; rate: number; bits: number; align: number } | null = null;
  let data: { start: number; length: number } | null = null;
  for (let o = 12; o + 8 <= bytes.length;) {
    const id = String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
    const size = view.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw bad('its fmt chunk is too short');
      let format = view.getUint16(body, true);
      if (format === EXTENSIBLE && size >= 40 && body + 26 <= bytes.length) {
        format = view.getUint16(body + 24, true); // the sub-format GUID starts with the format code
      }
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      data = { start: body, length: Math.min(size, bytes.length - body) };
      if (fmt !== null) break;
    }
    o = body + size + (size & 1); // chunks are padded to even sizes
  }
  if (fmt === null) throw bad('it has no fmt chunk');
  if (data === null) throw bad('it has no data chunk');
  const { format, channels, rate, bits } = fmt;
  if (channels < 1 || rate < 1) throw bad(`it declares ${channels} channels at ${rate} Hz`);
  const width = bits / 8;
  const supported =
    (format === PCM && [8, 16, 24, 32].includes(bits)) || (format === FLOAT && (bits === 32 || bits === 64));
  if (!supported) throw bad(`format ${format} with ${bits}-bit samples is not supported (PCM or float only)`);
  const frame = Math.max(fmt.align, width * channels);
  const frames = Math.floor(data.length / frame);
  const read = (o: number): number => {
    if (format === FLOAT) return bits === 32 ? view.getFloat32(o, true) : view.getFloat64(o, true);
    switch (bits) {
      case 8:
        return (view.getUint8(o) - 128) / 128;
      case 16:
        return view.getInt16(o, true) / 32768;
      case 24:
        return (view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getInt8(o + 2) << 16)) / 8388608;
      default:
        return view.getInt32(o, true) / 2147483648;
    }
  };
  const samples = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    const at = data.start + f * frame;
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(at + c * width);
    samples[f] = sum / channels;
  }
  return { sampleRate: rate, samples, channels };
}

/** A WAV file of mono or interleaved samples in [-1, 1]: 16-bit PCM, 24-bit PCM or 32-bit float (tests, exports). */
export function encodeWav(
  interleaved: Float32Array,
  sampleRate: number,
  opts: { channels?: number; bits?: 8 | 16 | 24 | 32; float?: boolean } = {},
): Uint8Array {
  const channels = opts.channels ?? 1;
  const bits = opts.float ? 32 : (opts.bits ?? 16);
  const width = bits / 8;
  const dataBytes = interleaved.length * width;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const tag = (o: number, s: string) => [...s].forEach((ch, i) => (out[o + i] = ch.charCodeAt(0)));
  tag(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, opts.float ? FLOAT : PCM, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * channels * width, true);
  v.setUint16(32, channels * width, true);
  v.setUint16(34, bits, true);
  tag(36, 'data');
  v.setUint32(40, dataBytes, true);
  interleaved.forEach((x, i) => {
    const o = 44 + i * width;
    const c = Math.max(-1, Math.min(1, x));
    if (opts.float) v.setFloat32(o, x, true);
    else if (bits === 8) v.setUint8(o, Math.round(c * 127) + 128);
    else if (bits === 16) v.setInt16(o, Math.round(c * 32767), true);
    else if (bits === 24) {
      const s = Math.round(c * 8388607);
      v.setUint8(o, s & 255);
      v.setUint8(o + 1, (s >> 8) & 255);
      v.setInt8(o + 2, s >> 16);
    } else v.setInt32(o, Math.round(c * 2147483647), true);
  });
  return out;
}
