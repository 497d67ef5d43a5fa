import { WorkbenchError } from '../../../lib/errors';
import type { DatasetMeta, ImageShape } from '../dataset';
import type { DatasetSink } from './ingest';
import {
  checkCancelled,
  imageChunkRows,
  naturalCompare,
  writeImageDataset,
  type ImageBlock,
  type InputFile,
  type MultiIngestOptions,
} from './imageStore';

/** Longest side of a stored image; larger images are scaled down (Teachable Machine trains on 224×224). */
export const MAX_IMAGE_SIDE = 224;
/** Bytes read from the start of each file to find its size in the PNG or JPEG header. */
const HEAD_BYTES = 256 * 1024;

/** An image's size, and whether its header says it is grayscale. */
export interface ImageInfo {
  readonly width: number;
  readonly height: number;
  readonly gray: boolean;
}

/** Decodes images; in the browser, createImageBitmap and an OffscreenCanvas (imageDecode.ts). */
export interface ImageDecoder {
  /** The size of an image whose header sniffImage could not read; rejects if it does not decode. */
  size(blob: Blob): Promise<{ width: number; height: number }>;
  /**
   * RGBA pixels (width × height × 4, row-major) of the image center-cropped to the aspect of
   * width × height, resized to it and composited over white; rejects if it does not decode.
   */
  rgba(blob: Blob, width: number, height: number): Promise<Uint8Array | Uint8ClampedArray>;
}

/** File names imported as images; other files in a folder or zip are skipped (as Keras does). */
export function isImageName(path: string): boolean {
  return /\.(png|jpe?g|webp|gif|bmp)$/i.test(path);
}

/** An image's label: the name of the folder it sits in ('cat/1.png' → 'cat'); null outside any folder. */
export function labelOf(path: string): string | null {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.length >= 2 ? parts[parts.length - 2]! : null;
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Size and grayness from a PNG (IHDR) or JPEG (SOFn) header; null for other formats or a short head. */
export function sniffImage(b: Uint8Array): ImageInfo | null {
  if (b.length >= 26 && PNG_SIGNATURE.every((v, i) => b[i] === v) && u32(b, 12) === 0x49484452) {
    const colorType = b[25]!;
    return { width: u32(b, 16), height: u32(b, 20), gray: colorType === 0 || colorType === 4 };
  }
  if (b[0] !== 0xff || b[1] !== 0xd8) return null;
  let o = 2;
  while (o + 9 < b.length) {
    if (b[o] !== 0xff) return null;
    const marker = b[o + 1]!;
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      o += 2; // markers without a length
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: u16(b, o + 5), width: u16(b, o + 7), gray: b[o + 9] === 1 };
    o += 2 + u16(b, o + 2);
  }
  return null;
}

/**
 * The stored size: the most common size in the set (ties: the first in path order), scaled down so its
 * longer side is at most MAX_IMAGE_SIDE. Other images are center-cropped to its aspect and resized.
 */
export function targetSize(infos: readonly { width: number; height: number }[]): [number, number] {
  const counts = new Map<string, { n: number; w: number; h: number }>();
  let best: { n: number; w: number; h: number } | null = null;
  for (const { width: w, height: h } of infos) {
    const key = `${w}x${h}`;
    const e = counts.get(key) ?? { n: 0, w, h };
    e.n++;
    counts.set(key, e);
    if (best === null || e.n > best.n) best = e;
  }
  if (best === null) throw new WorkbenchError('INVALID_INPUT', 'No images to import');
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(best.w, best.h));
  return [Math.max(1, Math.round(best.h * scale)), Math.max(1, Math.round(best.w * scale))];
}

function decodeError(f: InputFile, e: unknown): WorkbenchError {
  const why = e instanceof Error && e.message !== '' ? `: ${e.message}` : '';
  return new WorkbenchError(
    'PARSE_ERROR',
    `${f.path} could not be decoded as an image${why}. Remove or fix it and import again; nothing was stored.`,
  );
}

