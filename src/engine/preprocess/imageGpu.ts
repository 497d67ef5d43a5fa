import type { ImageShape } from '../data/dataset';
import { readStaging, stageReadback, storageBuffer, uploadStorage, uploadUniform } from '../gpu/buffers';
import type { GpuSession } from '../gpu/context';
import { bufferBudget } from '../gpu/planner';
import { withErrorScopes } from '../gpu/scopes';
import { KERNELS } from '../kernels/registry';
import { emptyStat, mergeStats } from '../data/runningStat';
import { checkAugment, checkFitRows, checkPixels, checkTransform, imageSize } from './image/checks';
import { encodePass, grid, planImageBlocks, WG } from './image/gpuPlan';
import { destroySetup, encodeTransform, setupTransform, tapBytes } from './image/transformGpu';
import type { AugmentDraw, ChannelMoments, ImageBackend, ImageTransform } from './imageProgram';

const STAT_BYTES = 20;
/** Upper bound on workgroups per channel for the moments reduction. */
const MAX_GROUPS = 256;
/** Values each thread folds before another workgroup is worth starting. */
const VALUES_PER_THREAD = 4;

/**
 * Image kernels on WebGPU. Every call splits its images into blocks whose buffers fit the session's budget;
 * per block: the transform is ONE fused dispatch and one readback; moments add one reduction dispatch and read
 * back only per-workgroup partials (merged in f64 here); augmentation is one dispatch and one readback.
 */
export async function createGpuImageBackend(session: GpuSession): Promise<ImageBackend> {
  await Promise.all([
    session.pipelines.get(KERNELS.imageTransform, { WG, U8: 1 }),
    session.pipelines.get(KERNELS.imageChannelMoments, { WG }),
    session.pipelines.get(KERNELS.imageAugment, { WG }),
  ]);
  return {
    kind: 'webgpu',
    transform: (pixels, rows, t) => transformGpu(session, pixels, rows, t),
    channelMoments: (pixels, fitRows, t) => momentsGpu(session, pixels, fitRows, t),
    augment: (images, rows, shape, draws, padding) =>
      augmentGpu(session, images, rows, shape, draws, padding),
  };
}

async function transformGpu(
  s: GpuSession,
  pixels: Uint8Array | Float32Array,
  rows: number,
  t: ImageTransform,
): Promise<Float32Array> {
  checkTransform(t);
  checkPixels(pixels.length, rows, t.inShape);
  const out = new Float32Array(rows * imageSize(t.outShape));
  if (rows === 0) return out;
  const u8 = pixels instanceof Uint8Array;
  const outBytes = imageSize(t.outShape) * 4;
  const inBytes = imageSize(t.inShape) * (u8 ? 1 : 4);
  const blocks = planImageBlocks('Image transform', rows, [inBytes, outBytes], [tapBytes(t)], s.budget);
  const { device } = s;
  const setup = await setupTransform(s, u8, t);
  try {
    for (const block of blocks) {
      const staging = await withErrorScopes(device, 'ImageTransform', () => {
        const encoder = device.createCommandEncoder({ label: 'ImageTransform.encoder' });
        const { dst, temps } = encodeTransform(s, encoder, setup, pixels, block);
        const st = stageReadback(device, encoder, dst, block.count * outBytes);
        device.queue.submit([encoder.finish()]);
        for (const b of [dst, ...temps]) b.destroy();
        return st;
      });
      const raw = await readStaging(staging);
      out.set(new Float32Array(raw, 0, block.count * setup.outValues), block.start * setup.outValues);
    }
  } finally {
    destroySetup(setup);
  }
  return out;
}

