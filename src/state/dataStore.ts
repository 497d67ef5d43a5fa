import { createStore } from 'zustand/vanilla';
import type { DatasetSummary, StatsRun } from '../bridge/contracts';
import type { SerializedError } from '../lib/errors';

/** The data page's state: the loaded data set and its latest statistics, GPU and CPU reference. */
export interface DataState {
  readonly dataset: DatasetSummary | null;
  readonly status: 'idle' | 'loading' | 'computing' | 'done' | 'error';
  readonly run: StatsRun | null;
  readonly reference: StatsRun | null;
  readonly error: SerializedError | null;
}

export const dataStore = createStore<DataState>(() => ({
  dataset: null,
  status: 'idle',
  run: null,
  reference: null,
  error: null,
}));
