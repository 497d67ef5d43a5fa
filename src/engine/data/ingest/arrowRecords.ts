import { CompressionType } from 'apache-arrow/fb/compression-type';
import { Precision, Type } from 'apache-arrow/enum';
import { compressionRegistry } from 'apache-arrow/ipc/compression/registry';
import { RecordBatchReader } from 'apache-arrow/ipc/reader';
import type { Field } from 'apache-arrow/schema';
import type { DataType, Decimal, Dictionary, Float, Time } from 'apache-arrow/type';
import { ByteBuffer } from 'flatbuffers';
import { decompress as zstdDecompress } from 'fzstd';
import { WorkbenchError } from '../../../lib/errors';
import { eventLoopYielder } from '../../../lib/yieldToEventLoop';
import type { IngestSource } from './ingest';
import { uniqueNames } from './layout';
import {
  float32Text,
  nestedCell,
  plain,
  readWhole,
  RECORD_BATCH,
  timeText,
  type RecordBatch,
} from './records';
import { abortError } from './textStream';

// Arrow IPC bodies may be compressed per buffer (LZ4 frame or Zstandard); apache-arrow reads them through
// this registry. Its vector loader needs 8-byte aligned buffers, so unaligned views are copied.
const aligned = (b: Uint8Array): Uint8Array => (b.byteOffset % 8 === 0 ? b : b.slice());
compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (b) => aligned(lz4FrameDecode(b)) });
compressionRegistry.set(CompressionType.ZSTD, { decode: (b) => aligned(zstdDecompress(b)) });

// apache-arrow reads its metadata with flatbuffers, which has no verifier in JavaScript: a damaged vector
// length would make it loop over billions of phantom entries. No valid vector runs past its buffer.
const vectorLength = ByteBuffer.prototype.__vector_len; // eslint-disable-line @typescript-eslint/unbound-method
ByteBuffer.prototype.__vector_len = function (this: ByteBuffer, offset: number): number {
  const n = vectorLength.call(this, offset);
  if (n < 0 || this.__vector(offset) + n > this.capacity()) throw new Error('its metadata is damaged');
  return n;
};

/**
 * Reads an Arrow IPC file or stream (either is detected) in batches of records. Timestamps and dates become
 * Date; dictionary columns their values; 64-bit integers bigint (exact); decimals exact decimal text; times
 * HH:MM:SS text; binary 0x-hex; lists, structs and maps JSON text. See test/fixtures/data/formats/README.md.
 */
export async function* arrowRecords(
  src: IngestSource,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<RecordBatch> {
  const bytes = await readWhole(src, 'Arrow', signal, onBytes);
  const { fields, batches } = openReader(src.name, bytes);
  const names = uniqueNames(fields.map((f) => String(f.name ?? '')));
  const cells = fields.map((f) => cellOf(f.type));
  const breathe = eventLoopYielder();
  // Whatever apache-arrow throws becomes PARSE_ERROR in recordBatches.
  for (let next = batches.next(); next.done !== true; next = batches.next()) {
    const batch = next.value;
    if (!fits(batch.data, batch.numRows))
      throw new Error(`a batch of ${batch.numRows} rows has short columns`);
    const columns = fields.map((_, c) => batch.getChildAt(c));
    for (let start = 0; start < batch.numRows; start += RECORD_BATCH) {
      await breathe(); // so that a Cancel message can arrive
      if (signal?.aborted) throw abortError();
      const out: RecordBatch = [];
      for (let r = start; r < Math.min(batch.numRows, start + RECORD_BATCH); r++) {
        const rec: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) rec[names[c]!] = cells[c]!(columns[c]?.get(r) ?? null);
        out.push(rec);
      }
      yield out;
    }
  }
  await breathe();
  if (signal?.aborted) throw abortError();
}

/** The part of an apache-arrow RecordBatch read here. */
interface Batch {
  readonly numRows: number;
  readonly data: Data;
  getChildAt(i: number): { get(r: number): unknown } | null;
}

/** The part of an apache-arrow Data (one array and its buffers) checked here. */
interface Data {
  readonly typeId: Type;
  readonly length: number;
  readonly offset: number;
  readonly stride: number;
  readonly values?: ArrayLike<unknown>;
  readonly valueOffsets?: ArrayLike<unknown>;
  readonly nullBitmap?: Uint8Array;
  readonly children: readonly Data[];
}

/**
 * Whether every array's buffers hold the values its length claims, and every column the batch's rows.
 * apache-arrow does not check this, and a damaged length would otherwise read garbage for billions of rows.
 */
