import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchPoint, EpochRecord, RunRecord, TrainEvent } from '../../src/engine/train/run';
import {
  DEFAULT_DRAFT,
  IDLE_RUN,
  MAX_POINTS,
  applyTrainEvent,
  beginRun,
  decimate,
  failRun,
  finishRun,
  foldEvent,
  resetTrainStore,
  setRuns,
  toggleCompare,
  trainStore,
  type LiveRun,
} from '../../src/state/trainStore';

const STARTED: TrainEvent = {
  type: 'started',
  runId: 'run-1',
  backend: 'wasm',
  fallbackReason: 'the WebGPU adapter is a software fallback',
  task: 'classification',
  features: ['a', 'b'],
  classes: ['x', 'y'],
  notices: ['Left out “name”: text'],
  rows: { train: 70, validation: 15, test: 15 },
  parameters: 83,
  stepsPerEpoch: 3,
};

const epoch = (n: number, trainLoss = 1 / n): EpochRecord => ({
  epoch: n,
  trainLoss,
  trainMetric: 0.5,
  valLoss: null,
  valMetric: null,
  samplesPerSec: 1000,
  msPerStep: 2,
});

const points = (from: number, count: number, loss = (s: number) => 1 + (s % 3) * 0.01): BatchPoint[] =>
  Array.from({ length: count }, (_, i) => ({ step: from + i, loss: loss(from + i), smoothed: 1 }));

const batches = (pts: readonly BatchPoint[], memoryBytes = 1024, ep = 1): TrainEvent => ({
  type: 'batches',
  epoch: ep,
  points: pts,
  samplesPerSec: 5000,
  msPerStep: 1.5,
  memoryBytes,
});

const running: LiveRun = { ...IDLE_RUN, status: 'running' };
const fold = (events: readonly TrainEvent[], from: LiveRun = running): LiveRun =>
  events.reduce(foldEvent, from);

const record = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: 'run-1',
  name: 'Run 1',
  datasetId: 'd',
  datasetName: 'penguins',
  config: { ...DEFAULT_DRAFT, datasetId: 'd', target: 'species' },
  task: 'classification',
  backend: 'wasm',
  fallbackReason: null,
  features: ['a'],
  classes: ['x', 'y'],
  notices: [],
  rows: { train: 70, validation: 15, test: 15 },
  history: [epoch(1), epoch(2)],
  firstSteps: [1.2, 1.1],
  status: 'completed',
  evaluation: null,
  parameters: 83,
  createdAt: 1,
  durationMs: 10,
  ...over,
});

