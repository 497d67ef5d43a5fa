import {
  parquetMetadata,
  parquetScan,
  parquetSchema,
  type FileMetaData,
  type SchemaElement,
} from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { WorkbenchError } from '../../../lib/errors';
import { eventLoopYielder } from '../../../lib/yieldToEventLoop';
import type { IngestSource } from './ingest';
import { uniqueNames } from './layout';
import { float32Text, nestedCell, readWhole, RECORD_BATCH, timeText, type RecordBatch } from './records';
import { abortError } from './textStream';

/**
 * Reads a Parquet file one row group at a time (each column decoded whole, then yielded as records in
 * batches). Codecs: uncompressed, snappy, gzip, brotli, zstd, lz4 (Hadoop and raw). Timestamps and dates
 * become Date; dictionary-encoded columns their values; INT64 bigint (exact); FLOAT the shortest decimal;
 * TIME HH:MM:SS text; DECIMAL a float64 number; binary 0x-hex; nested columns JSON text.
 */
export async function* parquetRecords(
  src: IngestSource,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncGenerator<RecordBatch> {
  const bytes = await readWhole(src, 'Parquet', signal, onBytes);
  const file = bytes.buffer;
  const metadata = readMetadata(src.name, bytes);
  // Whatever hyparquet throws becomes PARSE_ERROR in recordBatches.
  const top = parquetSchema(metadata).children;
  const keys = uniqueNames(top.map((c) => String(c.element.name ?? '')));
  const columns = top.map((c, i) => ({
    name: c.element.name,
    key: keys[i]!,
    cell: cellOf(c.element, c.children.length > 0),
  }));
  const scan = await parquetScan({ file, metadata, compressors });
  const breathe = eventLoopYielder(); // so that a Cancel message can arrive between steps
  let rows = 0;
  for (const { rowStart, rowEnd } of scan.ranges) {
    const n = rowEnd - rowStart;
    const data: ArrayLike<unknown>[] = [];
    for (const c of columns) {
      await breathe();
      if (signal?.aborted) throw abortError();
      const values = await scan.readColumn({ column: c.name, rowStart, rowEnd });
      if (values.length !== n) throw new Error(`column ${c.name} has ${values.length} values for ${n} rows`);
      data.push(values as ArrayLike<unknown>);
    }
    for (let start = 0; start < n; start += RECORD_BATCH) {
      await breathe();
      if (signal?.aborted) throw abortError();
      const out: RecordBatch = [];
      for (let r = start; r < Math.min(n, start + RECORD_BATCH); r++) {
        const rec: Record<string, unknown> = {};
        columns.forEach((c, i) => (rec[c.key] = c.cell(data[i]![r])));
        out.push(rec);
      }
      rows += out.length;
      yield out;
    }
  }
  await breathe();
  if (signal?.aborted) throw abortError();
  if (rows !== Number(metadata.num_rows)) {
    throw new Error(`its row groups hold ${rows} rows, its footer says ${metadata.num_rows}`);
  }
}

const PAR1 = 0x31524150;

function readMetadata(name: string, bytes: Uint8Array<ArrayBuffer>): FileMetaData {
  const fail = (reason: string): WorkbenchError =>
    new WorkbenchError('PARSE_ERROR', `${name} is not a valid Parquet file: ${reason}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength;
  if (n < 4 || view.getUint32(0, true) !== PAR1)
    throw fail('it does not start with the Parquet magic (PAR1)');
  if (n < 12) throw fail('it is truncated (the footer is missing)');
  if (view.getUint32(n - 4, true) === 0x45524150) {
    throw new WorkbenchError('PARSE_ERROR', `${name} is an encrypted Parquet file, which is not supported`);
  }
  if (view.getUint32(n - 4, true) !== PAR1) throw fail('it is truncated (the footer is missing)');
  return parquetMetadata(bytes.buffer);
}

/** How a top-level column's decoded values become record values. */
function cellOf(el: SchemaElement, nested: boolean): (v: unknown) => unknown {
  const scalar = (v: unknown): unknown =>
    v instanceof Uint8Array || (typeof v === 'object' && v !== null && !(v instanceof Date))
      ? nestedCell(v)
      : v;
  if (nested) return (v) => (v === null || v === undefined ? null : nestedCell(v));
  const lt = el.logical_type;
  if (lt?.type === 'TIME' || el.converted_type === 'TIME_MILLIS' || el.converted_type === 'TIME_MICROS') {
    const unit =
      lt?.type === 'TIME'
        ? { MILLIS: 1, MICROS: 2, NANOS: 3 }[lt.unit]
        : el.converted_type === 'TIME_MILLIS'
          ? 1
          : 2;
    return (v) => (typeof v === 'number' || typeof v === 'bigint' ? timeText(v, unit) : scalar(v));
  }
  if (el.type === 'FLOAT' && lt === undefined)
    return (v) => (typeof v === 'number' ? float32Text(v) : scalar(v));
  return scalar;
}
