import { afterAll, describe, expect, it } from 'vitest';
import type { ImageShape } from '../../src/engine/data/dataset';
import type { GpuSession } from '../../src/engine/gpu/context';
import { usageSince } from '../../src/engine/gpu/instrument';
import { augmentDraws } from '../../src/engine/preprocess/augmentDraws';
import { createCpuImageBackend } from '../../src/engine/preprocess/imageCpu';
import { createGpuImageBackend } from '../../src/engine/preprocess/imageGpu';
import type { ChannelMoments, ImageTransform } from '../../src/engine/preprocess/imageProgram';
import { mulberry32 } from '../../src/lib/random';
import { failure } from '../support/failure';
import { expectExpectedAdapter, testContext, uncaptured } from './nodeGpu';

/**
 * Stated tolerances. Transform: |gpu − cpu| ≤ 1e-5 · max(1, |cpu|) (the CPU reference rounds to f32 in the
 * kernel's order; only fused multiply-adds may differ). Moments: mean and std within 1e-5 relative to the
 * channel's scale max(|mean|, std). Augmentation: exact (it only moves values).
 */
const TRANSFORM_TOL = 1e-5;
const MOMENTS_TOL = 1e-5;

const { ctx, events } = testContext();
/** Buffers of at most 24 KiB: several blocks for every case below (one 48×40×3 f32 output is 22.5 KiB). */
const small = testContext({ engineCap: 24 * 1024 });
afterAll(async () => {
  expect(uncaptured(events)).toEqual([]);
  expect(uncaptured(small.events)).toEqual([]);
  await ctx.dispose();
  await small.ctx.dispose();
});

const cpu = createCpuImageBackend();

function randomU8(seed: number, n: number): Uint8Array {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

function randomF32(seed: number, n: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rand());
}

