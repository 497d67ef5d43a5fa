import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { ModelRepo } from '../../src/db/models.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { WorkbenchDB } from '../../src/db/schema';
import type { DatasetMeta } from '../../src/engine/data/dataset';
import { onnx } from '../../src/engine/deploy/onnx/generated/onnx.js';
import type { ModelMeta, TensorInfo } from '../../src/engine/deploy/inspect';
import { createBatchService, type BatchProgress } from '../../src/engine/infer/batch';
import { blockFeeds, OutputCollector, planBatch } from '../../src/engine/infer/batchPlan';
import type { InferService } from '../../src/engine/infer/inferApi';
import { contractInfo, readMetadata } from '../../src/engine/infer/metadata';
import type { PlainTensor } from '../../src/engine/infer/tensors';
import { joinChunks, present } from '../../src/engine/preprocess/load';
import { chunk, importSample, sampleMeta } from '../fixtures/db/samples';

const CLASSES = ['no', 'yes'];

/** Model bytes carrying only the contract metadata (the fake core below never parses a graph). */
function modelBytes(meta: Record<string, string>): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 9,
    metadataProps: Object.entries(meta).map(([key, value]) => ({ key, value })),
  }).finish();
}

function modelMeta(id: string, inputs: TensorInfo[]): ModelMeta {
  return {
    id,
    name: `${id}.onnx`,
    bytes: 1,
    createdAt: 1,
    source: 'file',
    inspection: {
      irVersion: 9,
      opsets: [],
      opset: 19,
      producer: { name: '', version: '' },
      graphName: 'g',
      inputs,
      outputs: [],
      ops: [],
      nodeCount: 0,
      parameterCount: 0,
      initializerCount: 0,
      constantNodeCount: 0,
      sizeBytes: 1,
    },
  };
}

/**
 * A stand-in for onnxruntime: p(yes) = x / 10 (NaN stays NaN), class = 'yes' when the text input is 'c',
 * label = its index. Records every feed it was given.
 */
function fakeCore(seen: Record<string, PlainTensor>[], delayMs = 0): InferService {
  let loaded = false;
  return {
    load: (_id, ep) => {
      loaded = true;
      return Promise.resolve({
        ep: ep === 'webgpu' ? 'webgpu' : 'wasm',
        reason: 'test',
        loadMs: 1,
        inputNames: [],
        outputNames: [],
      });
    },
    async run(inputs) {
      if (!loaded) throw new Error('not loaded');
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      seen.push(inputs);
      const x = inputs.x!.data as Float32Array;
      const t = inputs.label!.data as string[];
      const n = x.length;
      const probs = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        probs[i * 2 + 1] = x[i]! / 10;
        probs[i * 2] = 1 - x[i]! / 10;
      }
      const cls = t.map((v) => (v === 'c' ? 'yes' : 'no'));
      return {
        ep: 'wasm',
        runMs: 0.5,
        outputs: {
          label: {
            type: 'int64',
            dims: [n],
            data: BigInt64Array.from(cls, (c) => BigInt(CLASSES.indexOf(c))),
          },
          probabilities: { type: 'float32', dims: [n, 2], data: probs },
          class: { type: 'string', dims: [n], data: cls },
        },
      };
    },
    release: () => {
      loaded = false;
      return Promise.resolve();
    },
  };
}

const contractInputs: TensorInfo[] = [
  { name: 'x', elemType: 'float32', shape: ['N', 1] },
  { name: 'label', elemType: 'string', shape: ['N', 1] },
];

let factory: IDBFactory;
let db: IDBPDatabase<WorkbenchDB>;
let repo: DatasetRepo;
let source: DatasetMeta;

beforeEach(async () => {
  factory = new IDBFactory();
  db = await openWorkbenchDb({ factory });
  repo = new DatasetRepo(db);
  source = await importSample(repo, 'ds'); // x = 1..5 (number), label = a..e (text), chunks of 3 rows
  await new ModelRepo(db).putModel(
    modelMeta('m', contractInputs),
    modelBytes({
      'workbench.contract': '1',
      'workbench.classes': JSON.stringify(CLASSES),
      'workbench.task': 'classification',
    }),
  );
});

