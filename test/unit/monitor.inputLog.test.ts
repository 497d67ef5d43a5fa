import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { InferLogRepo } from '../../src/db/inferLog.repo';
import { openWorkbenchDb } from '../../src/db/open';
import type { ColumnMeta, DatasetMeta } from '../../src/engine/data/dataset';
import { onnx } from '../../src/engine/deploy/onnx/generated/onnx.js';
import { emptyLog, logColumn, offerRows } from '../../src/engine/monitor/inputLog';
import { logBatchInputs } from '../../src/engine/monitor/logBatch';

/** Rows [i, −i] for i in [from, to). */
function rows(from: number, to: number): Float32Array {
  const out = new Float32Array((to - from) * 2);
  for (let i = from; i < to; i++) out.set([i, -i], (i - from) * 2);
  return out;
}

/** Offers rows 0…total−1 in batches of `batch` to a log of `capacity`. */
function fill(total: number, batch: number, capacity: number, seed: number) {
  let log = emptyLog('m', 'model', null, ['a', 'b'], capacity, seed);
  for (let s = 0; s < total; s += batch)
    log = offerRows(log, rows(s, Math.min(total, s + batch)), Math.min(batch, total - s));
  return log;
}

describe('monitor: sampled inference-input log', () => {
  it('keeps every row until full, then exactly `capacity` rows of those offered', () => {
    const small = fill(50, 7, 100, 1);
    expect(small.seen).toBe(50);
    expect(Array.from(logColumn(small, 0))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const log = fill(5000, 333, 100, 1);
    expect(log.seen).toBe(5000);
    expect(log.rows.length).toBe(200);
    const a = logColumn(log, 0);
    const b = logColumn(log, 1);
    a.forEach((x, r) => {
      expect(Number.isInteger(x) && x >= 0 && x < 5000).toBe(true);
      expect(b[r]).toBe(-x); // rows stay whole
    });
    expect(new Set(a).size).toBe(100);
  });

  it('is reproducible for the same seed and batches, and differs for another seed', () => {
    expect(fill(3000, 250, 64, 7).rows).toEqual(fill(3000, 250, 64, 7).rows);
    expect(fill(3000, 250, 64, 8).rows).not.toEqual(fill(3000, 250, 64, 7).rows);
  });

  it('samples uniformly: each row is kept with probability capacity/seen (400 seeds, ±5σ)', () => {
    const hits = new Array<number>(10).fill(0); // by decile of the row index
    for (let seed = 0; seed < 400; seed++)
      for (const x of logColumn(fill(1000, 128, 50, seed), 0)) hits[Math.floor(x / 100)]!++;
    // Each decile expects 400 · 50 / 10 = 2000 kept rows; sd ≤ √2000 ≈ 45.
    for (const h of hits) expect(Math.abs(h - 2000)).toBeLessThan(5 * 45);
  });

  it('skips rows with a missing or infinite value and counts them', () => {
    const log = offerRows(
      emptyLog('m', 'model', null, ['a', 'b'], 10, 1),
      Float32Array.from([1, 2, NaN, 3, 4, Infinity, 5, 6]),
      4,
    );
    expect(log.seen).toBe(2);
    expect(log.skipped).toBe(2);
    expect(Array.from(log.rows)).toEqual([1, 2, 5, 6]);
  });

  it('stores one log per model in IndexedDB and restarts it when the columns change', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const repo = new InferLogRepo(db);
    await repo.append('m1', 'model 1', 'run-1', ['a', 'b'], rows(0, 30), 30);
    const second = await repo.append('m1', 'model 1', 'run-1', ['a', 'b'], rows(30, 60), 30);
    expect(second).toMatchObject({ seen: 60, kept: 60, runId: 'run-1' });
    expect((await repo.get('m1'))?.rows.length).toBe(120);
    const other = await repo.append('m1', 'model 1', null, ['x'], Float32Array.from([9, 8]), 2);
    expect(other).toMatchObject({ seen: 2, kept: 2, features: ['x'] });
    await repo.append('m2', 'model 2', null, ['a'], Float32Array.from([1]), 1);
    expect((await repo.list()).map((l) => l.modelId).sort()).toEqual(['m1', 'm2']);
    await repo.delete('m1');
    expect(await repo.get('m1')).toBeUndefined();
    db.close();
  });
});

describe('monitor: logging a batch’s inputs', () => {
  const column = (
    name: string,
    type: 'number' | 'categorical',
    data: Float64Array,
    missing: number[] = [],
  ) => {
    const validity = new Uint32Array(1);
    for (let r = 0; r < data.length; r++) if (!missing.includes(r)) validity[0]! |= 1 << r;
    return { meta: { name, type } as ColumnMeta, data, validity };
  };
  const meta = { id: 'ds', name: 'ds', rows: 4 } as DatasetMeta;
  const bytes = onnx.ModelProto.encode({
    irVersion: 9,
    metadataProps: [{ key: 'workbench.run', value: 'run-42' }],
  }).finish();

  it('logs the fed numeric columns in the plan’s order, skips rows with a gap, and maps the run', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const columns = new Map([
      [2, column('b', 'number', Float64Array.from([10, 20, 30, 40]), [1])],
      [0, column('a', 'number', Float64Array.from([1, 2, 3, 4]))],
    ]);
    const out = await logBatchInputs(db, 'm', 'model', bytes, meta, columns);
    expect(out).toMatchObject({
      logged: { runId: 'run-42', features: ['b', 'a'], seen: 3, skipped: 1, kept: 3 },
    });
    expect(Array.from((await new InferLogRepo(db).get('m'))!.rows)).toEqual([10, 1, 30, 3, 40, 4]);
    db.close();
  });

  it('logs nothing (and does not throw) for a categorical input', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const columns = new Map([[0, column('c', 'categorical', Float64Array.from([0, 1, 0, 1]))]]);
    const out = await logBatchInputs(db, 'm', 'model', new Uint8Array([1, 2, 3]), meta, columns);
    expect(out).toHaveProperty('skipped');
    expect(await new InferLogRepo(db).get('m')).toBeUndefined();
    db.close();
  });
});
