import type { ImageShape } from '../../data/dataset';
import { WorkbenchError } from '../../../lib/errors';
import type { AugmentDraw, ImageTransform } from '../imageProgram';

/** Largest resize target side, as the recipe validator allows. */
export const MAX_IMAGE_SIDE = 4096;

/** Values in one image: h · w · c. */
export function imageSize([h, w, c]: ImageShape): number {
  return h * w * c;
}

function invalid(message: string): WorkbenchError {
  return new WorkbenchError('INVALID_INPUT', message);
}

function isCount(n: number): boolean {
  return Number.isInteger(n) && n >= 0;
}

function checkShape(what: string, shape: ImageShape, maxSide: number): void {
  const [h, w, c] = shape;
  const side = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= maxSide;
  if (shape.length !== 3 || !side(h) || !side(w) || !(Number.isInteger(c) && c >= 1)) {
    throw invalid(
      `${what} shape ${shape.join('×')} is not valid: height and width must be whole numbers from 1 to ${maxSide}, channels ≥ 1`,
    );
  }
}

/** Throws INVALID_INPUT unless `t` is a well-formed transform (channels kept, one mean and invStd per channel). */
export function checkTransform(t: ImageTransform): void {
  checkShape('Input image', t.inShape, Number.MAX_SAFE_INTEGER);
  checkShape('Resize target', t.outShape, MAX_IMAGE_SIDE);
  const c = t.inShape[2];
  if (t.outShape[2] !== c) {
    throw invalid(`Resizing keeps channels: input has ${c}, the target asks for ${t.outShape[2]}`);
  }
  if (t.mean.length !== c || t.invStd.length !== c) {
    throw invalid(
      `Give one mean and one invStd per channel (${c}); got ${t.mean.length} and ${t.invStd.length}`,
    );
  }
  if (![t.scale, ...t.mean, ...t.invStd].every(Number.isFinite)) {
    throw invalid('Image scale, mean and invStd must be finite numbers');
  }
}

/** Throws INVALID_INPUT unless `length` is exactly `rows` images of `shape`. */
export function checkPixels(length: number, rows: number, shape: ImageShape): void {
  if (!isCount(rows)) throw invalid(`Image row count ${rows} is not a whole number ≥ 0`);
  const expected = rows * imageSize(shape);
  if (length !== expected) {
    throw invalid(`Expected ${rows} images of ${shape.join('×')} = ${expected} values, got ${length}`);
  }
}

/** Checks a moments call and returns how many whole images `pixels` holds. */
export function checkFitRows(length: number, fitRows: number, t: ImageTransform): number {
  checkTransform(t);
  const size = imageSize(t.inShape);
  if (length % size !== 0) {
    throw invalid(`${length} values are not a whole number of ${t.inShape.join('×')} images`);
  }
  const rows = length / size;
  if (!isCount(fitRows) || fitRows < 1 || fitRows > rows) {
    throw invalid(`Channel moments need 1 to ${rows} fitting images; got ${fitRows}`);
  }
  return rows;
}

/** Throws INVALID_INPUT unless the augmentation arguments agree (one draw per image, offsets in [0, 2p]). */
export function checkAugment(
  length: number,
  rows: number,
  shape: ImageShape,
  draws: readonly AugmentDraw[],
  padding: number,
): void {
  checkShape('Augmented image', shape, Number.MAX_SAFE_INTEGER);
  checkPixels(length, rows, shape);
  if (!isCount(padding)) throw invalid(`Crop padding ${padding} is not a whole number ≥ 0`);
  if (draws.length !== rows)
    throw invalid(`Expected one augmentation draw per image (${rows}), got ${draws.length}`);
  const offset = (n: number): boolean => isCount(n) && n <= 2 * padding;
  for (const [i, d] of draws.entries()) {
    if ((d.flip !== 0 && d.flip !== 1) || !offset(d.dy) || !offset(d.dx)) {
      throw invalid(
        `Augmentation draw ${i} (flip ${d.flip}, dy ${d.dy}, dx ${d.dx}) is outside flip 0/1 and offsets 0 to ${2 * padding}`,
      );
    }
  }
}
