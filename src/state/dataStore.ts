import { createStore } from 'zustand/vanilla';
import type { ImportProgress, StatsRun, StorageInfo } from '../bridge/contracts';
import type { DatasetMeta } from '../engine/data/dataset';
import type { SerializedError } from '../lib/errors';

/** Category counts per categorical column. */
export type CategoryCounts = Record<string, { value: string; count: number }[]>;

/** The Data stage's state. Plain data only: metadata, progress, statistics. */
export interface DataState {
  readonly datasets: readonly DatasetMeta[];
  readonly selectedId: string | null;
  readonly status: 'idle' | 'loading' | 'importing' | 'computing' | 'done' | 'error';
  readonly progress: ImportProgress | null;
  readonly run: StatsRun | null;
  readonly reference: StatsRun | null;
  readonly categories: CategoryCounts | null;
  readonly error: SerializedError | null;
  readonly storage: StorageInfo | null;
  readonly persistence: 'granted' | 'denied' | 'unsupported' | null;
  /** Another tab upgraded storage; this one must reload. */
  readonly staleTab: boolean;
}

export const dataStore = createStore<DataState>(() => ({
  datasets: [],
  selectedId: null,
  status: 'idle',
  progress: null,
  run: null,
  reference: null,
  categories: null,
  error: null,
  storage: null,
  persistence: null,
  staleTab: false,
}));

/** The selected dataset's metadata, if any. */
export function selectedDataset(s: DataState): DatasetMeta | null {
  return s.datasets.find((d) => d.id === s.selectedId) ?? null;
}
