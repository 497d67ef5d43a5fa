import { createStore } from 'zustand/vanilla';
import type { BatchPoint, EpochRecord, RunRecord, TrainEvent } from '../engine/train/run';
import { TRAIN_DEFAULTS, type TrainConfig } from '../engine/train/spec';
import type { InterruptedRun } from '../engine/train/train';
import type { SerializedError } from '../lib/errors';

/** Where the page's run stands. */
export type TrainStatus = 'idle' | 'running' | 'paused' | 'evaluating' | 'done' | 'error';

/** What the worker says when a run starts: the backend that ran, features, rows, parameters. */
export type StartedInfo = Extract<TrainEvent, { type: 'started' }>;

/** Throughput and memory after a batch of steps, for the speed and memory charts. */
export interface SpeedPoint {
  readonly step: number;
  readonly samplesPerSec: number;
  readonly msPerStep: number;
  readonly memoryBytes: number;
}

/** The live run, folded from the worker's events. */
export interface LiveRun {
  readonly status: TrainStatus;
  readonly started: StartedInfo | null;
  /** The epoch the latest batches belong to (0 before any). */
  readonly epoch: number;
  readonly epochs: readonly EpochRecord[];
  /** Per-batch losses, at most MAX_POINTS (older ones thinned, keeping spikes). */
  readonly batches: readonly BatchPoint[];
  readonly speed: readonly SpeedPoint[];
  readonly samplesPerSec: number | null;
  readonly msPerStep: number | null;
  readonly memoryBytes: number | null;
}

/** The Train stage's state. Plain data only. */
export interface TrainState {
  /** The config being edited; datasetId '' means the Data page's selection, target '' the dataset's target. */
  readonly draft: TrainConfig;
  /** null: from the page URL (`?backend=`), else 'auto'. */
  readonly backend: TrainConfig['backend'] | null;
  readonly live: LiveRun;
  /** The last finished (or cancelled) run, shown in the evaluation panel. */
  readonly last: RunRecord | null;
  /** Stored runs, newest first. */
  readonly runs: readonly RunRecord[];
  /** Ids of the (at most two) runs being compared. */
  readonly compare: readonly string[];
  /** Runs a reload or crash left unfinished, with a checkpoint to resume from. */
  readonly interrupted: readonly InterruptedRun[];
  readonly error: SerializedError | null;
}

/** The live charts keep at most this many batch (and speed) points. */
export const MAX_POINTS = 5000;

export const DEFAULT_DRAFT: TrainConfig = { ...TRAIN_DEFAULTS, datasetId: '', target: '' };

export const IDLE_RUN: LiveRun = {
  status: 'idle',
  started: null,
  epoch: 0,
  epochs: [],
  batches: [],
  speed: [],
  samplesPerSec: null,
  msPerStep: null,
  memoryBytes: null,
};

export function initialTrainState(): TrainState {
  return {
    draft: DEFAULT_DRAFT,
    backend: null,
    live: IDLE_RUN,
    last: null,
    runs: [],
    compare: [],
    interrupted: [],
    error: null,
  };
}

export const trainStore = createStore<TrainState>(() => initialTrainState());

/** Back to a fresh page (tests). */
export function resetTrainStore(): void {
  trainStore.setState(initialTrainState(), true);
}

/**
 * Halves a series: in groups of four consecutive points keeps the lowest and the highest (in order), so
 * spikes and dips survive thinning.
 */
export function decimate<T>(points: readonly T[], value: (p: T) => number): T[] {
  const out: T[] = [];
  for (let i = 0; i < points.length; i += 4) {
    const group = points.slice(i, i + 4);
    if (group.length <= 2) {
      out.push(...group);
      continue;
    }
    let lo = 0;
    let hi = 0;
    group.forEach((p, j) => {
      if (value(p) < value(group[lo]!)) lo = j;
      if (value(p) > value(group[hi]!)) hi = j;
    });
    if (lo === hi) out.push(group[lo]!);
    else out.push(group[Math.min(lo, hi)]!, group[Math.max(lo, hi)]!);
  }
  return out;
}

