import { WorkbenchError } from '../../lib/errors';
import { mulberry32 } from '../../lib/random';
import type { AugmentDraw } from './imageProgram';

/** Mixes seed and epoch into one 32-bit PRNG seed (murmur3's finalizer), so nearby epochs decorrelate. */
function mixSeed(seed: number, epoch: number): number {
  let h = (seed >>> 0) ^ Math.imul((epoch >>> 0) + 1, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Per-image augmentation draws for one epoch: a horizontal flip with p = 0.5 when `flip` (else 0) and a crop
 * offset dy, dx uniform on the integers [0, 2·padding] (padding itself means no shift). Deterministic in
 * (seed, epoch); every image consumes three draws whatever the options, so turning flips on or off keeps
 * the same crops.
 */
export function augmentDraws(
  seed: number,
  epoch: number,
  rows: number,
  flip: boolean,
  padding: number,
): AugmentDraw[] {
  if (!Number.isInteger(rows) || rows < 0) {
    throw new WorkbenchError('INVALID_INPUT', `Augmentation row count ${rows} is not a whole number ≥ 0`);
  }
  if (!Number.isInteger(padding) || padding < 0) {
    throw new WorkbenchError('INVALID_INPUT', `Crop padding ${padding} is not a whole number ≥ 0`);
  }
  const random = mulberry32(mixSeed(seed, epoch));
  const span = 2 * padding + 1;
  return Array.from({ length: rows }, () => {
    const f = random() < 0.5 ? 1 : 0;
    const dy = Math.floor(random() * span);
    const dx = Math.floor(random() * span);
    return { flip: flip ? f : 0, dy, dx };
  });
}
