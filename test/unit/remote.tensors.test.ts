import { describe, expect, it } from 'vitest';
import { decodeBinaryResponse, encodeBinaryRequest, rawBytes } from '../../src/engine/remote/binary';
import { fromJsonOutput, rawByteLength, toJsonInput } from '../../src/engine/remote/tensorsJson';
import type { PlainTensor } from '../../src/engine/infer/tensors';

const ALL: Record<string, PlainTensor> = {
  f32: { type: 'float32', dims: [2, 3], data: Float32Array.from([0.1, -2.5, 3e-8, 1e30, -0, 7]) },
  f64: { type: 'float64', dims: [2], data: Float64Array.from([Math.PI, -1e-300]) },
  i32: { type: 'int32', dims: [3], data: Int32Array.from([-2147483648, 0, 2147483647]) },
  i64: { type: 'int64', dims: [2], data: BigInt64Array.from([-(2n ** 40n), 2n ** 50n]) },
  u8: { type: 'uint8', dims: [1, 3], data: Uint8Array.from([0, 128, 255]) },
  i8: { type: 'int8', dims: [2], data: Int8Array.from([-128, 127]) },
  flag: { type: 'bool', dims: [3], data: Uint8Array.from([1, 0, 1]) },
  text: { type: 'string', dims: [3], data: ['setosa', '', 'naïve 🌸'] },
  empty: { type: 'float32', dims: [0, 4], data: new Float32Array(0) },
};

/** What a server does with a binary request whose inputs it echoes as outputs: same header sizes, same bytes. */
function echo(body: Uint8Array, headerLength: number): { bytes: Uint8Array; len: number } {
  const req = JSON.parse(new TextDecoder().decode(body.subarray(0, headerLength))) as {
    inputs: { name: string; shape: number[]; datatype: string; parameters: { binary_data_size: number } }[];
  };
  const head = new TextEncoder().encode(JSON.stringify({ model_name: 'echo', outputs: req.inputs }));
  const bytes = new Uint8Array(head.byteLength + body.byteLength - headerLength);
  bytes.set(head);
  bytes.set(body.subarray(headerLength), head.byteLength);
  return { bytes, len: head.byteLength };
}

const plain = (t: PlainTensor): unknown => ({
  type: t.type,
  dims: [...t.dims],
  data: Array.from(t.data as ArrayLike<unknown>),
});

describe('remote: tensors over JSON and binary', () => {
  it('binary encode → decode round-trips every element type bit for bit', () => {
    const { body, headerLength, inputs } = encodeBinaryRequest(ALL);
    expect(inputs.map((i) => i.datatype)).toEqual([
      'FP32',
      'FP64',
      'INT32',
      'INT64',
      'UINT8',
      'INT8',
      'BOOL',
      'BYTES',
      'FP32',
    ]);
    const { bytes, len } = echo(body, headerLength);
    const { binary } = decodeBinaryResponse(bytes, len);
    for (const [name, t] of Object.entries(ALL)) expect(plain(binary.get(name)!), name).toEqual(plain(t));
    expect(Object.is((binary.get('f32')!.data as Float32Array)[4], -0)).toBe(true);
  });

  it('BYTES elements are a 4-byte little-endian length then UTF-8', () => {
    const b = rawBytes({ type: 'string', dims: [2], data: ['ab', 'é'] });
    expect(Array.from(b)).toEqual([2, 0, 0, 0, 97, 98, 2, 0, 0, 0, 0xc3, 0xa9]);
    expect(rawByteLength({ type: 'string', dims: [2], data: ['ab', 'é'] })).toBe(12);
  });

  it('binary keeps NaN, which JSON refuses with a clear message', () => {
    const nan: PlainTensor = { type: 'float32', dims: [2], data: Float32Array.from([NaN, 1]) };
    const { body, headerLength } = encodeBinaryRequest({ x: nan });
    const { bytes, len } = echo(body, headerLength);
    expect(Number.isNaN((decodeBinaryResponse(bytes, len).binary.get('x')!.data as Float32Array)[0])).toBe(
      true,
    );
    expect(() => toJsonInput('x', nan)).toThrow(/NaN or ±Infinity.*binary/);
    expect(() =>
      toJsonInput('big', { type: 'int64', dims: [1], data: BigInt64Array.from([2n ** 60n]) }),
    ).toThrow(/beyond ±2\^53/);
  });

  it('JSON encode → decode round-trips every type (float32 exactly, via doubles)', () => {
    for (const [name, t] of Object.entries(ALL)) {
      const j = toJsonInput(name, t);
      const back = fromJsonOutput(JSON.parse(JSON.stringify(j)) as typeof j);
      const want = plain(t) as { data: unknown[] };
      // JSON has no negative zero: -0 comes back as 0.
      expect(plain(back), name).toEqual({ ...want, data: want.data.map((v) => (Object.is(v, -0) ? 0 : v)) });
    }
    expect(toJsonInput('flag', ALL.flag!).data).toEqual([true, false, true]);
  });

  it('reads nested JSON data and refuses wrong counts, types and unknown datatypes', () => {
    expect(
      plain(
        fromJsonOutput({
          name: 'y',
          datatype: 'FP32',
          shape: [2, 2],
          data: [
            [1, 2],
            [3, 4],
          ],
        }),
      ),
    ).toEqual({
      type: 'float32',
      dims: [2, 2],
      data: [1, 2, 3, 4],
    });
    expect(() => fromJsonOutput({ name: 'y', datatype: 'FP32', shape: [3], data: [1, 2] })).toThrow(
      /2 values for shape \[3\]/,
    );
    expect(() => fromJsonOutput({ name: 'y', datatype: 'FP32', shape: [1], data: ['a'] })).toThrow(
      /not FP32/,
    );
    expect(() => fromJsonOutput({ name: 'y', datatype: 'FP16', shape: [1], data: [1] })).toThrow(/FP16/);
    expect(() => fromJsonOutput({ name: 'y', datatype: 'FP32', shape: [-1], data: [] })).toThrow(
      /invalid shape/,
    );
  });

  it('refuses binary responses whose sizes do not add up', () => {
    const { body, headerLength } = encodeBinaryRequest({ x: ALL.f32! });
    const { bytes, len } = echo(body, headerLength);
    expect(() => decodeBinaryResponse(bytes, bytes.byteLength + 1)).toThrow(/does not fit/);
    expect(() => decodeBinaryResponse(bytes.subarray(0, bytes.byteLength - 1), len)).toThrow(/runs past/);
    const head = new TextEncoder().encode(
      JSON.stringify({
        outputs: [{ name: 'x', datatype: 'FP32', shape: [3], parameters: { binary_data_size: 8 } }],
      }),
    );
    const lying = new Uint8Array(head.byteLength + 8);
    lying.set(head);
    expect(() => decodeBinaryResponse(lying, head.byteLength)).toThrow(/8 bytes for shape \[3\]/);
  });
});
