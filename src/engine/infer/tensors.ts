/** Plain tensors that cross the worker boundary (no onnxruntime types), and helpers to build them. */
import { WorkbenchError } from '../../lib/errors';

/** Numeric element types the inference worker accepts and returns as plain typed arrays. */
export type NumericElemType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'int8' | 'bool';

/** Element types the inference worker accepts and returns (strings as a plain array, e.g. a class name). */
export type InferElemType = NumericElemType | 'string';

export type NumericData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

export type InferData = NumericData | string[];

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
  'string',
];

export function isInferElemType(t: string): t is InferElemType {
  return (INFER_ELEM_TYPES as readonly string[]).includes(t);
}

/** Builds a typed array of `type` from numbers (int64 via BigInt; bool as 0/1). */
export function typedFromNumbers(type: NumericElemType, values: readonly number[]): NumericData;
export function typedFromNumbers(type: InferElemType, values: readonly number[]): InferData;
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
    case 'string':
      return values.map(String);
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
      else if (v === null)
        values.push(NaN); // null = missing (NaN), as JSON cannot write NaN
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

/** The values of a tensor as numbers (int64 through Number; strings are not numbers: NaN). */
export function numbersOf(data: InferData, limit = Infinity): number[] {
  const n = Math.min(data.length, limit);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = data[i];
    out[i] = typeof v === 'string' ? NaN : Number(v);
  }
  return out;
}

/** Builds a nested JSON array of `values` in row-major order with shape `dims` (flat for rank ≤ 1). */
export function nest(values: readonly unknown[], dims: readonly number[]): unknown {
  if (dims.length <= 1) return [...values];
  const [first, ...rest] = dims;
  const step = elementCount(rest);
  return Array.from({ length: first ?? 0 }, (_, i) => nest(values.slice(i * step, (i + 1) * step), rest));
}
