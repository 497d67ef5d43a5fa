import { WorkbenchError } from '../../../lib/errors';
import type { ColumnChunk, ColumnMeta, DatasetMeta, ImageShape, ImageSource } from '../dataset';
import { writeSnapshot } from './snapshot';
import type { DatasetSink, IngestOptions, IngestProgress } from './ingest';

/** One file of a multi-file import: its path ('label/name.png', or just the name) and its bytes. */
export interface InputFile {
  /** The file name (the last part of the path). */
  readonly name: string;
  readonly path: string;
  readonly blob: Blob;
}

/** Options of a multi-file import: those of a text import, plus where the files came from. */
export interface MultiIngestOptions extends IngestOptions {
  readonly kind: ImageSource['kind'];
}

/** Bytes one stored image chunk aims at: few IndexedDB records, yet a page of rows reads only a few MB. */
const CHUNK_TARGET_BYTES = 4 * 2 ** 20;
/** Most rows in one image chunk (MNIST's 28×28 gives 4096 rows, 3 MiB). */
const MAX_CHUNK_ROWS = 4096;

/** Rows per stored chunk for images of `shape`: at most 4096 and about 4 MiB of pixels. */
export function imageChunkRows(shape: ImageShape): number {
  const perRow = shape[0] * shape[1] * shape[2];
  return Math.max(1, Math.min(MAX_CHUNK_ROWS, Math.floor(CHUNK_TARGET_BYTES / perRow)));
}

/** What an image import stores: one image column and, with labels, a categorical `label` column. */
export interface ImageDatasetPlan {
  readonly name: string;
  readonly source: ImageSource;
  readonly shape: ImageShape;
  readonly rows: number;
  /** Class names of the label column, indexed by code; null: no label column. */
  readonly classes: readonly string[] | null;
  /** Rows without a label (images outside any folder). */
  readonly labelMissing: number;
}

/** One chunk's rows: pixels rows × (h·w·c), and label codes (-1 = missing) when the plan has classes. */
export interface ImageBlock {
  readonly rows: number;
  readonly pixels: Uint8Array;
  readonly labels: Int32Array | null;
}

/** Throws CANCELLED once the import's signal has fired. */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new WorkbenchError('CANCELLED', 'The import was cancelled; nothing was stored.');
}

function allValid(rows: number): Uint32Array {
  const v = new Uint32Array(Math.ceil(rows / 32));
  for (let r = 0; r < rows; r++) v[r >>> 5]! |= 1 << (r & 31);
  return v;
}

function labelChunk(id: string, index: number, codes: Int32Array): ColumnChunk {
  const validity = new Uint32Array(Math.ceil(codes.length / 32));
  codes.forEach((code, r) => {
    if (code >= 0) validity[r >>> 5]! |= 1 << (r & 31);
  });
  return { datasetId: id, column: 1, index, rows: codes.length, data: codes, validity };
}

/**
 * What a fixed-size-tensor import stores (images, audio clips): one value column whose rows each hold
 * `rowLength` values and, with labels, a categorical `label` column that becomes the target.
 */
export interface TensorDatasetPlan {
  readonly name: string;
  readonly source: ImageSource;
  /** The value column (name 'image' or 'audio', with its shape or sample count). */
  readonly column: ColumnMeta;
  readonly rowLength: number;
  readonly chunkRows: number;
  readonly rows: number;
  readonly classes: readonly string[] | null;
  readonly labelMissing: number;
}

/** One chunk's rows: values rows × rowLength, and label codes (-1 = missing) when the plan has classes. */
export interface TensorBlock {
  readonly rows: number;
  readonly values: Uint8Array | Float32Array;
  readonly labels: Int32Array | null;
}

/**
 * Stores an image dataset block by block, exactly as the text ingest does: listed only once every chunk and
 * its record are committed; on error or cancel everything written is removed. Blocks must hold
 * `imageChunkRows(plan.shape)` rows each, the last one fewer.
 */
export function writeImageDataset(
  plan: ImageDatasetPlan,
  blocks: AsyncIterable<ImageBlock> | Iterable<ImageBlock>,
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  async function* values(): AsyncGenerator<TensorBlock> {
    for await (const b of blocks) yield { rows: b.rows, values: b.pixels, labels: b.labels };
  }
  return writeTensorDataset(
    {
      name: plan.name,
      source: plan.source,
      column: { name: 'image', type: 'image', missing: 0, shape: plan.shape },
      rowLength: plan.shape[0] * plan.shape[1] * plan.shape[2],
      chunkRows: imageChunkRows(plan.shape),
      rows: plan.rows,
      classes: plan.classes,
      labelMissing: plan.labelMissing,
    },
    values(),
    sink,
    opts,
  );
}

/** Stores a tensor dataset (see writeImageDataset); blocks hold `plan.chunkRows` rows, the last one fewer. */
export async function writeTensorDataset(
  plan: TensorDatasetPlan,
  blocks: AsyncIterable<TensorBlock> | Iterable<TensorBlock>,
  sink: DatasetSink,
  opts: IngestOptions,
): Promise<DatasetMeta> {
  const { chunkRows, rowLength } = plan;
  const columns: ColumnMeta[] =
    plan.classes === null
      ? [plan.column]
      : [
          plan.column,
          { name: 'label', type: 'categorical', missing: plan.labelMissing, dictionary: plan.classes },
        ];
  const base: DatasetMeta = {
    id: opts.id,
    name: plan.name,
    rows: plan.rows,
    columns,
    target: plan.classes === null ? null : 'label',
    chunkRows,
    chunkCount: 0,
    bytes: 0,
    createdAt: (opts.now ?? Date.now)(),
    contentHash: '',
    source: plan.source,
    parent: null,
    stats: null,
    status: 'importing',
  };
  const report = (rows: number): void =>
    opts.onProgress?.({
      phase: 'storing',
      bytes: Math.round((plan.source.bytes * rows) / Math.max(1, plan.rows)),
      totalBytes: plan.source.bytes,
      rows,
    } satisfies IngestProgress);
  checkCancelled(opts.signal);
  return writeSnapshot(sink, base, async (put) => {
    let index = 0;
    let stored = 0;
    for await (const block of blocks) {
      checkCancelled(opts.signal);
      const last = stored + block.rows === plan.rows;
      if ((block.rows !== chunkRows && !last) || block.values.length !== block.rows * rowLength) {
        throw new WorkbenchError('INTERNAL', `Block ${index} of ${plan.name} has the wrong size`);
      }
      const chunks: ColumnChunk[] = [
        {
          datasetId: opts.id,
          column: 0,
          index,
          rows: block.rows,
          data: block.values,
          validity: allValid(block.rows),
        },
      ];
      if (plan.classes !== null) chunks.push(labelChunk(opts.id, index, block.labels!));
      await put(chunks);
      index++;
      stored += block.rows;
      report(stored);
    }
    if (stored !== plan.rows) {
      throw new WorkbenchError('INTERNAL', `${plan.name}: ${stored} of ${plan.rows} rows were stored`);
    }
  });
}

/** Sorts names as people expect: '2' before '10', case-insensitive. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
