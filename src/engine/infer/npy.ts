/**
 * A small reader for NumPy's .npy format (versions 1–3): little-endian float32, int64, int32 and uint8 in C
 * order. Anything else (big-endian, Fortran order, other dtypes, object arrays) is refused with a message
 * naming what was found, so a user knows what to convert.
 */
import { WorkbenchError } from '../../lib/errors';
import type { NumericData, NumericElemType } from './tensors';

export interface NpyArray {
  readonly type: NumericElemType;
  readonly shape: readonly number[];
  readonly data: NumericData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** dtype descriptors accepted → element type and bytes per element. */
const DTYPES: Readonly<Record<string, { type: NumericElemType; size: number }>> = {
  '<f4': { type: 'float32', size: 4 },
  '<i8': { type: 'int64', size: 8 },
  '<i4': { type: 'int32', size: 4 },
  '|u1': { type: 'uint8', size: 1 },
  '<u1': { type: 'uint8', size: 1 },
};

const bad = (why: string): WorkbenchError =>
  new WorkbenchError('PARSE_ERROR', `Not a usable .npy file: ${why}`);

/** Reads the header's Python dict literal: descr, fortran_order and shape. */
function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw bad('its header does not name descr, fortran_order and shape.');
  }
  const parts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const shape = parts.map((s) => {
    const n = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(n) || n < 0) throw bad(`the shape (${shapeText}) is not a list of sizes.`);
    return n;
  });
  return { descr, fortran: fortran === 'True', shape };
}

/** Parses a .npy file's bytes. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw bad('the magic string \\x93NUMPY is missing.');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw bad('the header is truncated.');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else {
    throw bad(`format version ${major} is not supported (1, 2 or 3).`);
  }
  if (start + headerLen > bytes.length) throw bad('the header is truncated.');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLen),
  );
  const { descr, fortran, shape } = parseHeader(header);
  const dtype = DTYPES[descr];
  if (dtype === undefined) {
    throw bad(
      `dtype ${descr} is not supported; use little-endian float32 (<f4), int64 (<i8), int32 (<i4) or uint8 (|u1).`,
    );
  }
  if (fortran) throw bad('the array is in Fortran order; save it in C order (np.ascontiguousarray).');
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const need = count * dtype.size;
  if (bytes.length - offset < need) {
    throw bad(`the data is truncated: ${bytes.length - offset} bytes for ${count} values of ${descr}.`);
  }
  // Copy into an aligned buffer (the data offset need not be a multiple of the element size).
  const raw = bytes.slice(offset, offset + need).buffer;
  let data: NumericData;
  switch (dtype.type) {
    case 'float32':
      data = new Float32Array(raw);
      break;
    case 'int64':
      data = new BigInt64Array(raw);
      break;
    case 'int32':
      data = new Int32Array(raw);
      break;
    default:
      data = new Uint8Array(raw);
  }
  return { type: dtype.type, shape, data };
}

/** Values of a parsed array as JS numbers; an int64 beyond ±2^53 is refused rather than rounded. */
export function npyNumbers(a: NpyArray): number[] {
  const out = new Array<number>(a.data.length);
  for (let i = 0; i < a.data.length; i++) {
    const v = a.data[i]!;
    if (typeof v === 'bigint') {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw bad(`int64 value ${v} at index ${i} is beyond ±2^53 and cannot be edited as a number.`);
      }
      out[i] = Number(v);
    } else out[i] = v;
  }
  return out;
}
