import type { AudioThumb } from '../engine/data/audio';
import type { DatasetMeta } from '../engine/data/dataset';
import type { ImageThumb } from '../engine/data/images';
import type { ModelMeta } from '../engine/deploy/inspect';
import type { InferEpChoice, InferLoad, InferRun } from '../engine/infer/inferApi';
import type { LogOutcome } from '../engine/monitor/logBatch';
import type { PlainTensor } from '../engine/infer/tensors';
import type { BatchService } from '../engine/infer/batch';
import type { LatencyService } from '../engine/infer/latencyService';
import type { StreamService } from '../engine/infer/streamService';
import type { CapturedSet } from '../engine/data/ingest/capture';
import type { IngestProgress } from '../engine/data/ingest/ingest';
import type { ColumnHistogram } from '../engine/data/histogram.ref';
import type { ColumnStats } from '../engine/data/runningStat';
import type { GpuCounters } from '../engine/gpu/buffers';
import type { GpuEvent } from '../engine/gpu/context';
import type { AdapterSummary, GpuCapabilities } from '../engine/gpu/probe';
import type { ColumnSummary, RecipeRun } from '../engine/preprocess/fitted';
import type { DeviceUsage } from '../engine/gpu/instrument';
import type { Recipe } from '../engine/preprocess/recipe';
import type { RunRecord, TrainEvent } from '../engine/train/run';
import type { TrainConfig } from '../engine/train/spec';
import type { InterruptedRun } from '../engine/train/train';
import type { MonitorService } from '../engine/monitor/service';

/** Where a job may run: 'auto' prefers WebGPU and falls back to the CPU, saying why. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** Something the worker reports without being asked: GPU events and its own uncaught errors. */
export type WorkerEvent = GpuEvent | { readonly type: 'worker-error'; readonly message: string };

/** The outcome of a statistics job, with where it ran and what it cost. */
export interface StatsRun {
  readonly stats: readonly ColumnStats[];
  /** Equal-width histograms over each column's [min, max]. */
  readonly histograms: readonly ColumnHistogram[];
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: AdapterSummary | null;
  /** Which device generation ran it (2 after one loss and rebuild). */
  readonly deviceGeneration: number | null;
  /** Why 'auto' ended on the CPU, if it did. */
  readonly fallbackReason: string | null;
  readonly counters: GpuCounters;
  readonly gpuTimingsMs: Readonly<Record<string, number>>;
  readonly wallMs: number;
}

/** How to run a recipe. */
export interface RecipeOptions {
  readonly backend: BackendChoice;
  /** Write the output as a new dataset snapshot. */
  readonly save: boolean;
  /** Name of the new snapshot (default: "<source> · prepared"). */
  readonly name?: string;
}

/** How to apply a stored fitted recipe to another dataset. */
export interface ApplyRecipeOptions {
  readonly backend: BackendChoice;
  /** Name of the new snapshot (default: "<target> · <recipe source> recipe"). */
  readonly name?: string;
}

/** A fitted recipe applied to another dataset: the saved snapshot, where it ran, and its columns. */
export interface AppliedRecipeRun {
  readonly output: DatasetMeta;
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: AdapterSummary | null;
  readonly fallbackReason: string | null;
  readonly usage: DeviceUsage;
  readonly after: readonly ColumnSummary[];
  readonly wallMs: number;
}

/** The compute worker's API. */
export interface ComputeApi extends MonitorService {
  /** Describes the GPU: adapter, features, limits, or why there is none. */
  probe(): Promise<GpuCapabilities>;
  /** Registers the listener for worker events (one listener; a later call replaces it). */
  subscribe(listener: (event: WorkerEvent) => void): void;
  /** Per-column statistics of a stored dataset's numeric columns; saved with the dataset. */
  datasetStats(datasetId: string, backend: BackendChoice): Promise<StatsRun>;
  /**
   * Fits `recipe` on a stored dataset's training split and applies it to every row, on the GPU (or the CPU
   * references). With `save`, writes the result as a new snapshot (parent + fitted recipe in its lineage).
   */
  runRecipe(datasetId: string, recipe: Recipe, options: RecipeOptions): Promise<RecipeRun>;
  /**
   * Applies the fitted recipe stored with a prepared dataset (`preparedId`, written by runRecipe) to another
   * dataset with the same columns, unchanged (no refit, no split, no augmentation), and saves the result.
   */
  applyRecipe(preparedId: string, targetId: string, options: ApplyRecipeOptions): Promise<AppliedRecipeRun>;
  /** Test hook: submits an invalid dispatch outside any error scope, to prove errors are reported. */
  injectBadDispatch(): Promise<void>;
}

