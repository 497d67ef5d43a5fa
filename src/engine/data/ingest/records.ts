import type { DatasetSource } from '../dataset';
import type { IngestSource } from './ingest';
import { jsonRecords } from './jsonRecords';
import { decodeUtf8 } from './textStream';

/** Formats read as records (objects keyed by column name) rather than delimited text. */
export type RecordFormat = Exclude<DatasetSource['format'], 'csv'>;

/** One batch of records. Values may be numbers, strings, booleans, null, bigint or Date. */
export type RecordBatch = Record<string, unknown>[];

/**
 * Streams a record-format source in batches. Each format adds its reader here; the scan and conversion
 * passes are shared, so a format imports to the same columns as its CSV twin.
 */
export function recordBatches(
  src: IngestSource,
  format: RecordFormat,
  signal: AbortSignal | undefined,
  onBytes: (bytes: number) => void,
): AsyncIterable<RecordBatch> {
  return jsonRecords(decodeUtf8(src.open(), src.name, signal, onBytes), format, src.name);
}
