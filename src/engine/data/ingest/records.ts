import { WorkbenchError } from '../../../lib/errors';
import { eventLoopYielder } from '../../../lib/yieldToEventLoop';
import type { DatasetSource } from '../dataset';
import type { IngestSource } from './ingest';
import { jsonRecords } from './jsonRecords';
import { abortError, decodeUtf8 } from './textStream';

/** Formats read as records (objects keyed by column name) rather than delimited text. */
export type RecordFormat = Exclude<DatasetSource['format'], 'csv'>;

/** One batch of records. Values may be numbers, strings, booleans, null, bigint or Date. */
export type RecordBatch = Record<string, unknown>[];

/** A reader of a binary format (which it reads whole). */
export type RecordReader = (
  src: IngestSource,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
) => AsyncGenerator<RecordBatch>;

/** Most records a binary-format reader yields at once. */
export const RECORD_BATCH = 10_000;

/** Largest Arrow or Parquet file: both are read whole into memory (their footers are at the end). */
export const MAX_BINARY_BYTES = 2 ** 30;

/**
 * Streams a record-format source in batches. Each format adds its reader here; the scan and conversion
 * passes are shared, so a format imports to the same columns as its CSV twin. The Arrow and Parquet readers
 * are loaded on first use, so their libraries stay out of the worker's start-up code.
 */
export function recordBatches(
  src: IngestSource,
  format: RecordFormat,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncIterable<RecordBatch> {
  if (format === 'arrow') return lazy('Arrow', async () => (await import('./arrowRecords')).arrowRecords);
  if (format === 'parquet')
    return lazy('Parquet', async () => (await import('./parquetRecords')).parquetRecords);
  return jsonRecords(decodeUtf8(src.open(), src.name, signal, onBytes), format, src.name);

  // Whatever a library throws on a damaged file ends as PARSE_ERROR naming the file.
  async function* lazy(
    kind: 'Arrow' | 'Parquet',
    load: () => Promise<RecordReader>,
  ): AsyncGenerator<RecordBatch> {
    const read = await load();
    try {
      yield* read(src, signal, onBytes);
    } catch (e) {
      throw notValid(src.name, kind, e);
    }
  }
}

/**
 * Reads a whole binary file, honouring the size cap and the signal, with byte progress. The result spans
 * its whole ArrayBuffer (offset 0, 8-byte aligned), as the Arrow and Parquet readers expect.
 */
export async function readWhole(
  src: IngestSource,
  kind: 'Arrow' | 'Parquet',
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = (): WorkbenchError =>
    new WorkbenchError(
      'INVALID_INPUT',
      `${src.name} is larger than 1 GiB; ${kind} files are read whole, so split it or export a smaller part`,
    );
  if (src.bytes > MAX_BINARY_BYTES) throw tooLarge();
  let buf = new Uint8Array(src.bytes);
  let size = 0;
  const reader = src.open().getReader();
  const breathe = eventLoopYielder();
  try {
    for (;;) {
      await breathe();
      if (signal?.aborted) throw abortError();
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > MAX_BINARY_BYTES) throw tooLarge();
      if (size + value.byteLength > buf.byteLength) {
        const grown = new Uint8Array(Math.max(2 * buf.byteLength, size + value.byteLength));
        grown.set(buf.subarray(0, size));
        buf = grown;
      }
      buf.set(value, size);
      size += value.byteLength;
      onBytes(size);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  if (signal?.aborted) throw abortError();
  return size === buf.byteLength ? buf : buf.slice(0, size);
}

/** The error for a file that the named reader cannot read; the reason is the library's own words. */
export function notValid(name: string, kind: 'Arrow' | 'Parquet', e: unknown): WorkbenchError {
  if (e instanceof WorkbenchError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  if (/allocation failed|out of memory/i.test(reason)) {
    return new WorkbenchError('INVALID_INPUT', `${name} does not fit in this tab's memory: ${reason}`);
  }
  if (/not supported|unsupported/i.test(reason)) {
    return new WorkbenchError(
      'PARSE_ERROR',
      `${name} uses a ${kind} feature that is not supported: ${reason}`,
    );
  }
  return new WorkbenchError('PARSE_ERROR', `${name} is not a valid ${kind} file: ${reason}`);
}

/**
 * A value that is not a plain cell (binary, lists, structs, maps) as cell text: bytes as 0x-prefixed hex,
 * everything else as JSON with dates in ISO form and 64-bit integers exact.
 */
export function nestedCell(v: unknown): string {
  return v instanceof Uint8Array ? hex(v) : JSON.stringify(plain(v));
}

function hex(b: Uint8Array): string {
  let s = '0x';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** A JSON-safe copy of a library value (typed arrays, Arrow rows and vectors via their toJSON/iterator). */
export function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v !== 'object') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return hex(v);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>, plain);
  if (Array.isArray(v)) return v.map(plain);
  const json = (v as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return plain(json.call(v));
  if (Symbol.iterator in v) return Array.from(v as Iterable<unknown>, plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A 32-bit float as the shortest decimal that reads back as the same float (0.1f as 0.1, as writers show it). */
export function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = String(Number(x.toPrecision(p)));
    if (Math.fround(Number(s)) === x) return s;
  }
  return String(x);
}

const TIME_UNITS = [1n, 1_000n, 1_000_000n, 1_000_000_000n] as const;

/** A time of day counted in seconds (unit 0), ms (1), µs (2) or ns (3) as HH:MM:SS[.fraction]. */
export function timeText(v: number | bigint, unit: number): string {
  const per = TIME_UNITS[unit] ?? 1n;
  const t = BigInt(v);
  const secs = t / per;
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  const hms = `${two(secs / 3600n)}:${two((secs / 60n) % 60n)}:${two(secs % 60n)}`;
  return per === 1n ? hms : `${hms}.${(t % per).toString().padStart(3 * unit, '0')}`;
}
