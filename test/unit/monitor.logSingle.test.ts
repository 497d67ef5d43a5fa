import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { InferLogRepo } from '../../src/db/inferLog.repo';
import { ModelRepo } from '../../src/db/models.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { ModelMeta } from '../../src/engine/deploy/inspect';
import { onnx } from '../../src/engine/deploy/onnx/generated/onnx.js';
import { logSingleInputs, rowsFromFeeds } from '../../src/engine/monitor/logSingle';
import type { PlainTensor } from '../../src/engine/infer/tensors';

const f32 = (values: number[]): PlainTensor => ({
  type: 'float32',
  dims: [values.length, 1],
  data: Float32Array.from(values),
});

describe('drift log of single predictions', () => {
  it('rows follow the model’s input order; non-numeric or wider inputs are not logged', () => {
    const feeds = { b: f32([10, 20]), a: f32([1, 2]) };
    expect(Array.from(rowsFromFeeds(['a', 'b'], feeds)!.values)).toEqual([1, 10, 2, 20]);
    expect(
      rowsFromFeeds(['a', 'b'], { ...feeds, b: { type: 'string', dims: [2, 1], data: ['x', 'y'] } }),
    ).toBeNull();
    expect(
      rowsFromFeeds(['w'], { w: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } }),
    ).toBeNull();
    expect(rowsFromFeeds(['a', 'missing'], feeds)).toBeNull();
  });

  it('a form prediction of a stored model lands in its log with the run from its metadata and the class', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const bytes = onnx.ModelProto.encode({
      irVersion: 9,
      metadataProps: [{ key: 'workbench.run', value: 'run-7' }],
    }).finish();
    const meta = { id: 'm1', name: 'penguins.onnx', bytes: bytes.byteLength, createdAt: 1, source: 'file' };
    await new ModelRepo(db).putModel(meta as unknown as ModelMeta, bytes);
    const out = await logSingleInputs(
      db,
      'm1',
      ['bill', 'mass'],
      { mass: f32([3750]), bill: f32([39.1]) },
      { class: { type: 'string', dims: [1], data: ['Adelie'] } },
    );
    expect(out).toMatchObject({ logged: { runId: 'run-7', features: ['bill', 'mass'], kept: 1 } });
    const log = (await new InferLogRepo(db).get('m1'))!;
    expect(Array.from(log.rows)).toEqual([Math.fround(39.1), 3750]);
    expect(log.predictions).toEqual({ Adelie: 1 });
    db.close();
  });
});