afterEach(() => db.close());

async function readAll(meta: DatasetMeta) {
  return Promise.all(
    meta.columns.map(async (c, i) => joinChunks(c, meta.rows, await repo.readColumn(meta.id, i))),
  );
}

describe('infer: batch plan', () => {
  it('maps contract inputs to columns by name and names missing or mismatched columns', () => {
    expect(planBatch(contractInputs, source).bindings.map((b) => [b.input, b.columns])).toEqual([
      ['x', [0]],
      ['label', [1]],
    ]);
    expect(() =>
      planBatch([...contractInputs, { name: 'island', elemType: 'string', shape: ['N', 1] }], source),
    ).toThrow(/has no column named “island”/);
    expect(() => planBatch([{ name: 'label', elemType: 'float32', shape: ['N', 1] }], source)).toThrow(
      /Input “label” is float32 but column “label” is text; a numeric column is needed/,
    );
  });

  it('feeds one [N, F] input from the numeric columns in order when there are F of them', () => {
    const meta = sampleMeta('v', {
      columns: [
        { name: 'a', type: 'number', missing: 0 },
        { name: 's', type: 'text', missing: 0 },
        { name: 'b', type: 'integer', missing: 0 },
        { name: 'y', type: 'number', missing: 0 },
      ],
      target: 'y',
    });
    const plan = planBatch([{ name: 'input', elemType: 'float32', shape: ['N', 2] }], meta);
    expect(plan.kind).toBe('vector');
    expect(plan.summary).toBe('input ← a, b');
    expect(() => planBatch([{ name: 'input', elemType: 'float32', shape: ['N', 3] }], meta)).toThrow(
      /takes 3 values per row, but “v.csv” has 2 numeric column\(s\) besides the target \(“a”, “b”\)/,
    );
    // Rows 1..2 of a block: missing number → NaN, row-major [n, F].
    const col = (values: number[], missingAt: number) => {
      const c = chunk('v', 0, 0, Float64Array.from(values));
      c.validity[0] = c.validity[0]! & ~(1 << missingAt);
      return c;
    };
    const columns = new Map([
      [0, joinChunks(meta.columns[0]!, 3, [col([1, 2, 3], 1)])],
      [2, joinChunks(meta.columns[2]!, 3, [col([10, 20, 30], 2)])],
    ]);
    const feeds = blockFeeds(plan, columns, 1, 3);
    expect(feeds.input!.dims).toEqual([2, 2]);
    expect(Array.from(feeds.input!.data as Float32Array)).toEqual([NaN, 20, 3, NaN]);
  });

  it('collects classifier outputs into row, label and p_<class> columns (no label where p is NaN); other outputs flattened', () => {
    const c = new OutputCollector();
    c.add(
      {
        probabilities: { type: 'float32', dims: [2, 2], data: Float32Array.of(0.25, 0.75, NaN, NaN) },
        class: { type: 'string', dims: [2], data: ['yes', 'no'] },
      },
      2,
    );
    const cols = c.columns(CLASSES);
    expect(cols.map((x) => [x.meta.name, x.meta.type, x.meta.missing])).toEqual([
      ['row', 'integer', 0],
      ['label', 'categorical', 1],
      ['p_no', 'number', 1],
      ['p_yes', 'number', 1],
    ]);
    expect(Array.from(cols[3]!.data as Float64Array)[0]).toBe(0.75);
    const g = new OutputCollector();
    g.add({ y: { type: 'float32', dims: [1, 2], data: Float32Array.of(1, 2) } }, 1);
    expect(g.columns(null).map((x) => x.meta.name)).toEqual(['row', 'y_0', 'y_1']);
    expect(() => g.add({ y: { type: 'float32', dims: [3, 2], data: new Float32Array(6) } }, 2)).toThrow(
      /not one row per input row/,
    );
  });

  it('reads the contract metadata without the graph; garbage gives none', () => {
    const bytes = modelBytes({ 'workbench.classes': '["a","b"]', 'workbench.task': 'classification' });
    expect(readMetadata(bytes)['workbench.task']).toBe('classification');
    expect(contractInfo(bytes).classes).toEqual(['a', 'b']);
    expect(contractInfo(Uint8Array.of(0xff, 0xff, 0xff))).toEqual({
      task: null,
      target: null,
      classes: null,
    });
  });
});

