/**
 * SHA-256 of bytes as lowercase hex, through Web Crypto (browsers, workers and Node ≥ 20 all have
 * `crypto.subtle`): the content hash that share links and project files use to name data.
 */

/** Lowercase hex of a digest. */
function hex(buf: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(buf)) s += b.toString(16).padStart(2, '0');
  return s;
}

/** SHA-256 of the bytes, 64 lowercase hex digits. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest() wants an ArrayBuffer-backed view; a view of a SharedArrayBuffer is copied first.
  const view =
    bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return hex(await crypto.subtle.digest('SHA-256', view));
}

/** SHA-256 of a string's UTF-8 bytes. */
export function sha256HexOfText(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(text));
}
