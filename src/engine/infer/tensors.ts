/** Plain tensors that cross the worker boundary (no onnxruntime types), and helpers to build them. */
import { WorkbenchError } from '../../lib/errors';

/** Element types the inference worker accepts and returns as plain typed arrays. */
export type InferElemType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool';

export type InferData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** A tensor as plain data: element type, shape and a typed array in row-major order. */
export interface PlainTensor {
  readonly type: InferElemType;
  readonly dims: readonly number[];
  readonly data: InferData;
}

export const INFER_ELEM_TYPES: readonly InferElemType[] = [
  'float32',
  'float64',
  'int32',
  'int64',
  'uint8',
  'int8',
  'bool',
];

export function isInferElemType(t: string): t is InferElemType {
  return (INFER_ELEM_TYPES as readonly string[]).includes(t);
}

/** Builds a typed array of `type` from numbers (int64 via BigInt; bool as 0/1). */
export function typedFromNumbers(type: InferElemType, values: readonly number[]): InferData {
  switch (type) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
    case 'uint8':
      return Uint8Array.from(values);
    case 'int8':
      return Int8Array.from(values);
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}

/** Flattens a (possibly nested) JSON array of numbers, returning the values and the nested shape. */
export function flattenJson(name: string, value: unknown): { values: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v);
      else if (typeof v === 'boolean') values.push(v ? 1 : 0);
      else throw new WorkbenchError('INVALID_INPUT', `Input “${name}” holds a value that is not a number.`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new WorkbenchError('INVALID_INPUT', `Input “${name}” is a ragged array.`);
    }
    for (const x of v) walk(x, depth + 1);
  };
  walk(value, 0);
  return { values, shape };
}

export const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
