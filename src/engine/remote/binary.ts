/**
 * The binary tensor data extension (Triton/KServe): a JSON header whose byte length travels in the
 * `Inference-Header-Content-Length` HTTP header, followed by each binary tensor's raw little-endian bytes in
 * order, sized by `parameters.binary_data_size`. BOOL is one byte per element; BYTES is a 4-byte little-endian
 * length then the bytes, per element.
 */
import { WorkbenchError } from '../../lib/errors';
import type { PlainTensor } from '../infer/tensors';
import { oipDatatype, plainFromValues, type OipJsonTensor } from './tensorsJson';

export const HEADER_LENGTH = 'Inference-Header-Content-Length';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Raw bytes of a plain tensor (a view on its data where possible). */
export function rawBytes(t: PlainTensor): Uint8Array {
  if (!LITTLE_ENDIAN) throw new WorkbenchError('INTERNAL', 'Binary tensors need a little-endian platform.');
  if (t.type === 'string') {
    const parts = (t.data as string[]).map((s) => new TextEncoder().encode(s));
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
  const d = t.data as ArrayBufferView;
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Encodes an inference request with every input as binary data and asks for binary outputs. */
export function encodeBinaryRequest(
  feeds: Readonly<Record<string, PlainTensor>>,
  extra: { readonly id?: string } = {},
): { body: Uint8Array; headerLength: number; inputs: OipJsonTensor[] } {
  const parts: Uint8Array[] = [];
  const inputs = Object.entries(feeds).map(([name, t]): OipJsonTensor => {
    const bytes = rawBytes(t);
    parts.push(bytes);
    return {
      name,
      shape: [...t.dims],
      datatype: oipDatatype(t.type),
      parameters: { binary_data_size: bytes.byteLength },
    };
  });
  const header = new TextEncoder().encode(
    JSON.stringify({ ...extra, inputs, parameters: { binary_data_output: true } }),
  );
  const body = new Uint8Array(header.byteLength + parts.reduce((a, p) => a + p.byteLength, 0));
  body.set(header, 0);
  let at = header.byteLength;
  for (const p of parts) {
    body.set(p, at);
    at += p.byteLength;
  }
  return { body, headerLength: header.byteLength, inputs };
}

function fromRaw(o: OipJsonTensor, bytes: Uint8Array): PlainTensor {
  const copy = bytes.slice(); // aligned, owned
  const dims = [...o.shape];
  switch (o.datatype) {
    case 'FP32':
      return { type: 'float32', dims, data: new Float32Array(copy.buffer) };
    case 'FP64':
      return { type: 'float64', dims, data: new Float64Array(copy.buffer) };
    case 'INT32':
      return { type: 'int32', dims, data: new Int32Array(copy.buffer) };
    case 'INT64':
      return { type: 'int64', dims, data: new BigInt64Array(copy.buffer) };
    case 'UINT8':
      return { type: 'uint8', dims, data: copy };
    case 'INT8':
      return { type: 'int8', dims, data: new Int8Array(copy.buffer) };
    case 'BOOL':
      return { type: 'bool', dims, data: copy };
    case 'BYTES': {
      const view = new DataView(copy.buffer);
      const values: string[] = [];
      for (let at = 0; at < copy.byteLength;) {
        if (at + 4 > copy.byteLength) break;
        const len = view.getUint32(at, true);
        values.push(new TextDecoder().decode(copy.subarray(at + 4, at + 4 + len)));
        at += 4 + len;
      }
      return plainFromValues(o.name, 'BYTES', o.shape, values);
    }
    default:
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Output “${o.name}” has datatype ${o.datatype}, which the workbench cannot read.`,
      );
  }
}

const WIDTH: Readonly<Record<string, number>> = {
  FP32: 4,
  FP64: 8,
  INT32: 4,
  INT64: 8,
  UINT8: 1,
  INT8: 1,
  BOOL: 1,
};

/**
 * Splits a binary response into its JSON header and the outputs' raw data. `headerLength` null means the
 * header was absent (a plain JSON body).
 */
export function decodeBinaryResponse(
  body: Uint8Array,
  headerLength: number | null,
): { json: Record<string, unknown>; binary: Map<string, PlainTensor> } {
  const len = headerLength ?? body.byteLength;
  if (!Number.isInteger(len) || len < 0 || len > body.byteLength) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `${HEADER_LENGTH} ${len} does not fit a ${body.byteLength}-byte response.`,
    );
  }
  const json = JSON.parse(new TextDecoder().decode(body.subarray(0, len))) as Record<string, unknown>;
  const binary = new Map<string, PlainTensor>();
  const outputs = Array.isArray(json.outputs) ? (json.outputs as OipJsonTensor[]) : [];
  let at = len;
  for (const o of outputs) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) continue;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || at + size > body.byteLength) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Output “${o.name}”: binary_data_size ${JSON.stringify(size)} runs past the response.`,
      );
    }
    const width = WIDTH[o.datatype];
    const n = o.shape.reduce((a, b) => a * b, 1);
    if (width !== undefined && size !== n * width) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Output “${o.name}”: ${size} bytes for shape [${o.shape.join(', ')}] of ${o.datatype}.`,
      );
    }
    binary.set(o.name, fromRaw(o, body.subarray(at, at + size)));
    at += size;
  }
  return { json, binary };
}
