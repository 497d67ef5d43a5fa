import type { ColumnType, ImageShape } from '../data/dataset';
import type { ImageTransform } from './imageProgram';
import { type ElementOp, type EncodeSpec, type Program } from './program';

/** A numeric column being built: an intermediate column and the operations fitted so far. */
export interface NumSlot {
  readonly kind: 'num';
  readonly name: string;
  type: ColumnType;
  readonly col: number;
  readonly ops: ElementOp[];
}

/** A categorical column kept as codes; `fill` replaces missing codes (−1: none yet). */
export interface CodeSlot {
  readonly kind: 'code';
  readonly name: string;
  readonly input: number;
  fill: number;
  readonly dictionary: readonly string[];
}

/** An image column and its fused transform. */
export interface ImageSlot {
  readonly kind: 'image';
  readonly name: string;
  readonly source: number;
  readonly inShape: ImageShape;
  transform: ImageTransform;
  normalized: boolean;
  augment: { flip: boolean; cropPadding: number } | null;
}

/** Any other column (text, audio): copied as is, in split order. */
export interface PassSlot {
  readonly kind: 'pass';
  readonly name: string;
  readonly source: number;
}

export type Slot = NumSlot | CodeSlot | ImageSlot | PassSlot;

/** The program that computes the current numeric and categorical slots. */
export function programOf(slots: readonly Slot[], encode: readonly EncodeSpec[]): Program {
  return {
    encode,
    elementwise: slots.flatMap((s) => (s.kind === 'num' ? [{ input: s.col, ops: [...s.ops] }] : [])),
    codes: slots.flatMap((s) => (s.kind === 'code' ? [{ input: s.input, fill: s.fill }] : [])),
  };
}

/** Index of a numeric slot among the program's elementwise outputs. */
export function outputIndex(slots: readonly Slot[], slot: NumSlot): number {
  return slots.filter((s) => s.kind === 'num').indexOf(slot);
}

/** The identity image transform for a shape. */
export function identityTransform(shape: ImageShape): ImageTransform {
  const c = shape[2];
  return {
    inShape: shape,
    outShape: shape,
    scale: 1,
    mean: new Array<number>(c).fill(0),
    invStd: new Array<number>(c).fill(1),
  };
}
