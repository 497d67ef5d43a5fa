import { WorkbenchError } from '../../../lib/errors';

/** Progress of a streamed read. */
export interface ReadProgress {
  readonly bytes: number;
  readonly totalBytes: number;
}

/**
 * Decodes a byte stream as UTF-8 text chunks, safe across chunk boundaries (TextDecoder keeps partial
 * characters), refusing text that is not UTF-8 and binary data with a clear message.
 */
export async function* decodeUtf8(
  stream: ReadableStream<Uint8Array>,
  fileName: string,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const reader = stream.getReader();
  let bytes = 0;
  try {
    for (;;) {
      if (signal?.aborted) throw abortError();
      const { done, value } = await reader.read();
      if (done) break;
      if (bytes === 0 && looksBinary(value)) {
        throw new WorkbenchError('PARSE_ERROR', `${fileName} is not a text file (it contains binary data)`);
      }
      let text: string;
      try {
        text = decoder.decode(value, { stream: true });
      } catch {
        throw new WorkbenchError(
          'PARSE_ERROR',
          `${fileName} is not valid UTF-8 text (near byte ${bytes.toLocaleString('en-US')}). Save it as UTF-8 and import again.`,
        );
      }
      bytes += value.byteLength;
      onBytes?.(bytes);
      if (text.length > 0) yield text;
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** NUL bytes in the first block mean binary data (UTF-16 text is rejected too, with the same advice). */
function looksBinary(first: Uint8Array): boolean {
  const n = Math.min(first.byteLength, 4096);
  for (let i = 0; i < n; i++) if (first[i] === 0) return true;
  return false;
}

/** The error a cancelled import ends with. */
export function abortError(): WorkbenchError {
  return new WorkbenchError('CANCELLED', 'The import was cancelled; nothing was stored.');
}
