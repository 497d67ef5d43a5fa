import { WorkbenchError } from '../../../lib/errors';
import type { DatasetMeta, ImageShape, ImageSource } from '../dataset';
import { writeClips } from './audioFiles';
import { imageChunkRows, naturalCompare, writeImageDataset, type ImageBlock } from './imageStore';
import type { DatasetSink, IngestOptions } from './ingest';

/** A camera frame captured in the page: RGBA pixels, width × height × 4, row-major (transferred, not cloned). */
export interface CapturedImage {
  readonly label: string;
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayBuffer;
}

/** A microphone clip recorded in the page: mono samples in [-1, 1] at `sampleRate` (transferred). */
export interface CapturedClip {
  readonly label: string;
  readonly sampleRate: number;
  readonly samples: ArrayBuffer;
}

/** What the Capture panel saves: frames or clips (one kind per dataset). */
export interface CapturedSet {
  readonly name?: string;
  readonly images?: readonly CapturedImage[];
  readonly clips?: readonly CapturedClip[];
}

const labelOrNull = (l: string): string | null => (l.trim() === '' ? null : l.trim());

/** Frames as one image dataset (RGB at the frames' shared size, label = the typed label), as an image import. */
function saveImages(
  name: string,
  images: readonly CapturedImage[],
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  const { width: w, height: h } = images[0]!;
  for (const [i, im] of images.entries()) {
    if (im.width !== w || im.height !== h || im.pixels.byteLength !== w * h * 4) {
      throw new WorkbenchError('INVALID_INPUT', `Captured frame ${i + 1} is not ${w}×${h} RGBA`);
    }
  }
  const shape: ImageShape = [h, w, 3];
  const labels = images.map((im) => labelOrNull(im.label));
  const classes = [...new Set(labels.filter((l) => l !== null))].sort(naturalCompare);
  const codes = new Map(classes.map((c, i) => [c, i]));
  const chunkRows = imageChunkRows(shape);
  const rowBytes = w * h * 3;
  function* blocks(): Generator<ImageBlock> {
    for (let start = 0; start < images.length; start += chunkRows) {
      const end = Math.min(images.length, start + chunkRows);
      const pixels = new Uint8Array((end - start) * rowBytes);
      for (let i = start; i < end; i++) {
        const rgba = new Uint8Array(images[i]!.pixels);
        const out = (i - start) * rowBytes;
        for (let p = 0; p < w * h; p++) {
          pixels[out + p * 3] = rgba[p * 4]!;
          pixels[out + p * 3 + 1] = rgba[p * 4 + 1]!;
          pixels[out + p * 3 + 2] = rgba[p * 4 + 2]!;
        }
      }
      const l = labels.slice(start, end);
      yield {
        rows: end - start,
        pixels,
        labels: classes.length === 0 ? null : Int32Array.from(l, (x) => (x === null ? -1 : codes.get(x)!)),
      };
    }
  }
  const bytes = images.reduce((n, im) => n + im.pixels.byteLength, 0);
  const source: ImageSource = {
    kind: 'capture',
    name: `camera (${images.length} frames)`,
    bytes,
    format: 'capture',
  };
  return writeImageDataset(
    {
      name,
      source,
      shape,
      rows: images.length,
      classes: classes.length === 0 ? null : classes,
      labelMissing: labels.filter((l) => l === null).length,
    },
    blocks(),
    sink,
    opts,
  );
}

/**
 * Saves what the Capture panel recorded as ONE dataset, through the same store as imports (nothing is listed
 * until every chunk is committed; a failure removes what was written). Frames become an image dataset, clips
 * an audio dataset (16 kHz, see writeClips); a set holding both is refused, as a row holds one example.
 */
export async function saveCaptured(
  set: CapturedSet,
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  const images = set.images ?? [];
  const clips = set.clips ?? [];
  if (images.length > 0 && clips.length > 0) {
    throw new WorkbenchError('INVALID_INPUT', 'Save camera frames and audio clips as separate datasets');
  }
  if (images.length > 0) return saveImages(set.name ?? 'captured images', images, sink, opts);
  if (clips.length === 0) throw new WorkbenchError('INVALID_INPUT', 'Nothing was captured');
  const bytes = clips.reduce((n, c) => n + c.samples.byteLength, 0);
  for (const [i, c] of clips.entries()) {
    if (!(c.sampleRate > 0) || c.samples.byteLength % 4 !== 0) {
      throw new WorkbenchError('INVALID_INPUT', `Captured clip ${i + 1} is not f32 audio`);
    }
  }
  return writeClips(
    set.name ?? 'captured audio',
    { kind: 'capture', name: `microphone (${clips.length} clips)`, bytes, format: 'capture' },
    clips.map((c) => labelOrNull(c.label)),
    clips.map((c) => c.samples.byteLength / 4 / c.sampleRate),
    (i) => {
      const c = clips[i]!;
      return { label: null, sampleRate: c.sampleRate, samples: new Float32Array(c.samples) };
    },
    sink,
    opts,
  );
}
