/** Plain tensors ⇄ Open Inference Protocol JSON tensors (row-major `data`, flat on the way out). */
import { WorkbenchError } from '../../lib/errors';
import { elementCount, type InferElemType, type PlainTensor } from '../infer/tensors';

/** OIP datatypes the workbench sends and reads. */
export type OipDatatype = 'BOOL' | 'UINT8' | 'INT8' | 'INT32' | 'INT64' | 'FP32' | 'FP64' | 'BYTES';

const OIP_OF: Readonly<Record<InferElemType, OipDatatype>> = {
  bool: 'BOOL',
  uint8: 'UINT8',
  int8: 'INT8',
  int32: 'INT32',
  int64: 'INT64',
  float32: 'FP32',
  float64: 'FP64',
  string: 'BYTES',
};
const ELEM_OF: Readonly<Record<string, InferElemType>> = Object.fromEntries(
  Object.entries(OIP_OF).map(([k, v]) => [v, k as InferElemType]),
);

/** The OIP datatype of an element type. */
export const oipDatatype = (t: InferElemType): OipDatatype => OIP_OF[t];

/** The element type of an OIP datatype, or null when the workbench has no plain tensor for it (FP16, UINT16…). */
export const elemTypeOf = (datatype: string): InferElemType | null => ELEM_OF[datatype] ?? null;

/** A tensor as an OIP request input or response output. */
export interface OipJsonTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: string;
  readonly data?: unknown;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A plain tensor as a JSON request input; NaN/±Inf and int64 beyond 2^53 cannot travel as JSON numbers. */
export function toJsonInput(name: string, t: PlainTensor): OipJsonTensor {
  const datatype = oipDatatype(t.type);
  let data: unknown[];
  if (t.type === 'string') data = [...(t.data as string[])];
  else if (t.type === 'bool') data = Array.from(t.data as Uint8Array, (v) => v !== 0);
  else if (t.data instanceof BigInt64Array) {
    data = Array.from(t.data, (v) => {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `Input “${name}” holds an int64 beyond ±2^53: use binary tensors.`,
        );
      }
      return Number(v);
    });
  } else {
    data = Array.from(t.data as ArrayLike<number>);
    if (!data.every((v) => Number.isFinite(v))) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Input “${name}” holds NaN or ±Infinity, which JSON cannot carry: use binary tensors.`,
      );
    }
  }
  return { name, shape: [...t.dims], datatype, data };
}

function flatten(value: unknown, out: unknown[]): unknown[] {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value);
  return out;
}

/** A shape read from JSON: an array of non-negative integers. */
export const isShape = (x: unknown): x is readonly number[] =>
  Array.isArray(x) && x.every((d) => Number.isInteger(d) && (d as number) >= 0);

/** Builds a plain tensor of `datatype` from flat values read from JSON. */
export function plainFromValues(
  name: string,
  datatype: string,
  shape: readonly number[],
  values: unknown[],
): PlainTensor {
  const type = elemTypeOf(datatype);
  if (type === null) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Output “${name}” has datatype ${datatype}, which the workbench cannot read.`,
    );
  }
  if (!isShape(shape)) {
    throw new WorkbenchError('INVALID_INPUT', `Output “${name}” has an invalid shape.`);
  }
  if (values.length !== elementCount(shape)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Output “${name}” has ${values.length} values for shape [${shape.join(', ')}].`,
    );
  }
  const bad = (): never => {
    throw new WorkbenchError('INVALID_INPUT', `Output “${name}” holds a value that is not ${datatype}.`);
  };
  const num = (v: unknown): number => (typeof v === 'number' ? v : bad());
  const dims = [...shape];
  switch (type) {
    case 'string':
      return { type, dims, data: values.map((v) => (typeof v === 'string' ? v : bad())) };
    case 'bool':
      return {
        type,
        dims,
        data: Uint8Array.from(values, (v) => (typeof v === 'boolean' ? +v : num(v) ? 1 : 0)),
      };
    case 'int64':
      return { type, dims, data: BigInt64Array.from(values, (v) => BigInt(Math.trunc(num(v)))) };
    case 'float32':
      return { type, dims, data: Float32Array.from(values, num) };
    case 'float64':
      return { type, dims, data: Float64Array.from(values, num) };
    case 'int32':
      return { type, dims, data: Int32Array.from(values, num) };
    case 'uint8':
      return { type, dims, data: Uint8Array.from(values, num) };
    case 'int8':
      return { type, dims, data: Int8Array.from(values, num) };
  }
}

/** A JSON response output (data flat or nested) as a plain tensor. */
export function fromJsonOutput(o: OipJsonTensor): PlainTensor {
  if (!Array.isArray(o.data)) {
    throw new WorkbenchError('INVALID_INPUT', `Output “${o.name}” came without data.`);
  }
  return plainFromValues(o.name, o.datatype, o.shape, flatten(o.data, []));
}

/** Bytes a tensor occupies on the wire as raw data (BYTES: 4-byte length + UTF-8 per element). */
export function rawByteLength(t: PlainTensor): number {
  if (t.type === 'string') {
    return (t.data as string[]).reduce((a, s) => a + 4 + new TextEncoder().encode(s).byteLength, 0);
  }
  return (t.data as ArrayBufferView).byteLength;
}