function bounded<T>(points: readonly T[], value: (p: T) => number): readonly T[] {
  let p = points;
  while (p.length > MAX_POINTS) p = decimate(p, value);
  return p;
}

const ACTIVE: readonly TrainStatus[] = ['running', 'paused', 'evaluating'];

/**
 * Folds one worker event into the live run. Callback messages travel on their own port, so the last
 * 'batches' event may arrive after the run's result: chart data is still taken then, while late state and
 * epoch events are ignored (the record's history is the final word). Nothing is taken outside a run.
 */
export function foldEvent(live: LiveRun, e: TrainEvent): LiveRun {
  const late = live.status === 'done' && e.type === 'batches';
  if (!ACTIVE.includes(live.status) && !late) return live;
  switch (e.type) {
    case 'started':
      return { ...live, started: e };
    case 'state':
      return { ...live, status: e.state };
    case 'epoch': {
      const epochs = live.epochs.filter((r) => r.epoch !== e.record.epoch);
      epochs.push(e.record);
      epochs.sort((a, b) => a.epoch - b.epoch);
      return { ...live, epochs };
    }
    case 'batches': {
      // After a restart from a checkpoint the steps since it come again: the ones already shown are skipped.
      const seen = live.batches.at(-1)?.step ?? -1;
      const points = e.points.filter((p) => p.step > seen);
      const last = points.at(-1);
      const speed: SpeedPoint = {
        step: last?.step ?? live.speed.at(-1)?.step ?? 0,
        samplesPerSec: e.samplesPerSec,
        msPerStep: e.msPerStep,
        memoryBytes: e.memoryBytes,
      };
      return {
        ...live,
        epoch: e.epoch,
        batches: bounded([...live.batches, ...points], (p) => p.loss),
        speed: last === undefined ? live.speed : bounded([...live.speed, speed], (p) => p.msPerStep),
        samplesPerSec: e.samplesPerSec,
        msPerStep: e.msPerStep,
        memoryBytes: e.memoryBytes,
      };
    }
  }
}

/** A new run begins: the live state starts over. */
export function beginRun(): void {
  trainStore.setState({ live: { ...IDLE_RUN, status: 'running' }, error: null });
}

export function applyTrainEvent(e: TrainEvent): void {
  const { live } = trainStore.getState();
  const next = foldEvent(live, e);
  if (next !== live) trainStore.setState({ live: next });
}

/** The run ended with a record (completed, early-stopped or cancelled); its history is the final word. */
export function finishRun(record: RunRecord): void {
  const { live } = trainStore.getState();
  trainStore.setState({ live: { ...live, status: 'done', epochs: record.history }, last: record });
}

export function failRun(error: SerializedError): void {
  trainStore.setState((s) => ({ live: { ...s.live, status: 'error' }, error }));
}

/** Changes fields of the config being edited. */
export function updateDraft(patch: Partial<TrainConfig>): void {
  trainStore.setState((s) => ({ draft: { ...s.draft, ...patch } }));
}

export function setTrainBackend(backend: TrainConfig['backend']): void {
  trainStore.setState({ backend });
}

/** Ticks a run for comparison (the two most recent ticks are kept) or unticks it. */
export function toggleCompare(id: string): void {
  trainStore.setState((s) => ({
    compare: s.compare.includes(id) ? s.compare.filter((c) => c !== id) : [...s.compare, id].slice(-2),
  }));
}

export function setRuns(runs: readonly RunRecord[]): void {
  trainStore.setState((s) => ({ runs, compare: s.compare.filter((id) => runs.some((r) => r.id === id)) }));
}

export function setInterrupted(interrupted: readonly InterruptedRun[]): void {
  trainStore.setState({ interrupted });
}

/** Shows a stored run in the evaluation panel. */
export function showRun(record: RunRecord): void {
  trainStore.setState({ last: record });
}
