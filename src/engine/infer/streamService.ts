/**
 * The inference worker's streaming service: one clip of a stored audio dataset streamed through a stateful
 * model (stream.ts) on the core service's session, frames reported in batches, cancel between frames.
 */
import type { IDBPDatabase } from 'idb';
import { DatasetRepo } from '../../db/datasets.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import { summarize, type LatencySummary } from './latency';
import type { InferEp, InferEpChoice, InferService } from './inferApi';
import { toModelRate, trimPadding } from './resample';
import type { StatePair } from './statePairs';
import {
  planStream,
  runStream,
  speechSegments,
  type Segment,
  type StreamFrame,
  type StreamOptions,
} from './stream';

/** What a stream did: the plan it followed, every frame, segments and timing. */
export interface StreamResult {
  readonly ep: InferEp;
  readonly reason: string;
  readonly loadMs: number;
  readonly audioInput: string;
  readonly scoreOutput: string;
  readonly states: readonly StatePair[];
  readonly constants: readonly { readonly name: string; readonly role: string; readonly value: number }[];
  readonly modelRate: number;
  readonly sourceRate: number;
  readonly frameSamples: number;
  readonly contextSamples: number;
  /** Seconds of audio streamed (the clip without its zero padding). */
  readonly seconds: number;
  readonly frames: readonly StreamFrame[];
  readonly segments: readonly Segment[];
  readonly threshold: number;
  /** Per-frame run times in the worker. */
  readonly runMs: LatencySummary;
  readonly wallMs: number;
  readonly cancelled: boolean;
}

export interface StreamService {
  /**
   * Streams row `row` of an audio dataset through a stored stateful model on `ep`. Frames arrive through
   * `onFrames` in batches (about every 100 ms); the session stays loaded afterwards.
   */
  stream(
    modelId: string,
    ep: InferEpChoice,
    datasetId: string,
    row: number,
    options: StreamOptions,
    onFrames: (frames: readonly StreamFrame[]) => void,
  ): Promise<StreamResult>;
  /** Stops the running stream after its current frame; it resolves with `cancelled: true`. */
  cancelStream(): Promise<void>;
}

const BATCH_MS = 100;

/** One clip of an audio dataset without its padding, and its sample rate. */
export async function readClip(
  repo: DatasetRepo,
  datasetId: string,
  row: number,
): Promise<{ samples: Float32Array; rate: number }> {
  const meta = await repo.getDataset(datasetId);
  if (meta?.status !== 'ready')
    throw new WorkbenchError('INVALID_INPUT', `Dataset ${datasetId} is not stored.`);
  const col = meta.columns.findIndex((c) => c.type === 'audio');
  const c = meta.columns[col];
  if (c === undefined || c.samples === undefined || c.sampleRate === undefined) {
    throw new WorkbenchError('INVALID_INPUT', `“${meta.name}” has no audio column.`);
  }
  if (!Number.isInteger(row) || row < 0 || row >= meta.rows) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Row index ${row} is outside “${meta.name}” (rows 0–${meta.rows - 1}).`,
    );
  }
  const chunk = await repo.readChunk(datasetId, col, Math.floor(row / meta.chunkRows));
  if (chunk === undefined) throw new WorkbenchError('INTERNAL', `Row ${row} of “${meta.name}” is missing.`);
  const at = (row % meta.chunkRows) * c.samples;
  const samples = trimPadding((chunk.data as Float32Array).subarray(at, at + c.samples));
  if (samples.length === 0)
    throw new WorkbenchError('INVALID_INPUT', `Row ${row} of “${meta.name}” is silent.`);
  return { samples, rate: c.sampleRate };
}

export function createStreamService(
  core: InferService,
  db: Promise<IDBPDatabase<WorkbenchDB>>,
): StreamService {
  let cancel = false;
  return {
    async stream(modelId, ep, datasetId, row, options, onFrames) {
      cancel = false;
      const t0 = performance.now();
      const d = await db;
      const model = await d.get('models', modelId);
      if (model === undefined) throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
      const plan = planStream(model.inspection.inputs, model.inspection.outputs, options);
      const clip = await readClip(new DatasetRepo(d), datasetId, row);
      const audio = toModelRate(clip.samples, clip.rate, plan.modelRate);
      const loaded = await core.load(modelId, ep);
      let pending: StreamFrame[] = [];
      let last = performance.now();
      const flush = (): void => {
        if (pending.length === 0) return;
        onFrames(pending);
        pending = [];
        last = performance.now();
      };
      const { frames, cancelled } = await runStream(
        plan,
        audio,
        async (feeds) => {
          const r = await core.run(feeds);
          return { outputs: r.outputs, runMs: r.runMs };
        },
        (f) => {
          pending.push(f);
          if (performance.now() - last >= BATCH_MS) flush();
        },
        () => cancel,
      );
      flush();
      const threshold = options.threshold ?? 0.5;
      return {
        ep: loaded.ep,
        reason: loaded.reason,
        loadMs: loaded.loadMs,
        audioInput: plan.audioInput,
        scoreOutput: plan.scoreOutput,
        states: plan.states,
        constants: plan.constants.map(({ name, role, value }) => ({ name, role, value })),
        modelRate: plan.modelRate,
        sourceRate: clip.rate,
        frameSamples: plan.frameSamples,
        contextSamples: plan.contextSamples,
        seconds: audio.length / plan.modelRate,
        frames,
        segments: speechSegments(frames, plan.frameSamples / plan.modelRate, threshold),
        threshold,
        runMs: summarize(frames.map((f) => f.runMs)),
        wallMs: performance.now() - t0,
        cancelled,
      };
    },
    cancelStream() {
      cancel = true;
      return Promise.resolve();
    },
  };
}
