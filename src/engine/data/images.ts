import type { ColumnChunk, ImageShape } from './dataset';

/** A small copy of one stored image, for a table cell: row-major pixels with 1 (gray) or 3 (RGB) channels. */
export interface ImageThumb {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
}

/** Longest side of a thumbnail sent to the rows table. */
export const THUMB_SIDE = 32;

/** An image cell in text exports and plain-text views: 'image 28x28x1' (height × width × channels). */
export function imageText(shape: ImageShape | undefined): string {
  return shape === undefined ? 'image' : `image ${shape[0]}x${shape[1]}x${shape[2]}`;
}

/** Row `r` of an image chunk, box-averaged down so its longer side is at most `maxSide`. */
export function thumbnail(c: ColumnChunk, r: number, shape: ImageShape, maxSide = THUMB_SIDE): ImageThumb {
  const [h, w, ch] = shape;
  const size = h * w * ch;
  // Float images become bytes one image at a time (then indexed from 0).
  const base = c.data instanceof Float32Array ? 0 : r * size;
  const data =
    c.data instanceof Float32Array
      ? toBytes(c.data.subarray(r * size, (r + 1) * size))
      : (c.data as Uint8Array);
  const scale = Math.min(1, maxSide / Math.max(h, w));
  const th = Math.max(1, Math.round(h * scale));
  const tw = Math.max(1, Math.round(w * scale));
  const pixels = new Uint8Array(th * tw * ch);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * h) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * h) / th));
    for (let tx = 0; tx < tw; tx++) {
      const x0 = Math.floor((tx * w) / tw);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * w) / tw));
      for (let k = 0; k < ch; k++) {
        let sum = 0;
        for (let y = y0; y < y1; y++) {
          for (let x = x0; x < x1; x++) sum += data[base + (y * w + x) * ch + k] ?? 0;
        }
        pixels[(ty * tw + tx) * ch + k] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width: tw, height: th, channels: ch, pixels };
}

/**
 * Float images (written by a recipe: scaled or normalized) shown as bytes: the image's own min..max spread
 * over 0..255.
 */
function toBytes(values: Float32Array): Uint8Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const out = new Uint8Array(values.length);
  values.forEach((v, i) => (out[i] = Math.round((v - lo) * scale)));
  return out;
}
