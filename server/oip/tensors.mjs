/* global TextDecoder, TextEncoder */
/**
 * Open Inference Protocol tensors ⇄ onnxruntime-node tensors, for the reference server: JSON `data` (flat or
 * nested, row-major) and the binary tensor data extension (raw little-endian bytes; BYTES as 4-byte length +
 * bytes per element; BOOL one byte per element).
 */
import ort from 'onnxruntime-node';

/** OIP datatype → onnxruntime tensor type. */
export const ORT_OF = {
  BOOL: 'bool',
  UINT8: 'uint8',
  INT8: 'int8',
  INT16: 'int16',
  UINT16: 'uint16',
  INT32: 'int32',
  UINT32: 'uint32',
  INT64: 'int64',
  UINT64: 'uint64',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};

/** onnxruntime tensor type → OIP datatype. */
export const OIP_OF = Object.fromEntries(Object.entries(ORT_OF).map(([k, v]) => [v, k]));

const ARRAY_OF = {
  bool: Uint8Array,
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** A request the client got wrong: answered 400 with {"error"}. */
export class BadRequest extends Error {}

const count = (shape) => shape.reduce((a, b) => a * b, 1);

function checkShape(name, shape) {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new BadRequest(`input '${name}': shape must be an array of non-negative integers`);
  }
}

function flatten(value, out) {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value);
  return out;
}

/** Builds an ort.Tensor from one JSON request input (`data` flat or nested). */
export function tensorFromJson(input) {
  const { name, datatype, shape, data } = input;
  checkShape(name, shape);
  const type = ORT_OF[datatype];
  if (type === undefined) throw new BadRequest(`input '${name}': unsupported datatype '${datatype}'`);
  if (!Array.isArray(data)) throw new BadRequest(`input '${name}': 'data' must be an array`);
  const flat = flatten(data, []);
  if (flat.length !== count(shape)) {
    throw new BadRequest(
      `input '${name}': ${flat.length} values for shape [${shape.join(',')}] (${count(shape)} expected)`,
    );
  }
  if (type === 'string') {
    if (!flat.every((v) => typeof v === 'string'))
      throw new BadRequest(`input '${name}': BYTES data must be strings`);
    return new ort.Tensor('string', flat, shape);
  }
  const Ctor = ARRAY_OF[type];
  const ok =
    type === 'bool' ? (v) => typeof v === 'boolean' || v === 0 || v === 1 : (v) => typeof v === 'number';
  if (!flat.every(ok))
    throw new BadRequest(
      `input '${name}': ${datatype} data must be ${type === 'bool' ? 'booleans' : 'numbers'}`,
    );
  const arr =
    Ctor === BigInt64Array || Ctor === BigUint64Array
      ? Ctor.from(flat, (v) => BigInt(Math.trunc(v)))
      : type === 'bool'
        ? Uint8Array.from(flat, (v) => (v ? 1 : 0))
        : Ctor.from(flat);
  return new ort.Tensor(type, arr, shape);
}

/** Builds an ort.Tensor from one binary request input (`bytes` holds exactly its binary_data_size). */
export function tensorFromBinary(input, bytes) {
  const { name, datatype, shape } = input;
  checkShape(name, shape);
  const type = ORT_OF[datatype];
  if (type === undefined) throw new BadRequest(`input '${name}': unsupported datatype '${datatype}'`);
  const n = count(shape);
  if (type === 'string') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const strings = [];
    let at = 0;
    while (at < bytes.byteLength) {
      if (at + 4 > bytes.byteLength) throw new BadRequest(`input '${name}': truncated BYTES element`);
      const len = view.getUint32(at, true);
      at += 4;
      if (at + len > bytes.byteLength) throw new BadRequest(`input '${name}': truncated BYTES element`);
      strings.push(new TextDecoder().decode(bytes.subarray(at, at + len)));
      at += len;
    }
    if (strings.length !== n)
      throw new BadRequest(`input '${name}': ${strings.length} BYTES elements for ${n}`);
    return new ort.Tensor('string', strings, shape);
  }
  const Ctor = ARRAY_OF[type];
  if (bytes.byteLength !== n * Ctor.BYTES_PER_ELEMENT) {
    throw new BadRequest(
      `input '${name}': binary_data_size ${bytes.byteLength} does not match shape [${shape.join(',')}] of ${datatype}`,
    );
  }
  const copy = new Uint8Array(bytes); // aligned copy
  return new ort.Tensor(type, new Ctor(copy.buffer, 0, n), shape);
}

/** JSON `data` for an ort.Tensor (flat, row-major; int64 through Number; BOOL as booleans). */
export function jsonData(tensor) {
  if (tensor.type === 'string') return [...tensor.data];
  if (tensor.type === 'bool') return Array.from(tensor.data, (v) => v !== 0);
  if (tensor.type === 'int64' || tensor.type === 'uint64') return Array.from(tensor.data, Number);
  return Array.from(tensor.data);
}

/** Raw bytes of an ort.Tensor for the binary extension. */
export function binaryData(tensor) {
  if (tensor.type === 'string') {
    const parts = tensor.data.map((s) => new TextEncoder().encode(s));
    const out = new Uint8Array(parts.reduce((a, p) => a + 4 + p.byteLength, 0));
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts) {
      view.setUint32(at, p.byteLength, true);
      out.set(p, at + 4);
      at += 4 + p.byteLength;
    }
    return out;
  }
  const d = tensor.data;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Metadata tensor for GET /v2/models/{name}: dynamic (symbolic or unknown) dims as -1. */
export function metadataTensor(m) {
  return {
    name: m.name,
    datatype: m.isTensor ? (OIP_OF[m.type] ?? String(m.type).toUpperCase()) : 'BYTES',
    shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) : [-1],
  };
}