/** Progress of an import, for its progress bar. */
export type ImportProgress = IngestProgress & { readonly name: string };

/** One cell for the table view: a number, text, an ISO date, an image or audio thumbnail, or null (missing). */
export type RowCell = string | number | null | ImageThumb | AudioThumb;

/** A page of rows for the table view. */
export interface RowsPage {
  readonly start: number;
  readonly rows: readonly (readonly RowCell[])[];
}

/** Storage use and whether the browser keeps it from eviction. */
export interface StorageInfo {
  readonly usage: number | null;
  readonly quota: number | null;
}

/** The data worker's API: imports, the dataset library, rows and exports. */
export interface DataApi {
  /** Ready datasets, newest first (incomplete imports left by a crash are removed first). */
  listDatasets(): Promise<DatasetMeta[]>;
  /** Imports a file chosen or dropped by the user. */
  importFile(file: File, onProgress: (p: ImportProgress) => void): Promise<DatasetMeta>;
  /**
   * Imports several files as ONE dataset: PNG/JPEG images (paths 'label/name.png' give the labels) and zips
   * of them, WAV files (16 kHz mono audio, labelled by folder likewise), or an IDX images file with its
   * labels file (MNIST). `paths[i]` is files[i]'s relative path
   * (webkitRelativePath or the dropped entry's path), which does not survive the hop to the worker.
   */
  importFiles(
    files: readonly File[],
    onProgress: (p: ImportProgress) => void,
    paths?: readonly string[],
  ): Promise<DatasetMeta>;
  /** Imports from a URL (same origin, or a server that allows CORS). */
  importUrl(url: string, onProgress: (p: ImportProgress) => void): Promise<DatasetMeta>;
  /** Imports several URLs as one dataset, as importFiles does (the built-in MNIST sample is an IDX pair). */
  importUrls(urls: readonly string[], onProgress: (p: ImportProgress) => void): Promise<DatasetMeta>;
  /**
   * Saves camera frames or microphone clips recorded in the page as ONE dataset (label per example), through
   * the import store: all or nothing. Pass the pixel/sample buffers as comlink transferables.
   */
  saveCaptured(set: CapturedSet, onProgress: (p: ImportProgress) => void): Promise<DatasetMeta>;
  /** Cancels the running import; it ends with CANCELLED and stores nothing. */
  cancelImport(): Promise<void>;
  deleteDataset(id: string): Promise<void>;
  renameDataset(id: string, name: string): Promise<DatasetMeta>;
  setTarget(id: string, column: string | null): Promise<DatasetMeta>;
  /** Changes a column's type by writing a new snapshot (parent = this dataset); refuses lossy changes. */
  retypeColumn(id: string, column: string, to: string): Promise<DatasetMeta>;
  /** Rows [start, start + count) for display. */
  readRows(id: string, start: number, count: number): Promise<RowsPage>;
  /** Category counts of each categorical column, most frequent first. */
  categoryCounts(id: string): Promise<Record<string, { value: string; count: number }[]>>;
  /** The dataset as a file: CSV (formula cells neutralised) or JSON Lines. */
  exportDataset(id: string, format: 'csv' | 'jsonl'): Promise<Blob>;
  storageInfo(): Promise<StorageInfo>;
  /** Imports an .onnx file: inspected (MODEL_REJECTED when unreadable or over 512 MiB), then stored. */
  importModel(file: File): Promise<ModelMeta>;
  /** Downloads an .onnx (https, or this site) and imports it as importModel does. */
  importModelUrl(url: string): Promise<ModelMeta>;
  /** Stored models, newest first. */
  listModels(): Promise<ModelMeta[]>;
  /** Deletes a model and its bytes; a missing id is not an error. */
  deleteModel(id: string): Promise<void>;
}