describe('infer: batch service', () => {
  it('predicts every row in blocks with progress and saves a new predictions dataset', async () => {
    const seen: Record<string, PlainTensor>[] = [];
    const service = createBatchService(fakeCore(seen), Promise.resolve(db), () => 'pred-1');
    const progress: BatchProgress[] = [];
    const r = await service.batch('m', 'wasm', 'ds', (p) => progress.push(p), { blockRows: 2 });
    expect(progress).toEqual([
      { rowsDone: 2, rows: 5 },
      { rowsDone: 4, rows: 5 },
      { rowsDone: 5, rows: 5 },
    ]);
    expect(r.blocks).toBe(3);
    expect(r.ep).toBe('wasm');
    expect(seen.map((f) => Array.from(f.x!.data as Float32Array))).toEqual([[1, 2], [3, 4], [5]]);
    expect(seen[1]!.label).toEqual({ type: 'string', dims: [2, 1], data: ['c', 'd'] });
    const saved = (await repo.listDatasets()).find((d) => d.id === 'pred-1')!;
    expect(saved.name).toBe('ds.csv · predictions (m.onnx)');
    expect(saved.parent).toEqual({
      datasetId: 'ds',
      recipe: [{ op: 'predict', modelId: 'm', model: 'm.onnx', ep: 'wasm' }],
    });
    expect(saved.rows).toBe(5);
    const cols = await readAll(saved);
    expect(cols.map((c) => c.meta.name)).toEqual(['row', 'label', 'p_no', 'p_yes']);
    expect(Array.from(cols[0]!.data as Float64Array)).toEqual([0, 1, 2, 3, 4]);
    const labels = Array.from(cols[1]!.data as Int32Array, (k) => cols[1]!.meta.dictionary![k]);
    expect(labels).toEqual(['no', 'no', 'yes', 'no', 'no']);
    expect(Array.from(cols[3]!.data as Float64Array)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5].map(Math.fround));
    expect([0, 1, 2, 3, 4].every((i) => present(cols[3]!.validity, i))).toBe(true);
  });

  it('cancel stops after the current block: CANCELLED and no new dataset', async () => {
    const service = createBatchService(fakeCore([], 5), Promise.resolve(db), () => 'pred-2');
    const before = (await repo.listDatasets()).map((d) => d.id);
    let blocks = 0;
    const run = service.batch(
      'm',
      'wasm',
      'ds',
      () => {
        blocks++;
        if (blocks === 1) void service.cancelBatch();
      },
      { blockRows: 1 },
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(blocks).toBe(1);
    expect((await repo.listDatasets()).map((d) => d.id)).toEqual(before);
    expect(await repo.getDataset('pred-2')).toBeUndefined();
    // The service is usable again afterwards.
    await expect(service.batch('m', 'wasm', 'ds', () => undefined)).resolves.toMatchObject({
      rows: 5,
      blocks: 1,
    });
  });

  it('a dataset without the model’s columns fails INVALID_INPUT before anything runs', async () => {
    await new ModelRepo(db).putModel(
      modelMeta('m2', [{ name: 'island', elemType: 'string', shape: ['N', 1] }]),
      modelBytes({}),
    );
    const seen: Record<string, PlainTensor>[] = [];
    const service = createBatchService(fakeCore(seen), Promise.resolve(db));
    await expect(service.batch('m2', 'wasm', 'ds', () => undefined)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/no column named “island”/) as unknown,
    });
    expect(seen).toHaveLength(0);
    await expect(service.batch('m', 'wasm', 'ds', () => undefined, { blockRows: 0 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
