import { describe, expect, it } from 'vitest';
import { npyNumbers, parseNpy } from '../../src/engine/infer/npy';
import { npy } from '../support/npy';

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('infer: .npy reader', () => {
  it('reads float32 [2, 3] in C order exactly (NaN kept)', () => {
    const values = Float32Array.of(1.5, -2, 0.1, NaN, 3e38, -0);
    const a = parseNpy(npy('<f4', [2, 3], bytesOf(values)));
    expect(a.type).toBe('float32');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(values));
  });

  it('reads int64, int32 and uint8, and a version-2 header', () => {
    const i64 = parseNpy(npy('<i8', [3], bytesOf(BigInt64Array.of(-5n, 0n, 2n ** 40n))));
    expect(i64.type).toBe('int64');
    expect(npyNumbers(i64)).toEqual([-5, 0, 2 ** 40]);
    const i32 = parseNpy(npy('<i4', [2, 2], bytesOf(Int32Array.of(1, -2, 3, -4)), { version: 2 }));
    expect(i32.shape).toEqual([2, 2]);
    expect(npyNumbers(i32)).toEqual([1, -2, 3, -4]);
    const u8 = parseNpy(npy('|u1', [4], Uint8Array.of(0, 7, 128, 255)));
    expect(npyNumbers(u8)).toEqual([0, 7, 128, 255]);
  });

  it('reads a scalar (shape ()) as one value', () => {
    const a = parseNpy(npy('<f4', [], bytesOf(Float32Array.of(2.5))));
    expect(a.shape).toEqual([]);
    expect(Array.from(a.data as Float32Array)).toEqual([2.5]);
  });

  it('refuses big-endian, float64, Fortran order, truncated data and non-npy bytes with a clear message', () => {
    const four = bytesOf(Float32Array.of(1, 2, 3, 4));
    expect(() => parseNpy(npy('>f4', [4], four))).toThrow(/dtype >f4 is not supported.*<f4/);
    expect(() => parseNpy(npy('<f8', [2], bytesOf(Float64Array.of(1, 2))))).toThrow(/dtype <f8/);
    expect(() => parseNpy(npy('<f4', [2, 2], four, { fortran: true }))).toThrow(/Fortran order/);
    expect(() => parseNpy(npy('<f4', [5], four))).toThrow(/truncated: 16 bytes for 5 values/);
    expect(() => parseNpy(new TextEncoder().encode('{"x": [1, 2]}'))).toThrow(/magic string/);
    let code: string | undefined;
    try {
      parseNpy(Uint8Array.of(1, 2, 3));
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe('PARSE_ERROR');
  });

  it('refuses int64 values beyond 2^53 rather than rounding them', () => {
    const a = parseNpy(npy('<i8', [1], bytesOf(BigInt64Array.of(2n ** 60n))));
    expect(() => npyNumbers(a)).toThrow(/beyond ±2\^53/);
  });
});