async function momentsGpu(
  s: GpuSession,
  pixels: Uint8Array | Float32Array,
  fitRows: number,
  t: ImageTransform,
): Promise<ChannelMoments> {
  checkFitRows(pixels.length, fitRows, t);
  const u8 = pixels instanceof Uint8Array;
  const channels = t.outShape[2];
  const outBytes = imageSize(t.outShape) * 4;
  const inBytes = imageSize(t.inShape) * (u8 ? 1 : 4);
  const fixed = [tapBytes(t), channels * STAT_BYTES];
  const blocks = planImageBlocks('Image channel moments', fitRows, [inBytes, outBytes], fixed, s.budget);
  const maxGroups = Math.min(MAX_GROUPS, Math.floor(bufferBudget(s.budget) / (channels * STAT_BYTES)));
  const { device } = s;
  const pipeline = await s.pipelines.get(KERNELS.imageChannelMoments, { WG });
  const setup = await setupTransform(s, u8, t);
  const stats = Array.from({ length: channels }, emptyStat);
  try {
    for (const block of blocks) {
      const pixelCount = block.count * t.outShape[0] * t.outShape[1];
      const groups = Math.max(1, Math.min(maxGroups, Math.ceil(pixelCount / (WG * VALUES_PER_THREAD))));
      const staging = await withErrorScopes(device, 'ImageChannelMoments', () => {
        const encoder = device.createCommandEncoder({ label: 'ImageChannelMoments.encoder' });
        const { dst, temps } = encodeTransform(s, encoder, setup, pixels, block);
        const partials = storageBuffer(
          device,
          'ImageChannelMoments.partials',
          channels * groups * STAT_BYTES,
        );
        const params = uploadUniform(
          device,
          'ImageChannelMoments.params',
          new Uint32Array([pixelCount, channels, groups]),
        );
        encodePass(
          device,
          encoder,
          'ImageChannelMoments',
          pipeline,
          [dst, partials, params],
          [groups, channels],
        );
        const st = stageReadback(device, encoder, partials, channels * groups * STAT_BYTES);
        device.queue.submit([encoder.finish()]);
        for (const b of [dst, partials, params, ...temps]) b.destroy();
        return st;
      });
      mergePartials(stats, await readStaging(staging), groups);
    }
  } finally {
    destroySetup(setup);
  }
  return { mean: stats.map((st) => st.mean), std: stats.map((st) => Math.sqrt(st.m2 / st.n)) };
}

/** Folds channel-major Stat partials (n u32, mean f32, m2 f32, min, max) into f64 running stats. */
function mergePartials(stats: ReturnType<typeof emptyStat>[], raw: ArrayBuffer, groups: number): void {
  const u32 = new Uint32Array(raw);
  const f32 = new Float32Array(raw);
  for (const [c, st] of stats.entries()) {
    let merged = st;
    for (let g = 0; g < groups; g++) {
      const o = (c * groups + g) * (STAT_BYTES / 4);
      const n = u32[o]!;
      if (n > 0) merged = mergeStats(merged, { n, mean: f32[o + 1]!, m2: f32[o + 2]!, min: 0, max: 0 });
    }
    stats[c] = merged;
  }
}

async function augmentGpu(
  s: GpuSession,
  images: Float32Array,
  rows: number,
  shape: ImageShape,
  draws: readonly AugmentDraw[],
  padding: number,
): Promise<Float32Array> {
  checkAugment(images.length, rows, shape, draws, padding);
  const out = new Float32Array(images.length);
  if (rows === 0) return out;
  const size = imageSize(shape);
  const blocks = planImageBlocks('Image augmentation', rows, [size * 4, 12], [], s.budget);
  const { device } = s;
  const pipeline = await s.pipelines.get(KERNELS.imageAugment, { WG });
  const [h, w, c] = shape;
  for (const { start, count } of blocks) {
    const total = count * size;
    const staging = await withErrorScopes(device, 'ImageAugment', () => {
      const encoder = device.createCommandEncoder({ label: 'ImageAugment.encoder' });
      const words = new Uint32Array(draws.slice(start, start + count).flatMap((d) => [d.flip, d.dy, d.dx]));
      const [gx, gy] = grid(total, s.budget);
      const buffers = [
        uploadStorage(device, 'ImageAugment.src', images.subarray(start * size, start * size + total)),
        uploadStorage(device, 'ImageAugment.draws', words),
        storageBuffer(device, 'ImageAugment.dst', total * 4),
        uploadUniform(device, 'ImageAugment.params', new Uint32Array([total, h, w, c, padding, gx])),
      ];
      encodePass(device, encoder, 'ImageAugment', pipeline, buffers, [gx, gy]);
      const st = stageReadback(device, encoder, buffers[2]!, total * 4);
      device.queue.submit([encoder.finish()]);
      for (const b of buffers) b.destroy();
      return st;
    });
    out.set(new Float32Array(await readStaging(staging), 0, total), start * size);
  }
  return out;
}
