import type { ImageShape } from '../data/dataset';

/**
 * One fused pass over every image of a column: bilinear resampling from `inShape` to `outShape` (half-pixel
 * centres; same channel count), then per channel `(v · scale − mean[c]) · invStd[c]`. Identity: same shape,
 * scale 1, mean 0, invStd 1.
 */
export interface ImageTransform {
  readonly inShape: ImageShape;
  readonly outShape: ImageShape;
  readonly scale: number;
  readonly mean: readonly number[];
  readonly invStd: readonly number[];
}

/** Per-channel mean and population std. */
export interface ChannelMoments {
  readonly mean: number[];
  readonly std: number[];
}

/** Per image: flip horizontally (0/1) and the crop offset (dy, dx) inside the zero-padded image. */
export interface AugmentDraw {
  readonly flip: number;
  readonly dy: number;
  readonly dx: number;
}

/** Runs image kernels (GPU) or their references (CPU). Pixels are rows × (h·w·c), HWC per image. */
export interface ImageBackend {
  readonly kind: 'webgpu' | 'cpu';
  transform(pixels: Uint8Array | Float32Array, rows: number, t: ImageTransform): Promise<Float32Array>;
  /** Moments of the transform's output over images [0, fitRows). */
  channelMoments(
    pixels: Uint8Array | Float32Array,
    fitRows: number,
    t: ImageTransform,
  ): Promise<ChannelMoments>;
  /**
   * Training-time augmentation of f32 images: output pixel (y, x) = padded source at (y + dy − p, x' + dx − p)
   * where x' = w − 1 − x when flipped, else x; zero outside the image. Output shape = input shape.
   */
  augment(
    images: Float32Array,
    rows: number,
    shape: ImageShape,
    draws: readonly AugmentDraw[],
    padding: number,
  ): Promise<Float32Array>;
}