function expectClose(gpu: Float32Array, ref: Float32Array): void {
  expect(gpu.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(gpu[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
  }
  expect(worst).toBeLessThanOrEqual(TRANSFORM_TOL);
}

function expectMoments(gpu: ChannelMoments, ref: ChannelMoments): void {
  ref.mean.forEach((m, c) => {
    const scale = Math.max(Math.abs(m), ref.std[c]!);
    expect(Math.abs(gpu.mean[c]! - m), `mean[${c}]`).toBeLessThanOrEqual(MOMENTS_TOL * scale);
    expect(Math.abs(gpu.std[c]! - ref.std[c]!), `std[${c}]`).toBeLessThanOrEqual(MOMENTS_TOL * scale);
  });
}

interface Case {
  readonly name: string;
  readonly rows: number;
  readonly t: ImageTransform;
  readonly pixels: Uint8Array | Float32Array;
}

const mnist: ImageTransform = {
  inShape: [28, 28, 1],
  outShape: [14, 14, 1],
  scale: 1 / 255,
  mean: [0.1307],
  invStd: [1 / 0.3081],
};
const rgb: ImageTransform = {
  inShape: [32, 32, 3],
  outShape: [48, 40, 3],
  scale: 1,
  mean: [0.485, 0.456, 0.406],
  invStd: [1 / 0.229, 1 / 0.224, 1 / 0.225],
};
const odd: ImageTransform = {
  inShape: [5, 7, 3],
  outShape: [3, 11, 3],
  scale: 1 / 255,
  mean: [0, 0.5, 1],
  invStd: [1, 2, 3],
};
const CASES: Case[] = [
  { name: 'u8 28×28×1 → 14×14', rows: 120, t: mnist, pixels: randomU8(1, 120 * 784) },
  { name: 'f32 32×32×3 → 48×40', rows: 24, t: rgb, pixels: randomF32(2, 24 * 3072) },
  { name: 'u8 5×7×3 → 3×11 (rows not word-aligned)', rows: 101, t: odd, pixels: randomU8(3, 101 * 105) },
];

/** Runs `fn` and returns its result with the device usage it caused. */
async function measured<T>(s: GpuSession, fn: () => Promise<T>): Promise<[T, ReturnType<typeof usageSince>]> {
  const before = { ...s.usage };
  const result = await fn();
  return [result, usageSince(before, s.usage)];
}

describe('image kernels on WebGPU', () => {
  it('runs on the expected adapter', async () => {
    expectExpectedAdapter((await ctx.session()).adapter.architecture);
  });

  it.each(CASES)('transform matches the CPU reference in one dispatch and one readback: $name', async (c) => {
    const s = await ctx.session();
    const gpu = await createGpuImageBackend(s);
    const [out, used] = await measured(s, () => gpu.transform(c.pixels, c.rows, c.t));
    expectClose(out, await cpu.transform(c.pixels, c.rows, c.t));
    expect(used.dispatches).toBe(1);
    expect(used.readbacks).toBe(1);
  });

  it.each(CASES)('channel moments match the CPU reference: $name', async (c) => {
    const s = await ctx.session();
    const gpu = await createGpuImageBackend(s);
    const fit = Math.ceil(c.rows * 0.75);
    const [m, used] = await measured(s, () => gpu.channelMoments(c.pixels, fit, c.t));
    expectMoments(m, await cpu.channelMoments(c.pixels, fit, c.t));
    expect(used.dispatches).toBe(2);
    expect(used.readbacks).toBe(1);
  });

  it('augmentation matches the CPU reference exactly', async () => {
    const shape: ImageShape = [9, 7, 3];
    const rows = 50;
    const images = randomF32(4, rows * 189);
    const draws = augmentDraws(9, 2, rows, true, 3);
    const gpu = await createGpuImageBackend(await ctx.session());
    const out = await gpu.augment(images, rows, shape, draws, 3);
    expect(out).toEqual(await cpu.augment(images, rows, shape, draws, 3));
  });

  it.each(CASES)('a tiny engine cap splits into blocks with identical results: $name', async (c) => {
    const whole = await (await createGpuImageBackend(await ctx.session())).transform(c.pixels, c.rows, c.t);
    const s = await small.ctx.session();
    const gpu = await createGpuImageBackend(s);
    const [out, used] = await measured(s, () => gpu.transform(c.pixels, c.rows, c.t));
    expect(out).toEqual(whole);
    expect(used.dispatches).toBeGreaterThan(1);
    expect(used.readbacks).toBe(used.dispatches);
    const [m, mUsed] = await measured(s, () => gpu.channelMoments(c.pixels, c.rows, c.t));
    expectMoments(m, await cpu.channelMoments(c.pixels, c.rows, c.t));
    expect(mUsed.dispatches).toBe(2 * mUsed.readbacks);
  });

  it('augmentation in blocks is identical to one block', async () => {
    const shape: ImageShape = [8, 8, 3];
    const rows = 40;
    const images = randomF32(5, rows * 192);
    const draws = augmentDraws(3, 0, rows, true, 2);
    const s = await small.ctx.session();
    const [out, used] = await measured(s, async () =>
      (await createGpuImageBackend(s)).augment(images, rows, shape, draws, 2),
    );
    expect(used.dispatches).toBeGreaterThan(1);
    expect(out).toEqual(await cpu.augment(images, rows, shape, draws, 2));
  });

  it('fails with GPU_LIMIT when one image cannot fit a buffer', async () => {
    const gpu = await createGpuImageBackend(await small.ctx.session());
    const t: ImageTransform = { ...rgb, outShape: [64, 64, 3] };
    const e = await failure(gpu.transform(new Float32Array(3072), 1, t));
    expect(e.code).toBe('GPU_LIMIT');
    expect(e.message).toMatch(/one image needs a 49,152-byte GPU buffer/);
  });

  it('rejects bad shapes with INVALID_INPUT before any GPU work', async () => {
    const s = await ctx.session();
    const gpu = await createGpuImageBackend(s);
    const [e, used] = await measured(s, () => failure(gpu.transform(new Uint8Array(100), 1, mnist)));
    expect(e.code).toBe('INVALID_INPUT');
    expect(used.submits).toBe(0);
  });
});
