import { WorkbenchError } from '../../../lib/errors';
import type { DatasetSource } from '../dataset';
import type { ColumnPlan } from './convert';
import { csvRows } from './csvRows';
import { ColumnProfile } from './infer';
import type { IngestSource } from './ingest';
import { jsonCell } from './jsonRecords';
import { recordBatches, type RecordFormat } from './records';
import { detectLayout } from './layout';
import { decodeUtf8 } from './textStream';

/** What the first pass learnt about a source. */
export interface Scan {
  readonly format: DatasetSource['format'];
  readonly plans: readonly ColumnPlan[];
  /** Data rows (header and metadata lines excluded). */
  readonly rows: number;
  readonly skipRows: number;
  readonly delimiter: string;
  readonly target: string | null;
}

/** Format from the file name, or from the first bytes (magic numbers, then the first character) when the name says nothing. */
export function formatOf(name: string, head: Uint8Array): DatasetSource['format'] {
  if (/\.jsonl$|\.ndjson$/i.test(name)) return 'jsonl';
  if (/\.json$/i.test(name)) return 'json';
  if (/\.(csv|tsv|txt|tab|dat)$/i.test(name)) return 'csv';
  if (/\.(arrow|arrows|feather|ipc)$/i.test(name)) return 'arrow';
  if (/\.(parquet|pq)$/i.test(name)) return 'parquet';
  const magic = (...m: number[]): boolean => m.every((x, i) => head[i] === x);
  if (magic(0x50, 0x41, 0x52, 0x31)) return 'parquet'; // PAR1
  if (magic(0x41, 0x52, 0x52, 0x4f, 0x57, 0x31) || magic(0xff, 0xff, 0xff, 0xff)) return 'arrow'; // ARROW1, IPC stream
  const first = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  return first === '[' ? 'json' : first === '{' ? 'jsonl' : 'csv';
}

/** The first bytes of a source (up to 64, however the stream is chunked). */
async function head(src: IngestSource): Promise<Uint8Array> {
  const reader = src.open().getReader();
  const out = new Uint8Array(64);
  let n = 0;
  try {
    while (n < out.length) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = value.subarray(0, out.length - n);
      out.set(take, n);
      n += take.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, n);
}

/** Pass 1: decides layout and infers every column's type over all rows. */
export async function scanSource(
  src: IngestSource,
  signal: AbortSignal | undefined,
  onProgress: (bytes: number, rows: number) => void,
): Promise<Scan> {
  if (src.bytes === 0) throw new WorkbenchError('PARSE_ERROR', `${src.name} is empty`);
  const format = formatOf(src.name, await head(src));
  let bytes = 0;
  const onBytes = (b: number): void => void (bytes = b);
  if (format === 'csv')
    return scanCsv(
      src.name,
      decodeUtf8(src.open(), src.name, signal, onBytes),
      signal,
      () => bytes,
      onProgress,
    );
  return scanRecords(src.name, format, recordBatches(src, format, signal, onBytes), () => bytes, onProgress);
}

async function scanCsv(
  name: string,
  text: AsyncIterable<string>,
  signal: AbortSignal | undefined,
  bytes: () => number,
  onProgress: (bytes: number, rows: number) => void,
): Promise<Scan> {
  const first: string[][] = [];
  let profiles: ColumnProfile[] = [];
  let rows = 0;
  let delimiter = ',';
  let width = 0;
  for await (const batch of csvRows(text, { fileName: name, ...(signal ? { signal } : {}) })) {
    delimiter = batch.delimiter;
    for (const row of batch.rows) {
      rows++;
      if (rows <= 2) {
        first.push(row);
        if (rows === 2) {
          width = row.length;
          profiles = row.map(() => new ColumnProfile(delimiter !== ','));
        }
        continue;
      }
      if (row.length !== width) throw ragged(name, rows, row.length, width);
      for (let c = 0; c < width; c++) profiles[c]!.observe(row[c]!);
    }
    onProgress(bytes(), rows);
  }
  const layout = detectLayout(name, first, rows);
  if (width === 0) {
    width = first[0]?.length ?? 0;
    profiles = Array.from({ length: width }, () => new ColumnProfile(delimiter !== ','));
  }
  first.slice(layout.skipRows).forEach((row, i) => {
    if (row.length !== width) throw ragged(name, layout.skipRows + i + 1, row.length, width);
    row.forEach((cell, c) => profiles[c]!.observe(cell));
  });
  if (layout.names.length !== width) {
    throw new WorkbenchError(
      'PARSE_ERROR',
      `${name}: the header has ${layout.names.length} names for ${width} fields`,
    );
  }
  const plans = profiles.map((p, c): ColumnPlan => {
    const inferred = p.result();
    const isTarget = layout.targetLabels !== null && c === width - 1;
    return isTarget
      ? {
          ...inferred,
          type: 'categorical',
          name: layout.names[c]!,
          labels: layout.targetLabels,
          dictionary: layout.targetLabels,
        }
      : { ...inferred, name: layout.names[c]!, labels: null };
  });
  return {
    format: 'csv',
    plans,
    rows: rows - layout.skipRows,
    skipRows: layout.skipRows,
    delimiter,
    target: layout.targetLabels !== null ? 'target' : null,
  };
}

function ragged(name: string, row: number, got: number, want: number): WorkbenchError {
  return new WorkbenchError('PARSE_ERROR', `${name}: row ${row} has ${got} fields, expected ${want}`);
}

async function scanRecords(
  name: string,
  format: RecordFormat,
  batches: AsyncIterable<Record<string, unknown>[]>,
  bytes: () => number,
  onProgress: (bytes: number, rows: number) => void,
): Promise<Scan> {
  const profiles = new Map<string, ColumnProfile>();
  let rows = 0;
  for await (const batch of batches) {
    for (const rec of batch) {
      for (const key of Object.keys(rec)) {
        if (!profiles.has(key)) {
          const p = new ColumnProfile(false);
          p.missing = rows; // earlier records lacked this field
          profiles.set(key, p);
        }
      }
      for (const [key, p] of profiles) p.observe(jsonCell(rec[key]));
      rows++;
    }
    onProgress(bytes(), rows);
  }
  if (rows === 0) throw new WorkbenchError('PARSE_ERROR', `${name} holds no records`);
  const plans = [...profiles].map(([key, p]): ColumnPlan => ({ ...p.result(), name: key, labels: null }));
  return { format, plans, rows, skipRows: 0, delimiter: '', target: null };
}

/** Pass 2: the data rows as text cells, in the column order of the scan. */
export async function* dataRows(
  src: IngestSource,
  scan: Scan,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ rows: string[][]; bytesRead: number }> {
  let bytesRead = 0;
  const onBytes = (b: number): void => void (bytesRead = b);
  if (scan.format === 'csv') {
    const text = decodeUtf8(src.open(), src.name, signal, onBytes);
    let skip = scan.skipRows;
    for await (const batch of csvRows(text, {
      fileName: src.name,
      delimiter: scan.delimiter,
      ...(signal ? { signal } : {}),
    })) {
      const rows = skip > 0 ? batch.rows.slice(skip) : batch.rows;
      skip = Math.max(0, skip - batch.rows.length);
      yield { rows, bytesRead };
    }
    return;
  }
  const keys = scan.plans.map((p) => p.name);
  for await (const batch of recordBatches(src, scan.format, signal, onBytes)) {
    if (signal?.aborted)
      throw new WorkbenchError('CANCELLED', 'The import was cancelled; nothing was stored.');
    yield { rows: batch.map((rec) => keys.map((k) => jsonCell(rec[k]))), bytesRead };
  }
}
