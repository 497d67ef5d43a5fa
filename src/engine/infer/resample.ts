/**
 * Audio for a streaming model: a stored clip without its zero padding, at the model's sample rate. The
 * resampler is the import's (src/engine/data/ingest/resample.ts): band-limited, a Blackman-windowed sinc
 * with 16 zero crossings a side, low-pass at 0.92 × the lower Nyquist frequency, taps normalised to unit DC
 * gain. Stored audio is 16 kHz, so a 16 kHz model gets the samples as they are.
 */
import { WorkbenchError } from '../../lib/errors';
import { resample } from '../data/ingest/resample';

/** The clip up to its last non-zero sample (audio columns are zero-padded to the longest clip). */
export function trimPadding(samples: Float32Array): Float32Array {
  let end = samples.length;
  while (end > 0 && samples[end - 1] === 0) end--;
  return samples.subarray(0, end);
}

/** `samples` at `from` Hz as `to` Hz (a copy; unchanged values when the rates are equal). */
export function toModelRate(samples: Float32Array, from: number, to: number): Float32Array {
  if (!(from > 0) || !(to > 0)) {
    throw new WorkbenchError('INVALID_INPUT', `Sample rates must be positive (got ${from} Hz → ${to} Hz).`);
  }
  return resample(samples, from, to);
}
