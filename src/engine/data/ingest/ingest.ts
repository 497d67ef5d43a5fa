import { WorkbenchError } from '../../../lib/errors';
import type { ColumnChunk, DatasetMeta, DatasetSource } from '../dataset';
import { codeMapsFor, columnMeta, convertChunk, type ColumnPlan } from './convert';
import { scanSource, dataRows, type Scan } from './scan';
import { writeSnapshot } from './snapshot';

/** Where a dataset's bytes come from; `open` is called once per pass. */
export interface IngestSource {
  readonly name: string;
  readonly kind: DatasetSource['kind'];
  readonly bytes: number;
  open(): ReadableStream<Uint8Array>;
}

/** Progress of an import: scanning infers types, storing converts and writes. */
export interface IngestProgress {
  readonly phase: 'scanning' | 'storing';
  readonly bytes: number;
  readonly totalBytes: number;
  readonly rows: number;
}

/** The storage an import writes to (DatasetRepo in the app). */
export interface DatasetSink {
  beginImport(meta: DatasetMeta): Promise<void>;
  putChunks(chunks: ColumnChunk[]): Promise<void>;
  commitImport(meta: DatasetMeta): Promise<void>;
  abortImport(id: string): Promise<void>;
}

/** Options of one import. */
export interface IngestOptions {
  readonly id: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly chunkRows?: number;
  readonly now?: () => number;
}

/**
 * Imports a file in two streamed passes: the first infers header and types over all rows, the second
 * converts and stores column chunks. Memory holds one chunk of rows at a time. The dataset is listed only
 * once every chunk and its record are committed; on error or cancel everything written is removed.
 */
export async function ingest(
  src: IngestSource,
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  const chunkRows = opts.chunkRows ?? 65_536;
  const report = (phase: IngestProgress['phase'], bytes: number, rows: number): void =>
    opts.onProgress?.({ phase, bytes, totalBytes: src.bytes, rows });
  const scan = await scanSource(src, opts.signal, (b, r) => report('scanning', b, r));
  if (scan.rows === 0) throw new WorkbenchError('PARSE_ERROR', `${src.name} has a header but no data rows`);
  const plans = scan.plans;
  const codeMaps = codeMapsFor(plans);
  const base = baseMeta(src, scan, opts, chunkRows);
  return writeSnapshot(sink, base, async (put) => {
    let index = 0;
    let stored = 0;
    let block: string[][] = [];
    const flush = async (): Promise<void> => {
      await put(convertChunk(opts.id, index++, block, plans, codeMaps));
      stored += block.length;
      block = [];
    };
    for await (const { rows, bytesRead } of dataRows(src, scan, opts.signal)) {
      for (const row of rows) {
        block.push(row);
        if (block.length === chunkRows) await flush();
      }
      report('storing', bytesRead, stored + block.length);
    }
    if (block.length > 0) await flush();
    if (stored !== scan.rows) {
      throw new WorkbenchError(
        'PARSE_ERROR',
        `${src.name} changed while it was read (${stored} rows, then ${scan.rows})`,
      );
    }
  });
}

function baseMeta(src: IngestSource, scan: Scan, opts: IngestOptions, chunkRows: number): DatasetMeta {
  return {
    id: opts.id,
    name: src.name.replace(/\.(csv|tsv|txt|json|jsonl|ndjson|arrows?|feather|ipc|parquet|pq)$/i, ''),
    rows: scan.rows,
    columns: scan.plans.map((p: ColumnPlan) => columnMeta(p)),
    target: scan.target,
    chunkRows,
    chunkCount: 0,
    bytes: 0,
    createdAt: (opts.now ?? Date.now)(),
    contentHash: '',
    source: { kind: src.kind, name: src.name, bytes: src.bytes, format: scan.format },
    parent: null,
    stats: null,
    status: 'importing',
  };
}