/** Pass 1: every image's size from its header (or by decoding it); the first bad file fails the import. */
async function probeAll(
  files: readonly InputFile[],
  decoder: ImageDecoder,
  opts: MultiIngestOptions,
  totalBytes: number,
): Promise<ImageInfo[]> {
  const infos: ImageInfo[] = [];
  let bytes = 0;
  for (const f of files) {
    checkCancelled(opts.signal);
    const head = new Uint8Array(await f.blob.slice(0, HEAD_BYTES).arrayBuffer());
    let info = sniffImage(head);
    if (info === null) {
      const s = await decoder.size(f.blob).catch((e: unknown) => {
        throw decodeError(f, e);
      });
      info = { ...s, gray: false };
    }
    if (info.width < 1 || info.height < 1) throw decodeError(f, new Error('it has no pixels'));
    infos.push(info);
    bytes += f.blob.size;
    opts.onProgress?.({ phase: 'scanning', bytes, totalBytes, rows: infos.length });
  }
  return infos;
}

/**
 * Imports images as one dataset, in path order: an `image` column at one size (see targetSize), RGB, or
 * gray (1 channel) when every header says grayscale; alpha is composited over white. With any image in a
 * folder, a categorical `label` column (the folder name, classes in natural order) becomes the target.
 * An image that does not decode fails the import, naming the file; nothing is stored.
 */
export async function ingestImages(
  names: { readonly dataset: string; readonly source: string },
  input: readonly InputFile[],
  decoder: ImageDecoder,
  sink: DatasetSink,
  opts: MultiIngestOptions,
): Promise<DatasetMeta> {
  const files = [...input].sort((a, b) => naturalCompare(a.path, b.path));
  if (files.length === 0) {
    throw new WorkbenchError('PARSE_ERROR', `${names.source} holds no PNG or JPEG images`);
  }
  const totalBytes = files.reduce((n, f) => n + f.blob.size, 0);
  const infos = await probeAll(files, decoder, opts, totalBytes);
  const [h, w] = targetSize(infos);
  const shape: ImageShape = [h, w, infos.every((i) => i.gray) ? 1 : 3];
  const labels = files.map((f) => labelOf(f.path));
  const classes = [...new Set(labels.filter((l) => l !== null))].sort(naturalCompare);
  const codes = new Map(classes.map((c, i) => [c, i]));
  const chunkRows = imageChunkRows(shape);
  const rowBytes = h * w * shape[2];

  async function* blocks(): AsyncGenerator<ImageBlock> {
    for (let start = 0; start < files.length; start += chunkRows) {
      const end = Math.min(files.length, start + chunkRows);
      const pixels = new Uint8Array((end - start) * rowBytes);
      for (let i = start; i < end; i++) {
        checkCancelled(opts.signal);
        const f = files[i]!;
        const rgba = await decoder.rgba(f.blob, w, h).catch((e: unknown) => {
          throw decodeError(f, e);
        });
        const out = (i - start) * rowBytes;
        for (let p = 0, q = 0; p < h * w; p++, q += 4) {
          if (shape[2] === 1) pixels[out + p] = rgba[q]!;
          else {
            pixels[out + p * 3] = rgba[q]!;
            pixels[out + p * 3 + 1] = rgba[q + 1]!;
            pixels[out + p * 3 + 2] = rgba[q + 2]!;
          }
        }
        if ((i & 31) === 31) {
          const bytes = Math.round((totalBytes * (i + 1)) / files.length);
          opts.onProgress?.({ phase: 'storing', bytes, totalBytes, rows: i + 1 });
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

  return writeImageDataset(
    {
      name: names.dataset,
      source: { kind: opts.kind, name: names.source, bytes: totalBytes, format: 'images' },
      shape,
      rows: files.length,
      classes: classes.length === 0 ? null : classes,
      labelMissing: labels.filter((l) => l === null).length,
    },
    blocks(),
    sink,
    opts,
  );
}
