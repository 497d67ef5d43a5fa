import type { ColumnStats } from '../engine/data/runningStat';
import type { NumericTable } from '../engine/data/table';
import type { GpuCounters } from '../engine/gpu/buffers';
import type { GpuEvent } from '../engine/gpu/context';
import type { AdapterSummary, GpuCapabilities } from '../engine/gpu/probe';

/** Where a job may run: 'auto' prefers WebGPU and falls back to the CPU, saying why. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';

/** Something the worker reports without being asked: GPU events and its own uncaught errors. */
export type WorkerEvent = GpuEvent | { readonly type: 'worker-error'; readonly message: string };

/** A data set held by the compute worker. */
export interface DatasetSummary {
  readonly id: string;
  readonly name: string;
  readonly rows: number;
  readonly numericColumns: readonly string[];
  readonly textColumns: readonly string[];
  readonly header: readonly string[];
  readonly preview: readonly (readonly string[])[];
}

/** The outcome of a statistics job, with where it ran and what it cost. */
export interface StatsRun {
  readonly stats: readonly ColumnStats[];
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

/** The compute worker's API. */
export interface ComputeApi {
  /** Describes the GPU: adapter, features, limits, or why there is none. */
  probe(): Promise<GpuCapabilities>;
  /** Registers the listener for worker events (one listener; a later call replaces it). */
  subscribe(listener: (event: WorkerEvent) => void): void;
  /** Fetches and parses a CSV from a same-origin URL and keeps it in the worker. */
  loadCsvUrl(name: string, url: string): Promise<DatasetSummary>;
  /** Keeps a table sent by the caller (its buffers are transferred). */
  putTable(name: string, table: NumericTable): Promise<DatasetSummary>;
  /** Per-column statistics of a held data set. */
  columnStats(datasetId: string, backend: BackendChoice): Promise<StatsRun>;
  /** Test hook: submits an invalid dispatch outside any error scope, to prove errors are reported. */
  injectBadDispatch(): Promise<void>;
}
