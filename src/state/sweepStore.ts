import { createStore } from 'zustand/vanilla';
import type { SerializedError } from '../lib/errors';
import type { RunRecord } from '../engine/train/run';
import type { SweepAxis, SweepParam } from '../engine/train/sweep';

/** One run of a sweep: its axis values, and the record once finished. */
export interface SweepRow {
  readonly values: readonly number[];
  readonly record: RunRecord | null;
  readonly status: 'waiting' | 'running' | 'done' | 'failed';
}

/** A grid sweep: the axes being edited (values as typed), and the rows of the running or last sweep. */
export interface SweepState {
  readonly axes: readonly { readonly param: SweepParam; readonly text: string }[];
  readonly params: readonly SweepParam[];
  readonly rows: readonly SweepRow[];
  readonly running: boolean;
  readonly error: SerializedError | null;
}

export const sweepStore = createStore<SweepState>(() => ({
  axes: [
    { param: 'learningRate', text: '0.1, 0.01' },
    { param: 'hiddenUnits', text: '8, 32' },
  ],
  params: [],
  rows: [],
  running: false,
  error: null,
}));

/** Parses "0.1, 0.01" into numbers (NaN for anything else, which the grid refuses with a message). */
export function axesOf(state: SweepState): SweepAxis[] {
  return state.axes
    .filter((a) => a.text.trim() !== '')
    .map((a) => ({
      param: a.param,
      values: a.text
        .split(/[,\s]+/)
        .filter(Boolean)
        .map(Number),
    }));
}
