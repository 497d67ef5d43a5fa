/** Bytes a postMessage moves: every distinct ArrayBuffer reachable from the message, cloned or transferred. */
export interface ByteCount {
  readonly cloned: number;
  readonly transferred: number;
}

/**
 * Walks a message (objects, arrays, maps, sets, typed arrays) and sums the byteLength of each distinct
 * ArrayBuffer: transferred when it is in `transfer`, else structured-cloned (a view clones its whole buffer).
 */
export function countBuffers(message: unknown, transfer: readonly unknown[]): ByteCount {
  const seen = new Set<unknown>();
  const buffers = new Set<ArrayBufferLike>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (
      v instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)
    ) {
      buffers.add(v);
    } else if (ArrayBuffer.isView(v)) {
      buffers.add(v.buffer);
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else if (v instanceof Set || Array.isArray(v)) {
      for (const x of v as Iterable<unknown>) walk(x);
    } else {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(message);
  let cloned = 0;
  let transferred = 0;
  for (const b of buffers) {
    if (transfer.includes(b)) transferred += b.byteLength;
    else cloned += b.byteLength;
  }
  return { cloned, transferred };
}