/** The training worker's API (tfjs is loaded there only, on first use). One run at a time. */
export interface TrainApi {
  /** Starts a run; events stream through onEvent (batched); resolves with the finished (or cancelled) record. */
  start(config: TrainConfig, onEvent: (e: TrainEvent) => void): Promise<RunRecord>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  cancel(): Promise<void>;
  /** Stored runs, newest first. */
  listRuns(): Promise<RunRecord[]>;
  deleteRun(id: string): Promise<void>;
  /** Runs a reload or crash interrupted, from their checkpoints (one per run), oldest first. */
  interruptedRuns(): Promise<InterruptedRun[]>;
  /**
   * Carries an interrupted run on from its checkpoint (same run id); resolves as start() does, with a
   * history equal to that of an uninterrupted run.
   */
  resumeRun(runId: string, onEvent: (e: TrainEvent) => void): Promise<RunRecord>;
  /** Deletes an interrupted run's checkpoint. */
  discardRun(runId: string): Promise<void>;
  /** A stored run as an ONNX model (its dataset's fitted recipe folded in); see docs/onnx-contract.md. */
  exportOnnx(runId: string): Promise<Uint8Array>;
  /**
   * The app's predictions of a stored run for every row of a dataset (the one it trained on, or the raw
   * parent of a prepared one: the fitted recipe is applied first), predicted on WASM. CSV: row, label,
   * p_<class>…; JSON: [{row, label, probabilities}].
   */
  predictions(runId: string, datasetId: string, format: 'csv' | 'json'): Promise<Blob>;
}

/**
 * The inference worker's API (onnxruntime-web lives there only). The worker is disposable: one model at a
 * time; release() frees the session and the client terminates the worker (see releaseInferClient).
 */
export interface InferApi {
  /**
   * Loads a stored model into a session on WebGPU, WASM or 'auto' (WASM on a software adapter for a small
   * model, else WebGPU); says which was used and why. Failures are MODEL_REJECTED with the runtime's message.
   */
  load(modelId: string, ep: InferEpChoice): Promise<InferLoad>;
  /** Runs the loaded model; outputs come back as plain typed arrays with their dims. */
  run(inputs: Readonly<Record<string, PlainTensor>>): Promise<InferRun>;
  /** Frees the session (the worker stays until terminated). */
  release(): Promise<void>;
  /** Batch inference over a stored dataset, saved as a new dataset (src/engine/infer/batch.ts). */
  batch: BatchService['batch'];
  /**
   * Offers a single prediction's inputs (numeric, one value per row, in the model's input order) to the
   * model's drift log; says what it did (never fails the prediction).
   */
  logInputs(
    modelId: string,
    inputNames: readonly string[],
    feeds: Readonly<Record<string, PlainTensor>>,
    outputs: Readonly<Record<string, PlainTensor>>,
  ): Promise<LogOutcome>;
  /** Stops the running batch after its current block; it fails CANCELLED and saves nothing. */
  cancelBatch: BatchService['cancelBatch'];
  /** What the workbench contract metadata of a stored model says (task, target, class names). */
  contractInfo: BatchService['contractInfo'];
  /** Streams one clip of an audio dataset through a stateful model, frame by frame (src/engine/infer/stream.ts). */
  stream: StreamService['stream'];
  /** Stops the running stream after its current frame; it resolves with what it has, `cancelled: true`. */
  cancelStream: StreamService['cancelStream'];
  /** Latency benchmark of a stored model per provider: load, first run, warm-ups, timed runs, p50/p95/p99. */
  latency: LatencyService['latency'];
  /** Bench hooks (npm run bench): a bare onnxruntime session in this worker, timed inside it. */
  benchBareLoad: LatencyService['benchBareLoad'];
  benchBareRun: LatencyService['benchBareRun'];
  benchBareRelease: LatencyService['benchBareRelease'];
}
