import { WorkbenchError } from '../../../lib/errors';
import type { DatasetMeta, ImageSource } from '../dataset';
import { labelOf } from './imageFiles';
import {
  checkCancelled,
  naturalCompare,
  writeTensorDataset,
  type InputFile,
  type MultiIngestOptions,
  type TensorBlock,
} from './imageStore';
import type { DatasetSink, IngestOptions } from './ingest';
import { resample } from './resample';
import { parseWav } from './wav';

/** Stored sample rate of every audio column: 16 kHz mono, what speech and keyword models take. */
export const AUDIO_RATE = 16_000;
/** Longest stored clip: clips are zero-padded to the longest one in the set, which is capped at 2 s. */
export const MAX_CLIP_SECONDS = 2;
/** Bytes one stored audio chunk aims at (as images: few records, a page of rows reads a few MB). */
const CHUNK_TARGET_BYTES = 4 * 2 ** 20;

/** Rows per stored chunk for clips of `samples` f32 samples: about 4 MiB, at most 4096 rows. */
export function audioChunkRows(samples: number): number {
  return Math.max(1, Math.min(4096, Math.floor(CHUNK_TARGET_BYTES / (samples * 4))));
}

/** Samples per stored clip for clips of these lengths (in seconds): the longest, capped, at least 1 sample. */
export function clipSamples(seconds: readonly number[]): number {
  const longest = Math.min(MAX_CLIP_SECONDS, Math.max(0, ...seconds));
  return Math.max(1, Math.ceil(longest * AUDIO_RATE));
}

/** A clip at `rate` resampled to 16 kHz and zero-padded or cut to `samples`, written into `out` at `at`. */
export function fitClip(
  clip: Float32Array,
  rate: number,
  samples: number,
  out: Float32Array,
  at: number,
): void {
  // Only the part that is kept is resampled (plus a margin for the filter's taps).
  const keep = Math.min(clip.length, Math.ceil(((samples + 64) * rate) / AUDIO_RATE));
  const r = resample(keep === clip.length ? clip : clip.subarray(0, keep), rate, AUDIO_RATE);
  out.set(r.length > samples ? r.subarray(0, samples) : r, at);
}

/** One clip to store: samples at their own rate, and a label (null: none). */
export interface Clip {
  readonly label: string | null;
  readonly sampleRate: number;
  readonly samples: Float32Array;
}

/**
 * Stores clips as one dataset: an `audio` column (f32, 16 kHz mono, all clips one length: see clipSamples) and,
 * when any clip has a label, a categorical `label` target (classes in natural order). `load(i)` gives clip i
 * (called once, in order, so clips can be decoded lazily). Nothing is stored on failure or cancel.
 */
export function writeClips(
  name: string,
  source: ImageSource,
  labels: readonly (string | null)[],
  seconds: readonly number[],
  load: (i: number) => Promise<Clip> | Clip,
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  const rows = labels.length;
  if (rows === 0) throw new WorkbenchError('INVALID_INPUT', 'No audio clips to store');
  const samples = clipSamples(seconds);
  const classes = [...new Set(labels.filter((l) => l !== null))].sort(naturalCompare);
  const codes = new Map(classes.map((c, i) => [c, i]));
  const chunkRows = audioChunkRows(samples);

  async function* blocks(): AsyncGenerator<TensorBlock> {
    for (let start = 0; start < rows; start += chunkRows) {
      const end = Math.min(rows, start + chunkRows);
      const values = new Float32Array((end - start) * samples);
      for (let i = start; i < end; i++) {
        checkCancelled(opts.signal);
        const clip = await load(i);
        fitClip(clip.samples, clip.sampleRate, samples, values, (i - start) * samples);
      }
      const l = labels.slice(start, end);
      yield {
        rows: end - start,
        values,
        labels: classes.length === 0 ? null : Int32Array.from(l, (x) => (x === null ? -1 : codes.get(x)!)),
      };
    }
  }

  return writeTensorDataset(
    {
      name,
      source,
      column: { name: 'audio', type: 'audio', missing: 0, samples, sampleRate: AUDIO_RATE },
      rowLength: samples,
      chunkRows,
      rows,
      classes: classes.length === 0 ? null : classes,
      labelMissing: labels.filter((l) => l === null).length,
    },
    blocks(),
    sink,
    opts,
  );
}

async function decode(f: InputFile) {
  return parseWav(new Uint8Array(await f.blob.arrayBuffer()), f.path);
}

/**
 * Imports WAV files as one audio dataset, in path order, labelled by the folder each file sits in ('yes/1.wav'
 * → 'yes'; files outside folders have no label). Every file is parsed first, so a bad one fails the import
 * (PARSE_ERROR naming it) before anything is stored; the second pass decodes again, chunk by chunk, so
 * memory holds one chunk of clips, not the whole set.
 */
export async function ingestAudio(
  names: { readonly dataset: string; readonly source: string },
  input: readonly InputFile[],
  sink: DatasetSink,
  opts: MultiIngestOptions,
): Promise<DatasetMeta> {
  const files = [...input].sort((a, b) => naturalCompare(a.path, b.path));
  const totalBytes = files.reduce((n, f) => n + f.blob.size, 0);
  const seconds: number[] = [];
  let bytes = 0;
  for (const f of files) {
    checkCancelled(opts.signal);
    const a = await decode(f);
    seconds.push(a.samples.length / a.sampleRate);
    bytes += f.blob.size;
    opts.onProgress?.({ phase: 'scanning', bytes, totalBytes, rows: seconds.length });
  }
  const source: ImageSource = { kind: opts.kind, name: names.source, bytes: totalBytes, format: 'audio' };
  return writeClips(
    names.dataset,
    source,
    files.map((f) => labelOf(f.path)),
    seconds,
    async (i) => {
      const a = await decode(files[i]!);
      return { label: null, sampleRate: a.sampleRate, samples: a.samples };
    },
    sink,
    opts,
  );
}
