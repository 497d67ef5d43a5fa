import type { DBSchema } from 'idb';
import type { ColumnChunk, DatasetMeta } from '../engine/data/dataset';
import type { ModelMeta } from '../engine/deploy/inspect';
import type { InferLogRecord } from '../engine/monitor/inputLog';
import type { RunRecord } from '../engine/train/run';
import type { Checkpoint, WeightTensor } from '../engine/train/train';
import type { ProjectRecord } from './projects.repo';

/** Name of the workbench's IndexedDB database. */
export const DB_NAME = 'workbench';

/** Current schema version; bump it and add an `if (oldVersion < N)` step in migrations.ts. */
export const DB_VERSION = 3;

/** Key of a chunk: [datasetId, column, index], so one dataset's chunks sort together, column by column. */
export type ChunkKey = [datasetId: string, column: number, index: number];

/** The workbench's typed schema (CONVENTIONS 9): one place that names every store, key and index. */
export interface WorkbenchDB extends DBSchema {
  datasets: {
    key: string;
    value: DatasetMeta;
    indexes: { 'by-status': DatasetMeta['status'] };
  };
  chunks: {
    key: ChunkKey;
    value: ColumnChunk;
    indexes: { 'by-dataset': string };
  };
  /** Training runs (v2): config, history, evaluation; newest first by createdAt. */
  runs: {
    key: string;
    value: RunRecord;
    indexes: { 'by-created': number };
  };
  /** A run's trained weights (v2), kept apart from the record so listing runs stays cheap. */
  weights: {
    key: string;
    value: { readonly runId: string; readonly tensors: readonly WeightTensor[] };
  };
  /** The checkpoint of a run under way (v2), replaced after every epoch and deleted when the run ends. */
  checkpoints: {
    key: string;
    value: Checkpoint;
  };
  /** Imported ONNX models (v2), newest first by createdAt; small records, so listing them stays cheap. */
  models: {
    key: string;
    value: ModelMeta;
    indexes: { 'by-created': number };
  };
  /** An imported model's .onnx bytes (v2), keyed by the model's id; written with its `models` record. */
  modelBytes: {
    key: string;
    value: { readonly modelId: string; readonly data: Uint8Array };
  };
  /** Notebook projects (v3): the document, the cells' drafts and last results, attached files. */
  projects: {
    key: string;
    value: ProjectRecord;
    indexes: { 'by-updated': number };
  };
  /** Sampled inference inputs per model (v3), a bounded reservoir for drift checks, keyed by model id. */
  inferLog: {
    key: string;
    value: InferLogRecord;
  };
  /** App settings and flags (e.g. that persistent storage was requested), keyed by name. */
  meta: {
    key: string;
    value: unknown;
  };
}

/** Store names, for transactions that span several stores. */
export type WorkbenchStore =
  | 'datasets'
  | 'chunks'
  | 'meta'
  | 'runs'
  | 'weights'
  | 'checkpoints'
  | 'models'
  | 'modelBytes'
  | 'projects'
  | 'inferLog';

/** Key under `meta` recording that navigator.storage.persist() was asked once. */
export const META_PERSIST_REQUESTED = 'persist-requested';
