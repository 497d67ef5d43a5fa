import { describe, expect, it } from 'vitest';
import type { ImageShape } from '../../src/engine/data/dataset';
import { augmentDraws } from '../../src/engine/preprocess/augmentDraws';
import { grid, planImageBlocks, WG } from '../../src/engine/preprocess/image/gpuPlan';
import { createCpuImageBackend } from '../../src/engine/preprocess/imageCpu';
import type { ImageTransform } from '../../src/engine/preprocess/imageProgram';
import { failure } from '../support/failure';

const cpu = createCpuImageBackend();

/** A transform from `inShape` to `outShape` with the given scale and an identity normalization. */
function tf(
  inShape: ImageShape,
  outShape: ImageShape,
  scale = 1,
  norm?: [number[], number[]],
): ImageTransform {
  const c = inShape[2];
  return {
    inShape,
    outShape,
    scale,
    mean: norm?.[0] ?? Array(c).fill(0),
    invStd: norm?.[1] ?? Array(c).fill(1),
  };
}

describe('image transform (CPU reference)', () => {
  it('upsamples 2×2 → 4×4 with half-pixel centres', async () => {
    const out = await cpu.transform(new Uint8Array([0, 10, 20, 30]), 1, tf([2, 2, 1], [4, 4, 1]));
    // Taps along each axis: 0 → pixel 0; 1 → 0.75·p0 + 0.25·p1; 2 → 0.25·p0 + 0.75·p1; 3 → pixel 1.
    expect(Array.from(out)).toEqual([
      0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30,
    ]);
  });

  it('downsamples 4×4 → 2×2 to the mean of each 2×2 block', async () => {
    const px = Float32Array.from({ length: 16 }, (_, i) => i);
    const out = await cpu.transform(px, 1, tf([4, 4, 1], [2, 2, 1]));
    expect(Array.from(out)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('returns input · scale for an identity transform (u8 and f32, several rows)', async () => {
    const u8 = Uint8Array.from({ length: 2 * 3 * 5 * 2 }, (_, i) => (i * 37) % 256);
    const out = await cpu.transform(u8, 2, tf([3, 5, 2], [3, 5, 2], 1 / 255));
    expect(Array.from(out)).toEqual(Array.from(u8, (v) => Math.fround(v * Math.fround(1 / 255))));
    const f32 = Float32Array.from({ length: 12 }, (_, i) => i * 0.37 - 2);
    expect(await cpu.transform(f32, 1, tf([2, 2, 3], [2, 2, 3]))).toEqual(f32);
  });

  it('normalizes each of 3 channels with its own mean and invStd after resizing', async () => {
    // 2×2×3 → 1×1×3: each channel is averaged, then (v · 0.5 − mean[c]) · invStd[c].
    const px = new Uint8Array([10, 20, 30, 12, 22, 32, 14, 24, 34, 16, 26, 36]);
    const out = await cpu.transform(
      px,
      1,
      tf([2, 2, 3], [1, 1, 3], 0.5, [
        [1, 2, 3],
        [1, 0.5, 2],
      ]),
    );
    // Means: 13, 23, 33 → 6.5, 11.5, 16.5 → (5.5)·1, (9.5)·0.5, (13.5)·2.
    expect(Array.from(out)).toEqual([5.5, 4.75, 27]);
  });

  it('gives an empty output for zero rows', async () => {
    expect((await cpu.transform(new Uint8Array(0), 0, tf([2, 2, 1], [3, 3, 1]))).length).toBe(0);
  });
});

describe('channel moments (CPU reference)', () => {
  it('gives per-channel mean and population std of the fitting images only', async () => {
    // Three 1×1×2 images; the third is outside fitRows and must not count.
    const px = new Float32Array([0, 10, 2, 10, 4, 10, 1000, -1000]);
    const m = await cpu.channelMoments(px, 3, tf([1, 1, 2], [1, 1, 2]));
    expect(m.mean).toEqual([2, 10]);
    expect(m.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(m.std[1]).toBe(0);
  });

  it('measures the transform output, not the raw pixels', async () => {
    // Two 1×2×1 images [1, 3] and [5, 7], scaled by 2 and normalized by mean 1: values 1, 5, 9, 13.
    const px = new Uint8Array([1, 3, 5, 7]);
    const m = await cpu.channelMoments(px, 2, tf([1, 2, 1], [1, 2, 1], 2, [[1], [1]]));
    expect(m.mean).toEqual([7]);
    expect(m.std[0]).toBeCloseTo(Math.sqrt(20), 12);
  });
});

describe('image augmentation (CPU reference)', () => {
  const img = new Float32Array([1, 2, 3, 4, 5, 6]); // 2×3×1
  const shape: ImageShape = [2, 3, 1];

  it('flips horizontally without padding', async () => {
    const out = await cpu.augment(img, 1, shape, [{ flip: 1, dy: 0, dx: 0 }], 0);
    expect(Array.from(out)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('crops inside the zero-padded image', async () => {
    // p = 1, dy = 0, dx = 2: out(y, x) = src(y − 1, x + 1).
    const out = await cpu.augment(img, 1, shape, [{ flip: 0, dy: 0, dx: 2 }], 1);
    expect(Array.from(out)).toEqual([0, 0, 0, 2, 3, 0]);
  });

  it('flips then crops, per image', async () => {
    const two = new Float32Array([...img, ...img]);
    const draws = [
      { flip: 1, dy: 2, dx: 1 }, // out(y, x) = src(y + 1, 2 − x)
      { flip: 0, dy: 1, dx: 1 }, // centred crop: unchanged
    ];
    const out = await cpu.augment(two, 2, shape, draws, 1);
    expect(Array.from(out)).toEqual([6, 5, 4, 0, 0, 0, 1, 2, 3, 4, 5, 6]);
  });

  it('moves whole pixels, keeping their channels together', async () => {
    const out = await cpu.augment(
      new Float32Array([1, 2, 3, 4]),
      1,
      [1, 2, 2],
      [{ flip: 1, dy: 0, dx: 0 }],
      0,
    );
    expect(Array.from(out)).toEqual([3, 4, 1, 2]);
  });
});

describe('augmentDraws', () => {
  it('is deterministic in (seed, epoch) and changes with either', () => {
    expect(augmentDraws(7, 3, 50, true, 4)).toEqual(augmentDraws(7, 3, 50, true, 4));
    expect(augmentDraws(7, 4, 50, true, 4)).not.toEqual(augmentDraws(7, 3, 50, true, 4));
    expect(augmentDraws(8, 3, 50, true, 4)).not.toEqual(augmentDraws(7, 3, 50, true, 4));
  });

  it('draws offsets over all of [0, 2p] and flips about half the images', () => {
    const draws = augmentDraws(1, 0, 2000, true, 2);
    expect(new Set(draws.map((d) => d.dy))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(new Set(draws.map((d) => d.dx))).toEqual(new Set([0, 1, 2, 3, 4]));
    const flips = draws.filter((d) => d.flip === 1).length;
    expect(flips).toBeGreaterThan(900);
    expect(flips).toBeLessThan(1100);
  });

  it('never flips when flips are off, keeps the same crops, and never shifts without padding', () => {
    const on = augmentDraws(5, 1, 100, true, 3);
    const off = augmentDraws(5, 1, 100, false, 3);
    expect(off.every((d) => d.flip === 0)).toBe(true);
    expect(off.map((d) => [d.dy, d.dx])).toEqual(on.map((d) => [d.dy, d.dx]));
    expect(augmentDraws(5, 1, 100, true, 0).every((d) => d.dy === 0 && d.dx === 0)).toBe(true);
  });

  it('rejects a fractional padding or row count', () => {
    expect(() => augmentDraws(1, 0, 3, true, 1.5)).toThrow(/padding/);
    expect(() => augmentDraws(1, 0, -1, true, 1)).toThrow(/row count/);
  });
});

describe('image argument checks', () => {
  const good = tf([2, 2, 3], [4, 4, 3]);
  const px = new Uint8Array(2 * 2 * 2 * 3);

  it.each([
    ['a pixel count that is not rows · h · w · c', px.subarray(1), 2, good, /Expected 2 images/],
    ['a channel count change', px, 2, { ...good, outShape: [4, 4, 1] as const }, /keeps channels/],
    ['a zero target size', px, 2, { ...good, outShape: [0, 4, 3] as const }, /from 1 to 4096/],
    ['a target over 4096', px, 2, { ...good, outShape: [4097, 4, 3] as const }, /from 1 to 4096/],
    ['a mean per channel missing', px, 2, { ...good, mean: [0, 0] }, /one mean and one invStd/],
    ['an invStd too many', px, 2, { ...good, invStd: [1, 1, 1, 1] }, /one mean and one invStd/],
    ['a non-finite scale', px, 2, { ...good, scale: NaN }, /finite/],
    ['a fractional row count', px, 1.5, good, /row count/],
  ] as const)('transform rejects %s', async (_, pixels, rows, t, message) => {
    const e = await failure(cpu.transform(pixels, rows, t));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
  });

  it('channelMoments rejects no fitting images, too many, or a partial image', async () => {
    for (const [p, fit] of [
      [px, 0],
      [px, 3],
      [px.subarray(1), 1],
    ] as const) {
      expect((await failure(cpu.channelMoments(p, fit, good))).code).toBe('INVALID_INPUT');
    }
  });

  it('augment rejects a missing draw, an offset past 2p, a bad flip and a bad padding', async () => {
    const im = new Float32Array(6);
    const s: ImageShape = [2, 3, 1];
    const cases: [number, { flip: number; dy: number; dx: number }[], number][] = [
      [1, [], 1],
      [1, [{ flip: 0, dy: 3, dx: 0 }], 1],
      [1, [{ flip: 2, dy: 0, dx: 0 }], 1],
      [1, [{ flip: 0, dy: 0, dx: 0 }], -1],
    ];
    for (const [rows, draws, padding] of cases) {
      expect((await failure(cpu.augment(im, rows, s, draws, padding))).code).toBe('INVALID_INPUT');
    }
  });
});

describe('GPU block planning', () => {
  const budget = (engineCap: number, maxDim = 65535) => ({
    maxBufferSize: 2 ** 28,
    maxStorageBufferBindingSize: 2 ** 27,
    maxComputeWorkgroupsPerDimension: maxDim,
    engineCap,
  });

  it('packs as many images per block as the largest per-image buffer allows', () => {
    expect(planImageBlocks('t', 10, [100, 300], [50], budget(1000))).toEqual([
      { start: 0, count: 3 },
      { start: 3, count: 3 },
      { start: 6, count: 3 },
      { start: 9, count: 1 },
    ]);
    expect(planImageBlocks('t', 0, [100], [], budget(1000))).toEqual([]);
  });

  it('fails with GPU_LIMIT when one image or a shared table cannot fit', () => {
    expect(() => planImageBlocks('t', 1, [1001], [], budget(1000))).toThrow(/one image needs/);
    expect(() => planImageBlocks('t', 1, [10], [2000], budget(1000))).toThrow(/at most 1,000 bytes/);
  });

  it('spreads workgroups over a second dimension past the per-dimension limit', () => {
    expect(grid(10 * WG, budget(Infinity))).toEqual([10, 1]);
    expect(grid(10 * WG + 1, budget(Infinity, 4))).toEqual([4, 3]);
    expect(grid(0, budget(Infinity))).toEqual([1, 1]);
  });
});
