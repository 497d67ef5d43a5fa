import type { DBSchema } from 'idb';
import type { ColumnChunk, DatasetMeta } from '../engine/data/dataset';

/** Name of the workbench's IndexedDB database. */
export const DB_NAME = 'workbench';

/** Current schema version; bump it and add an `if (oldVersion < N)` step in migrations.ts. */
export const DB_VERSION = 1;

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
  /** App settings and flags (e.g. that persistent storage was requested), keyed by name. */
  meta: {
    key: string;
    value: unknown;
  };
}

/** Store names, for transactions that span several stores. */
export type WorkbenchStore = 'datasets' | 'chunks' | 'meta';

/** Key under `meta` recording that navigator.storage.persist() was asked once. */
export const META_PERSIST_REQUESTED = 'persist-requested';
