import type { ColumnChunk, ColumnMeta } from './dataset';

/** A small view of one stored clip, for a table cell: its length without trailing silence, and peaks. */
export interface AudioThumb {
  /** Seconds up to the last non-zero sample (clips are zero-padded to the column's length). */
  readonly seconds: number;
  /** Peak |sample| per bucket, scaled to 0..255. */
  readonly peaks: Uint8Array;
}

/** Buckets in a waveform thumbnail. */
export const AUDIO_THUMB_BUCKETS = 48;

/** An audio cell in text exports: 'audio 2.00 s @ 16000 Hz' (samples do not go into CSV or JSON Lines). */
export function audioText(meta: ColumnMeta): string {
  const rate = meta.sampleRate ?? 0;
  return rate > 0 && meta.samples !== undefined
    ? `audio ${(meta.samples / rate).toFixed(2)} s @ ${rate} Hz`
    : 'audio';
}

/** Row `r` of an audio chunk as a waveform thumbnail. */
export function audioThumb(c: ColumnChunk, r: number, meta: ColumnMeta): AudioThumb {
  const n = meta.samples ?? 0;
  const data = (c.data as Float32Array).subarray(r * n, (r + 1) * n);
  let end = n;
  while (end > 0 && data[end - 1] === 0) end--;
  const peaks = new Uint8Array(AUDIO_THUMB_BUCKETS);
  for (let b = 0; b < AUDIO_THUMB_BUCKETS; b++) {
    const lo = Math.floor((b * n) / AUDIO_THUMB_BUCKETS);
    const hi = Math.max(lo + 1, Math.floor(((b + 1) * n) / AUDIO_THUMB_BUCKETS));
    let peak = 0;
    for (let i = lo; i < hi && i < n; i++) peak = Math.max(peak, Math.abs(data[i]!));
    peaks[b] = Math.round(Math.min(1, peak) * 255);
  }
  return { seconds: end / (meta.sampleRate ?? 1), peaks };
}
