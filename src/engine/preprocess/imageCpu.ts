import type { ImageShape } from '../data/dataset';
import { checkAugment, checkFitRows, checkPixels, checkTransform, imageSize } from './image/checks';
import { axisTaps, lerp32 } from './image/taps';
import type { AugmentDraw, ChannelMoments, ImageBackend, ImageTransform } from './imageProgram';

const f = Math.fround;

/**
 * The CPU reference of the image kernels. The transform rounds to f32 at every step in the order the WGSL
 * kernel computes, so the two agree to within fused multiply-add differences; moments accumulate in f64.
 */
export function createCpuImageBackend(): ImageBackend {
  // Promise.resolve().then: argument errors reject the returned promise, as the GPU backend's do.
  return {
    kind: 'cpu',
    transform: (pixels, rows, t) =>
      Promise.resolve().then(() => {
        checkTransform(t);
        checkPixels(pixels.length, rows, t.inShape);
        return transformCpu(pixels, rows, t);
      }),
    channelMoments: (pixels, fitRows, t) =>
      Promise.resolve().then(() => {
        checkFitRows(pixels.length, fitRows, t);
        const fit = pixels.subarray(0, fitRows * imageSize(t.inShape));
        return momentsOf(transformCpu(fit, fitRows, t), t.outShape[2]);
      }),
    augment: (images, rows, shape, draws, padding) =>
      Promise.resolve().then(() => {
        checkAugment(images.length, rows, shape, draws, padding);
        return augmentCpu(images, rows, shape, draws, padding);
      }),
  };
}

/** Resize + scale + normalize of `rows` HWC images (arguments already checked). */
function transformCpu(pixels: Uint8Array | Float32Array, rows: number, t: ImageTransform): Float32Array {
  const [inH, inW, c] = t.inShape;
  const [outH, outW] = t.outShape;
  const ys = axisTaps(inH, outH);
  const xs = axisTaps(inW, outW);
  const scale = f(t.scale);
  const mean = t.mean.map(f);
  const invStd = t.invStd.map(f);
  const inSize = inH * inW * c;
  const out = new Float32Array(rows * outH * outW * c);
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * inSize;
    for (const ty of ys) {
      const row0 = base + ty.i0 * inW * c;
      const row1 = base + ty.i1 * inW * c;
      for (const tx of xs) {
        const c0 = tx.i0 * c;
        const c1 = tx.i1 * c;
        for (let k = 0; k < c; k++) {
          const top = lerp32(pixels[row0 + c0 + k]!, pixels[row0 + c1 + k]!, tx.w);
          const bottom = lerp32(pixels[row1 + c0 + k]!, pixels[row1 + c1 + k]!, tx.w);
          const v = lerp32(top, bottom, ty.w);
          out[o++] = f(f(f(v * scale) - mean[k]!) * invStd[k]!);
        }
      }
    }
  }
  return out;
}

/** Per-channel mean and population std of HWC values, Welford in f64. */
export function momentsOf(values: Float32Array, channels: number): ChannelMoments {
  const n = new Float64Array(channels);
  const mean = new Float64Array(channels);
  const m2 = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const k = i % channels;
    const x = values[i]!;
    n[k]! += 1;
    const d = x - mean[k]!;
    mean[k]! += d / n[k]!;
    m2[k]! += d * (x - mean[k]!);
  }
  return {
    mean: Array.from(mean),
    std: Array.from(m2, (s, k) => Math.sqrt(s / n[k]!)),
  };
}

/** Flip + padded crop, per the ImageBackend.augment contract (arguments already checked). */
function augmentCpu(
  images: Float32Array,
  rows: number,
  [h, w, c]: ImageShape,
  draws: readonly AugmentDraw[],
  p: number,
): Float32Array {
  const out = new Float32Array(images.length);
  const size = h * w * c;
  for (let r = 0; r < rows; r++) {
    const { flip, dy, dx } = draws[r]!;
    for (let y = 0; y < h; y++) {
      const sy = y + dy - p;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const sx = (flip === 1 ? w - 1 - x : x) + dx - p;
        if (sx < 0 || sx >= w) continue;
        const from = r * size + (sy * w + sx) * c;
        out.set(images.subarray(from, from + c), r * size + (y * w + x) * c);
      }
    }
  }
  return out;
}
