/**
 * The worker's streaming service end to end in Node: the two WAV fixtures imported into IndexedDB as the app
 * imports them, Silero stored as an imported model, and onnxruntime-node standing in for the core service.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { IDBPDatabase } from 'idb';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { ModelRepo } from '../../src/db/models.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { WorkbenchDB } from '../../src/db/schema';
import { ingestPlanned, planFiles } from '../../src/engine/data/ingest/files';
import type { ImageDecoder } from '../../src/engine/data/ingest/imageFiles';
import { inspectOnnx } from '../../src/engine/deploy/inspect';
import type { InferService } from '../../src/engine/infer/inferApi';
import type { StreamFrame } from '../../src/engine/infer/stream';
import { createStreamService } from '../../src/engine/infer/streamService';
import type { PlainTensor } from '../../src/engine/infer/tensors';
import { failure } from '../support/failure';

const bytes = (p: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${p}`, import.meta.url)));
const silero = bytes('onnx/silero_vad_v5.onnx');
const noDecoder: ImageDecoder = {
  size: () => Promise.reject(new Error('no images here')),
  rgba: () => Promise.reject(new Error('no images here')),
};

/** onnxruntime-node behind the core service's interface (load ignores the EP: Node has the CPU one). */
function nodeCore(): InferService {
  let s: ort.InferenceSession | null = null;
  return {
    async load() {
      s = await ort.InferenceSession.create(silero);
      return {
        ep: 'wasm',
        reason: 'node',
        loadMs: 0,
        inputNames: [...s.inputNames],
        outputNames: [...s.outputNames],
      };
    },
    async run(inputs) {
      const feeds: Record<string, ort.Tensor> = {};
      for (const [k, v] of Object.entries(inputs)) feeds[k] = new ort.Tensor(v.type, v.data, [...v.dims]);
      const r = await s!.run(feeds);
      const outputs: Record<string, PlainTensor> = {};
      for (const [k, v] of Object.entries(r))
        outputs[k] = { type: 'float32', dims: [...v.dims], data: v.data as Float32Array };
      return { ep: 'wasm', outputs, runMs: 0.1 };
    },
    release: () => Promise.resolve(),
  };
}

let db: IDBPDatabase<WorkbenchDB>;
let datasetId: string;

beforeEach(async () => {
  db = await openWorkbenchDb({ factory: new IDBFactory() });
  const files = ['Front_Center.wav', 'Noise.wav'].map((name) => ({
    name,
    path: name,
    blob: new Blob([bytes(`audio/${name}`)]),
  }));
  const plan = await planFiles(files);
  if (plan.kind === 'text') throw new Error('planned as text');
  const meta = await ingestPlanned(plan, noDecoder, new DatasetRepo(db), {
    id: 'clips',
    kind: 'file',
    now: () => 0,
  });
  datasetId = meta.id;
  await new ModelRepo(db).putModel(
    {
      id: 'vad',
      name: 'vad.onnx',
      bytes: silero.byteLength,
      createdAt: 0,
      source: 'file',
      inspection: inspectOnnx(silero),
    },
    silero,
  );
});
afterEach(() => db.close());

describe('infer: stream service (IndexedDB + onnxruntime-node)', { timeout: 60_000 }, () => {
  it('streams stored row 0 (speech) and row 1 (noise) with the state fed forward, frames in batches', async () => {
    const service = createStreamService(nodeCore(), Promise.resolve(db));
    const batches: (readonly StreamFrame[])[] = [];
    const speech = await service.stream('vad', 'wasm', datasetId, 0, {}, (f) => batches.push(f));
    expect(speech).toMatchObject({
      audioInput: 'input',
      scoreOutput: 'output',
      sourceRate: 16_000,
      modelRate: 16_000,
    });
    expect(speech.states).toEqual([{ input: 'state', output: 'stateN', rule: 'name' }]);
    expect(speech.frames).toHaveLength(45); // 1.43 s at 16 kHz, padding trimmed: ceil(22848 / 512)
    expect(batches.flat()).toEqual(speech.frames);
    expect(speech.frames.filter((f) => f.score > 0.5).length).toBeGreaterThan(22);
    expect(speech.segments.length).toBeGreaterThan(0);
    const noise = await service.stream('vad', 'wasm', datasetId, 1, {}, () => undefined);
    expect(Math.max(...noise.frames.map((f) => f.score))).toBeLessThan(0.5);
    expect(noise.segments).toEqual([]);
  });

  it('resamples to an 8 kHz model rate: half the samples, 256-sample frames, sr = 8000', async () => {
    const service = createStreamService(nodeCore(), Promise.resolve(db));
    const r = await service.stream('vad', 'wasm', datasetId, 0, { modelRate: 8_000 }, () => undefined);
    expect([r.modelRate, r.frameSamples, r.contextSamples, r.constants]).toEqual([
      8_000,
      256,
      32,
      [{ name: 'sr', role: 'rate', value: 8_000 }],
    ]);
    expect(r.frames).toHaveLength(Math.ceil(22_848 / 2 / 256));
  });

  it('a row outside the dataset, or a dataset without audio, is INVALID_INPUT', async () => {
    const service = createStreamService(nodeCore(), Promise.resolve(db));
    const e = await failure(service.stream('vad', 'wasm', datasetId, 2, {}, () => undefined));
    expect(e.code).toBe('INVALID_INPUT');
    expect((await failure(service.stream('vad', 'wasm', 'nope', 0, {}, () => undefined))).code).toBe(
      'INVALID_INPUT',
    );
  });
});
