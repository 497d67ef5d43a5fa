import type { ColumnChunk } from '../dataset';

const encoder = new TextEncoder();

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function copyBytes(v: ArrayBufferView): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(v.byteLength);
  out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return out;
}

function bytesOf(c: ColumnChunk): Uint8Array<ArrayBuffer>[] {
  const data = Array.isArray(c.data) ? encoder.encode(JSON.stringify(c.data)) : copyBytes(c.data);
  return [data, copyBytes(c.validity)];
}

/** SHA-256 (hex) of one stored chunk: its values and its validity mask. */
export async function chunkDigest(c: ColumnChunk): Promise<string> {
  const parts = bytesOf(c);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.byteLength;
  }
  return hex(await crypto.subtle.digest('SHA-256', all));
}

/** SHA-256 (hex) over a list of digests, in order: a dataset's content hash. */
export async function combineDigests(digests: readonly string[]): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(digests.join('\n'))));
}

/** Bytes a chunk takes (strings counted as UTF-16). */
export function chunkBytes(c: ColumnChunk): number {
  const data = Array.isArray(c.data) ? c.data.reduce((n, s) => n + s.length * 2, 0) : c.data.byteLength;
  return data + c.validity.byteLength;
}