describe('train store: event folding', () => {
  beforeEach(resetTrainStore);

  it('starts from the defaults the brief asks for', () => {
    const { draft, live } = trainStore.getState();
    expect(draft).toMatchObject({
      task: 'auto',
      model: { kind: 'mlp', hidden: [{ units: 16, activation: 'relu' }] },
      loss: 'auto',
      optimizer: { kind: 'adam', learningRate: 0.01 },
      batchSize: 32,
      epochs: 30,
      earlyStopping: { patience: 5 },
      classWeights: 'none',
      seed: 42,
      backend: 'auto',
    });
    expect(live.status).toBe('idle');
  });

  it('keeps the started info, batch points, latest speed and memory', () => {
    const live = fold([STARTED, batches(points(1, 3)), batches(points(4, 2), 4096, 2)]);
    expect(live.started).toEqual(STARTED);
    expect(live.batches.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect(live.speed).toEqual([
      { step: 3, samplesPerSec: 5000, msPerStep: 1.5, memoryBytes: 1024 },
      { step: 5, samplesPerSec: 5000, msPerStep: 1.5, memoryBytes: 4096 },
    ]);
    expect(live).toMatchObject({ epoch: 2, samplesPerSec: 5000, msPerStep: 1.5, memoryBytes: 4096 });
  });

  it('records epochs in order, a repeated epoch replacing the earlier record', () => {
    const live = fold([
      { type: 'epoch', record: epoch(2) },
      { type: 'epoch', record: epoch(1) },
      { type: 'epoch', record: epoch(2, 0.25) },
    ]);
    expect(live.epochs.map((e) => [e.epoch, e.trainLoss])).toEqual([
      [1, 1],
      [2, 0.25],
    ]);
  });

  it('follows the worker state: paused, running, evaluating', () => {
    const states = (['paused', 'running', 'evaluating'] as const).map(
      (state) => fold([{ type: 'state', state }]).status,
    );
    expect(states).toEqual(['paused', 'running', 'evaluating']);
  });

  it('ignores events that arrive outside a run (late after its end)', () => {
    for (const status of ['idle', 'done', 'error'] as const) {
      const live: LiveRun = { ...IDLE_RUN, status };
      expect(fold([STARTED, { type: 'state', state: 'running' }], live)).toBe(live);
    }
    for (const status of ['idle', 'error'] as const) {
      const live: LiveRun = { ...IDLE_RUN, status };
      expect(fold([batches(points(1, 3))], live)).toBe(live);
    }
  });

  it('takes the last batch points even when they arrive after the run’s result (another port)', () => {
    const live = fold([batches(points(1, 3))], { ...IDLE_RUN, status: 'done' });
    expect(live.status).toBe('done');
    expect(live.batches.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('keeps at most MAX_POINTS batch points, and the spikes among them', () => {
    let live = fold([STARTED]);
    const spikeAt = 3001;
    for (let s = 1; s <= 20_000; s += 100) {
      live = foldEvent(live, batches(points(s, 100, (x) => (x === spikeAt ? 50 : 1 + (x % 7) * 0.01))));
    }
    expect(live.batches.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(live.batches.length).toBeGreaterThan(MAX_POINTS / 4);
    expect(live.batches.some((p) => p.step === spikeAt && p.loss === 50)).toBe(true);
    expect(live.batches.at(-1)?.step).toBe(20_000);
    const steps = live.batches.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(live.speed.length).toBe(200);
  });

  it('decimates to half, keeping each group’s lowest and highest in order', () => {
    const v = [5, 1, 9, 3, 2, 2, 2, 2, 7];
    expect(decimate(v, (x) => x)).toEqual([1, 9, 2, 7]);
  });

  it('runs through the store: begin, events, finish with the record’s history', () => {
    trainStore.setState({ last: null });
    applyTrainEvent(STARTED);
    expect(trainStore.getState().live.started).toBeNull(); // no run begun yet
    beginRun();
    applyTrainEvent(STARTED);
    applyTrainEvent({ type: 'epoch', record: epoch(1) });
    expect(trainStore.getState().live).toMatchObject({ status: 'running', started: STARTED });
    const r = record();
    finishRun(r);
    applyTrainEvent({ type: 'state', state: 'evaluating' }); // late
    const s = trainStore.getState();
    expect(s.live.status).toBe('done');
    expect(s.live.epochs).toEqual(r.history);
    expect(s.last).toBe(r);
  });

  it('a failure keeps the curves and records the error; a new run starts clean', () => {
    beginRun();
    applyTrainEvent(batches(points(1, 3)));
    failRun({ name: 'WorkbenchError', code: 'INTERNAL', message: 'boom' });
    expect(trainStore.getState()).toMatchObject({ live: { status: 'error' }, error: { message: 'boom' } });
    expect(trainStore.getState().live.batches).toHaveLength(3);
    beginRun();
    expect(trainStore.getState()).toMatchObject({ live: { status: 'running', batches: [] }, error: null });
  });

  it('compares at most two runs and forgets deleted ones', () => {
    toggleCompare('a');
    toggleCompare('b');
    toggleCompare('c');
    expect(trainStore.getState().compare).toEqual(['b', 'c']);
    toggleCompare('b');
    expect(trainStore.getState().compare).toEqual(['c']);
    setRuns([record({ id: 'a' })]);
    expect(trainStore.getState().compare).toEqual([]);
  });
});
