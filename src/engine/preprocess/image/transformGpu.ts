import type { GpuSession } from '../../gpu/context';
import { storageBuffer, uploadStorage, uploadUniform } from '../../gpu/buffers';
import { KERNELS } from '../../kernels/registry';
import { imageSize } from './checks';
import { encodePass, grid, paramsWithFloat, WG, type ImageBlock } from './gpuPlan';
import { axisTaps, packTaps, TAP_BYTES } from './taps';
import type { ImageTransform } from '../imageProgram';

/** What every block of one transform shares: the pipeline and the tap and normalization tables. */
export interface TransformSetup {
  readonly t: ImageTransform;
  readonly pipeline: GPUComputePipeline;
  readonly taps: GPUBuffer;
  readonly norm: GPUBuffer;
  /** Input bytes per image (1 per u8 value, 4 per f32). */
  readonly inBytes: number;
  /** Output values per image. */
  readonly outValues: number;
}

/** Bytes of the tap table of `t` (a constant-size buffer the block plan must also fit). */
export function tapBytes(t: ImageTransform): number {
  return (t.outShape[0] + t.outShape[1]) * TAP_BYTES;
}

/** Compiles (or reuses) the transform pipeline and uploads the shared tables; call `destroy` after. */
export async function setupTransform(s: GpuSession, u8: boolean, t: ImageTransform): Promise<TransformSetup> {
  const pipeline = await s.pipelines.get(KERNELS.imageTransform, { WG, U8: u8 ? 1 : 0 });
  const taps = packTaps(axisTaps(t.inShape[0], t.outShape[0]), axisTaps(t.inShape[1], t.outShape[1]));
  const norm = new Float32Array(t.mean.flatMap((m, c) => [m, t.invStd[c]!]));
  return {
    t,
    pipeline,
    taps: uploadStorage(s.device, 'ImageTransform.taps', new Uint8Array(taps)),
    norm: uploadStorage(s.device, 'ImageTransform.norm', norm),
    inBytes: imageSize(t.inShape) * (u8 ? 1 : 4),
    outValues: imageSize(t.outShape),
  };
}

/** Releases the shared tables. */
export function destroySetup(setup: TransformSetup): void {
  setup.taps.destroy();
  setup.norm.destroy();
}

/**
 * Encodes ONE transform dispatch for a block of images into `encoder`; returns the resident output
 * (block × outValues f32) and the temporaries to destroy once the encoder is submitted.
 */
export function encodeTransform(
  s: GpuSession,
  encoder: GPUCommandEncoder,
  setup: TransformSetup,
  pixels: Uint8Array | Float32Array,
  block: ImageBlock,
): { dst: GPUBuffer; temps: GPUBuffer[] } {
  const { device } = s;
  const { t } = setup;
  const perImage = imageSize(t.inShape);
  const src = uploadStorage(
    device,
    'ImageTransform.src',
    pixels.subarray(block.start * perImage, (block.start + block.count) * perImage),
  );
  const total = block.count * setup.outValues;
  const dst = storageBuffer(device, 'ImageTransform.dst', total * 4);
  const [gx, gy] = grid(total, s.budget);
  const [inH, inW, c] = t.inShape;
  const params = uploadUniform(
    device,
    'ImageTransform.params',
    paramsWithFloat([total, inH, inW, c, t.outShape[0], t.outShape[1], gx], t.scale),
  );
  encodePass(
    device,
    encoder,
    'ImageTransform',
    setup.pipeline,
    [src, setup.taps, setup.norm, dst, params],
    [gx, gy],
  );
  return { dst, temps: [src, params] };
}
