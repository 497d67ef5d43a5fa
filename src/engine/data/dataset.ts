import type { ColumnStats } from './runningStat';

/**
 * Column types, inferred over all rows with promotion. Numbers keep their source precision (f64) in
 * storage and become f32 only on upload to the GPU; integers beyond 2^53 stay text. Image columns come
 * only from image imports (IDX, image folders, zips), never from inference over text; audio columns only
 * from WAV imports and microphone capture.
 */
export type ColumnType = 'number' | 'integer' | 'date' | 'categorical' | 'text' | 'image' | 'audio';

/** An image column's pixel shape: height, width, channels (1 gray, 3 RGB). */
export type ImageShape = readonly [height: number, width: number, channels: number];

/** One column's schema. */
export interface ColumnMeta {
  readonly name: string;
  readonly type: ColumnType;
  readonly missing: number;
  /** Categorical columns: the categories, indexed by code. */
  readonly dictionary?: readonly string[];
  /** Integer class columns: a name per class value (e.g. from scikit-learn's metadata line). */
  readonly labels?: readonly string[];
  /** Date columns: how the source wrote them (e.g. 'YYYY-MM-DD', 'DD/MM/YYYY'). */
  readonly dateFormat?: string;
  /** Image columns: every cell's shape (h, w, channels); all images of a column share it. */
  readonly shape?: ImageShape;
  /**
   * Image columns: how pixels are stored. 'u8' (default): 0–255 as imported; 'f32': floats written by a
   * preprocessing recipe (scaled, normalized or resized), rows × (h·w·c) in a Float32Array.
   */
  readonly pixels?: 'u8' | 'f32';
  /** Audio columns: samples per clip (every clip of a column has this length, zero-padded or cut). */
  readonly samples?: number;
  /** Audio columns: samples per second (16000: mono, the rate speech and keyword models expect). */
  readonly sampleRate?: number;
}

/** Where a dataset read by the text/record ingest came from. */
export interface DatasetSource {
  readonly kind: 'file' | 'url' | 'sample';
  readonly name: string;
  readonly bytes: number;
  readonly format: 'csv' | 'json' | 'jsonl' | 'arrow' | 'parquet';
}

/**
 * Where an image or audio dataset came from: 'idx' MNIST-style IDX files; 'images' PNG/JPEG files, folders or
 * zips; 'audio' WAV files; 'capture' camera frames or microphone clips recorded in the app.
 */
export interface ImageSource extends Omit<DatasetSource, 'format' | 'kind'> {
  readonly kind: DatasetSource['kind'] | 'capture';
  readonly format: 'idx' | 'images' | 'audio' | 'capture';
}

/** An immutable snapshot's metadata: schema, statistics, hash, time and lineage. */
export interface DatasetMeta {
  readonly id: string;
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly ColumnMeta[];
  /** The column a model learns to predict, if chosen. */
  readonly target: string | null;
  /** Rows per stored chunk (the last chunk may be shorter). */
  readonly chunkRows: number;
  readonly chunkCount: number;
  /** Bytes the column chunks take in storage (approximate for text). */
  readonly bytes: number;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** SHA-256 (hex) over the stored column data, in column then chunk order. */
  readonly contentHash: string;
  readonly source: DatasetSource | ImageSource;
  /** The dataset and recipe this one was derived from; null for an import. */
  readonly parent: { readonly datasetId: string; readonly recipe: unknown } | null;
  /** Rows stored train first, then validation, then test (written by a recipe's split step). */
  readonly split?: { readonly train: number; readonly validation: number; readonly test: number };
  /** Per-column statistics (numeric columns), once computed. */
  readonly stats: readonly ColumnStats[] | null;
  /** 'importing' until every chunk and this record are committed; only 'ready' datasets are listed. */
  readonly status: 'importing' | 'ready';
}

/**
 * Stored values of one chunk of one column. number/integer/date: Float64Array; categorical: codes;
 * text: strings; image: u8 pixels (f32 when the column's `pixels` is 'f32'), rows × (h·w·c), each row's image
 * row-major HWC; audio: f32 samples in
 * [-1, 1], rows × samples.
 */
export type ChunkData = Float64Array | Int32Array | Uint8Array | Float32Array | string[];

/** One chunk of one column, as stored. Missing rows have their validity bit clear. */
export interface ColumnChunk {
  readonly datasetId: string;
  readonly column: number;
  readonly index: number;
  readonly rows: number;
  readonly data: ChunkData;
  /** Bit r%32 of word r/32 set = row r of this chunk present (the GPU's mask layout). */
  readonly validity: Uint32Array;
}