function fits(d: Data, rows: number): boolean {
  const end = d.offset + d.length;
  if (d.length < 0 || d.offset < 0 || d.length !== rows) return false;
  if (d.nullBitmap !== undefined && d.nullBitmap.length > 0 && d.nullBitmap.length * 8 < end) return false;
  if (d.typeId === Type.Union) return true;
  if (d.valueOffsets !== undefined) {
    if (d.valueOffsets.length < end + 1) return false;
  } else if (d.values !== undefined) {
    if (d.values.length < (d.typeId === Type.Bool ? Math.ceil(end / 8) : end * d.stride)) return false;
  }
  // Struct children share the row count; list and map children have their own, checked against themselves.
  return d.children.every((c) => fits(c, d.typeId === Type.Struct ? rows : c.length));
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const startsWith = (b: Uint8Array, at: number, m: readonly number[]): boolean =>
  m.every((x, i) => b[at + i] === x);

/** Opens the reader, first checking what apache-arrow would otherwise fail on with an obscure message. */
function openReader(
  name: string,
  bytes: Uint8Array,
): { fields: Field<DataType>[]; batches: Iterator<Batch> } {
  const fail = (reason: string): WorkbenchError =>
    new WorkbenchError('PARSE_ERROR', `${name} is not a valid Arrow file: ${reason}`);
  if (startsWith(bytes, 0, [0x46, 0x45, 0x41, 0x31])) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${name} is a Feather version 1 file, which is not supported; save it again as Feather v2 (Arrow IPC)`,
    );
  }
  if (startsWith(bytes, 0, MAGIC)) {
    const n = bytes.byteLength;
    if (n < 16 || !startsWith(bytes, n - 6, MAGIC)) throw fail('it is truncated (the footer is missing)');
    const footer = new DataView(bytes.buffer, bytes.byteOffset).getInt32(n - 10, true);
    if (footer <= 0 || footer > n - 18) throw fail('its footer is damaged');
  } else if (!startsWith(bytes, 0, [0xff, 0xff, 0xff, 0xff])) {
    throw fail('it starts with neither the Arrow file magic (ARROW1) nor an IPC stream message');
  }
  const reader = RecordBatchReader.from(bytes).open({ autoDestroy: false });
  const schema = reader.schema as { fields: Field<DataType>[] } | null;
  if (schema === null) throw fail('it holds no schema');
  // A file is read block by block from its footer: apache-arrow's own loop re-reads a block forever when
  // a damaged footer points it at a message that is not a record batch.
  const batches = reader.isFile()
    ? (function* (): Generator<Batch> {
        for (let i = 0; i < reader.numRecordBatches; i++) {
          const batch = reader.readRecordBatch(i);
          if (batch === null) throw new Error(`record batch ${i + 1} is missing`);
          yield batch;
        }
      })()
    : (reader[Symbol.iterator]() as Iterator<Batch>);
  return { fields: schema.fields, batches };
}

type Cell = (v: unknown) => unknown;

const kids = (t: DataType): Field<DataType>[] => (t.children ?? []) as Field<DataType>[];

/** How a value of an Arrow type becomes a record value (null stays null). */
function cellOf(type: DataType): Cell {
  const nested = isNested(type);
  const f = nested ? plainOf(type) : scalarOf(type);
  return nested ? (v) => (v === null ? null : JSON.stringify(f(v))) : (v) => (v === null ? null : f(v));
}

function isNested(type: DataType): boolean {
  const id = type.typeId;
  return [Type.List, Type.LargeList, Type.FixedSizeList, Type.Struct, Type.Map, Type.Union].includes(id);
}

function scalarOf(type: DataType): Cell {
  switch (type.typeId) {
    case Type.Dictionary:
      return cellOf((type as Dictionary<DataType>).dictionary);
    case Type.Timestamp:
    case Type.Date:
      return (v) => new Date(v as number);
    case Type.Time: {
      const unit = (type as Time).unit;
      return (v) => timeText(v as number | bigint, unit);
    }
    case Type.Float:
      return (type as Float).precision === Precision.SINGLE ? (v) => float32Text(v as number) : (v) => v;
    case Type.Decimal: {
      const scale = (type as Decimal).scale;
      return (v) => decimalText(v as Uint32Array, scale);
    }
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
    case Type.BinaryView:
      return (v) => nestedCell(v);
    default:
      // Numbers, bigints, booleans, strings; durations as their count of units; intervals as JSON.
      return (v) => (typeof v === 'object' ? nestedCell(v) : v);
  }
}

/** A JSON-safe value of any type, following the type so that nested timestamps become ISO text. */
function plainOf(type: DataType): Cell {
  const children = kids(type);
  let f: Cell;
  switch (type.typeId) {
    case Type.List:
    case Type.LargeList:
    case Type.FixedSizeList: {
      const item = plainOf(children[0]!.type);
      f = (v) => Array.from(v as Iterable<unknown>, item);
      break;
    }
    case Type.Struct: {
      const parts = children.map((c) => [c.name, plainOf(c.type)] as const);
      f = (v) => Object.fromEntries(parts.map(([k, p]) => [k, p((v as Record<string, unknown>)[k])]));
      break;
    }
    case Type.Map: {
      const value = plainOf(kids(children[0]!.type)[1]!.type);
      f = (v) =>
        Object.fromEntries(Array.from(v as Iterable<[unknown, unknown]>, ([k, x]) => [String(k), value(x)]));
      break;
    }
    case Type.Union:
      f = plain;
      break;
    default: {
      const scalar = scalarOf(type);
      f = (v) => plain(scalar(v));
    }
  }
  return (v) => (v === null || v === undefined ? null : f(v));
}

/** A decimal's exact text from its little-endian two's-complement 32-bit words and its scale. */
function decimalText(words: Uint32Array, scale: number): string {
  const w = new Uint32Array(words.buffer, words.byteOffset, words.byteLength >> 2);
  let x = 0n;
  for (let i = w.length - 1; i >= 0; i--) x = (x << 32n) | BigInt(w[i]!);
  if ((w[w.length - 1]! & 0x80000000) !== 0) x -= 1n << BigInt(32 * w.length);
  if (scale <= 0) return (x * 10n ** BigInt(-scale)).toString();
  const digits = (x < 0n ? -x : x).toString().padStart(scale + 1, '0');
  return `${x < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * Decodes LZ4 frames (the format Arrow's LZ4_FRAME codec writes), checking every length and offset so that
 * damaged input fails instead of reading or writing out of bounds. Checksums are skipped, not verified.
 */
export function lz4FrameDecode(src: Uint8Array): Uint8Array {
  const bad = (why: string): Error => new Error(`LZ4 frame: ${why}`);
  const u32 = (i: number): number => {
    if (i + 4 > src.length) throw bad('truncated');
    return (src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)) >>> 0;
  };
  let out = new Uint8Array(src.length * 4 + 64);
  let d = 0;
  const room = (n: number): void => {
    if (d + n <= out.length) return;
    const grown = new Uint8Array(Math.max(out.length * 2, d + n));
    grown.set(out.subarray(0, d));
    out = grown;
  };
  let s = 0;
  while (s < src.length) {
    if (u32(s) !== 0x184d2204) throw bad('bad magic number');
    const flags = src[s + 4] ?? 0;
    if (flags >> 6 !== 1) throw bad('unsupported version');
    if ((flags & 1) !== 0) throw bad('dictionaries are not supported');
    const maxBlock = 1 << (8 + 2 * (((src[s + 5] ?? 0) >> 4) & 7));
    if (maxBlock < 1 << 16) throw bad('bad block size');
    s += 7 + ((flags & 8) !== 0 ? 8 : 0);
    const frameStart = d;
    for (;;) {
      const size = u32(s);
      s += 4;
      if (size === 0) break;
      const n = size & 0x7fffffff;
      if (n > maxBlock || s + n > src.length) throw bad('bad block length');
      if (size !== n) {
        room(n);
        out.set(src.subarray(s, s + n), d);
        d += n;
      } else {
        const most = Math.min(maxBlock, n * 256 + 64); // a compressed byte expands to at most 255
        room(most);
        d = lz4Block(src, s, s + n, out, d, d + most, frameStart);
      }
      s += n + ((flags & 0x10) !== 0 ? 4 : 0);
    }
    s += (flags & 4) !== 0 ? 4 : 0;
    if (s > src.length) throw bad('truncated');
  }
  return d === out.length ? out : out.slice(0, d);
}

/** One LZ4 block: sequences of literals then a back-reference, the last with literals only. */
function lz4Block(
  src: Uint8Array,
  s: number,
  end: number,
  dst: Uint8Array,
  d: number,
  dEnd: number,
  floor: number,
): number {
  const bad = (): Error => new Error('LZ4 frame: corrupt block');
  const length = (n: number): number => {
    if (n !== 15) return n;
    for (let b = 255; b === 255; n += b) {
      if (s >= end) throw bad();
      b = src[s++]!;
    }
    return n;
  };
  while (s < end) {
    const token = src[s++]!;
    const lit = length(token >> 4);
    if (s + lit > end || d + lit > dEnd) throw bad();
    dst.set(src.subarray(s, s + lit), d);
    s += lit;
    d += lit;
    if (s === end) break;
    if (s + 2 > end) throw bad();
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    const len = length(token & 15) + 4;
    if (offset === 0 || offset > d - floor || d + len > dEnd) throw bad();
    if (offset >= len) dst.copyWithin(d, d - offset, d - offset + len);
    else for (let i = 0; i < len; i++) dst[d + i] = dst[d + i - offset]!;
    d += len;
  }
  return d;
}
