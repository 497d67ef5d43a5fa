/**
 * Bilinear taps along one axis, half-pixel centres (tf.image.resizeBilinear with halfPixelCenters, PyTorch
 * align_corners=False): src = (dst + 0.5) · (in / out) − 0.5, clamped at 0; neighbours i0 = ⌊src⌋ and
 * i1 = min(i0 + 1, in − 1), and `w` is the weight of i1. Computed in f32 once on the CPU, so the CPU reference
 * and the GPU kernel share the exact indices and weights and differ only in the blend's rounding.
 */
export interface Tap {
  readonly i0: number;
  readonly i1: number;
  readonly w: number;
}

const f = Math.fround;

/** Taps for `outSize` destination positions reading an axis of `inSize` pixels. */
export function axisTaps(inSize: number, outSize: number): Tap[] {
  const ratio = f(inSize / outSize);
  return Array.from({ length: outSize }, (_, dst) => {
    const src = Math.max(0, f(f(f(dst + 0.5) * ratio) - 0.5));
    const i0 = Math.min(Math.floor(src), inSize - 1);
    const i1 = Math.min(i0 + 1, inSize - 1);
    return { i0, i1, w: i1 === i0 ? 0 : f(src - i0) };
  });
}

/** `a + (b − a) · w` rounded to f32 at every step, as the WGSL kernel computes it. */
export function lerp32(a: number, b: number, w: number): number {
  return f(a + f(f(b - a) * w));
}

/** Bytes of one packed tap: i0 (u32), i1 (u32), w (f32). */
export const TAP_BYTES = 12;

/** Row taps then column taps, packed as the transform kernel's `taps` binding. */
export function packTaps(rows: readonly Tap[], cols: readonly Tap[]): ArrayBuffer {
  const all = [...rows, ...cols];
  const buffer = new ArrayBuffer(all.length * TAP_BYTES);
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  all.forEach((t, k) => {
    u32[k * 3] = t.i0;
    u32[k * 3 + 1] = t.i1;
    f32[k * 3 + 2] = t.w;
  });
  return buffer;
}
