import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { IDBPDatabase } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { storageError } from '../../src/db/errors';
import { openWorkbenchDb } from '../../src/db/open';
import type { WorkbenchDB } from '../../src/db/schema';
import { failNextCommit, openRaw } from '../fixtures/db/fixtureDb';
import { chunk, importSample, sampleChunks, sampleMeta } from '../fixtures/db/samples';

let factory: IDBFactory;
let db: IDBPDatabase<WorkbenchDB>;
let repo: DatasetRepo;

beforeEach(async () => {
  factory = new IDBFactory();
  db = await openWorkbenchDb({ factory });
  repo = new DatasetRepo(db);
});

afterEach(() => {
  vi.restoreAllMocks();
  db.close();
});

describe('db: dataset chunks', () => {
  it('round-trips Float64Array, Int32Array and string[] chunks and Uint32Array validity exactly', async () => {
    const doubles = Float64Array.of(0.1 + 0.2, 2 ** 53 - 1, -(2 ** 53 - 1), -0, 5e-324, Number.MAX_VALUE);
    const codes = Int32Array.of(0, 1, -1, 2 ** 31 - 1, -(2 ** 31));
    const texts = ['', 'a, "quoted"', 'é✓ 𝄞', 'line\nbreak'];
    const validity = Uint32Array.of(0xffffffff, 0x80000001);
    await repo.beginImport(sampleMeta('d', { columns: [], chunkCount: 1 }));
    await repo.putChunks([
      { datasetId: 'd', column: 0, index: 0, rows: 6, data: doubles, validity },
      chunk('d', 1, 0, codes),
      chunk('d', 2, 0, texts),
    ]);
    const [c0, c1, c2] = await Promise.all([0, 1, 2].map((col) => repo.readChunk('d', col, 0)));
    expect(c0?.data).toBeInstanceOf(Float64Array);
    expect(Array.from(c0!.data as Float64Array)).toEqual(Array.from(doubles));
    expect(c0!.data[0]).toBe(0.30000000000000004);
    expect(c0!.data[1]).toBe(9007199254740991);
    expect(Object.is(c0!.data[3], -0)).toBe(true);
    expect(c0?.validity).toBeInstanceOf(Uint32Array);
    expect(Array.from(c0!.validity)).toEqual([0xffffffff, 0x80000001]);
    expect(c1?.data).toBeInstanceOf(Int32Array);
    expect(Array.from(c1!.data as Int32Array)).toEqual(Array.from(codes));
    expect(c2?.data).toEqual(texts);
    expect(c2?.rows).toBe(4);
  });

  it('readColumn returns one column’s chunks in numeric index order', async () => {
    await repo.beginImport(sampleMeta('d'));
    await repo.putChunks([10, 2, 1].map((i) => chunk('d', 0, i, Float64Array.of(i))));
    await repo.putChunks([chunk('d', 1, 0, ['other column'])]);
    const column = await repo.readColumn('d', 0);
    expect(column.map((c) => c.index)).toEqual([1, 2, 10]);
    expect(await repo.readChunk('d', 0, 3)).toBeUndefined();
  });

  it('putChunks resolves only after the transaction completes', async () => {
    const events: string[] = [];
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await repo.beginImport(sampleMeta('d'));
    transaction.mockClear();
    const done = repo.putChunks(sampleChunks('d')).then(() => events.push('resolved'));
    const tx = transaction.mock.results[0]?.value as IDBTransaction;
    tx.addEventListener('complete', () => events.push('complete'));
    await done;
    expect(events).toEqual(['complete', 'resolved']);
    // Another connection (another tab) sees every chunk as soon as the call resolves.
    const other = await openRaw(factory, 'workbench');
    const count = await new Promise((resolve) => {
      const req = other.transaction('chunks').objectStore('chunks').count();
      req.onsuccess = () => resolve(req.result);
    });
    expect(count).toBe(4);
    other.close();
  });
});

describe('db: dataset lifecycle', () => {
  it('listDatasets shows only ready datasets, newest first', async () => {
    await importSample(repo, 'old', { createdAt: 1000 });
    await importSample(repo, 'new', { createdAt: 3000 });
    await importSample(repo, 'mid', { createdAt: 2000 });
    await repo.beginImport(sampleMeta('unfinished', { createdAt: 4000 }));
    expect((await repo.listDatasets()).map((d) => d.id)).toEqual(['new', 'mid', 'old']);
    expect((await repo.listDatasets()).every((d) => d.status === 'ready')).toBe(true);
    expect((await repo.getDataset('unfinished'))?.status).toBe('importing');
  });

  it('deleteDataset removes the record and every chunk, leaving a dataset with a similar id intact', async () => {
    await importSample(repo, 'a');
    await importSample(repo, 'a2');
    await repo.deleteDataset('a');
    expect(await repo.getDataset('a')).toBeUndefined();
    expect(await db.countFromIndex('chunks', 'by-dataset', 'a')).toBe(0);
    expect(await db.countFromIndex('chunks', 'by-dataset', 'a2')).toBe(4);
    expect((await repo.listDatasets()).map((d) => d.id)).toEqual(['a2']);
    await expect(repo.deleteDataset('a')).resolves.toBeUndefined();
  });

  it('abortImport drops what was written, and later chunks for it are rejected as CANCELLED', async () => {
    await repo.beginImport(sampleMeta('d'));
    await repo.putChunks(sampleChunks('d').slice(0, 2));
    await repo.abortImport('d');
    expect(await repo.getDataset('d')).toBeUndefined();
    expect(await db.count('chunks')).toBe(0);
    await expect(repo.putChunks(sampleChunks('d').slice(2))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await db.count('chunks')).toBe(0);
    await expect(repo.commitImport(sampleMeta('d', { status: 'ready' }))).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('commitImport refuses an import whose chunks are not all stored', async () => {
    await repo.beginImport(sampleMeta('d'));
    await repo.putChunks(sampleChunks('d').slice(0, 3));
    await expect(repo.commitImport(sampleMeta('d', { status: 'ready' }))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('3 of 4 chunks') as unknown,
    });
    expect(await repo.listDatasets()).toEqual([]);
  });

  it('putChunks refuses to replace chunks of a dataset that is already ready', async () => {
    await importSample(repo, 'd');
    await expect(repo.putChunks([chunk('d', 0, 0, Float64Array.of(9))])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(Array.from((await repo.readChunk('d', 0, 0))!.data as Float64Array)).toEqual([1, 2, 3]);
  });

  it('sweepIncomplete deletes imports left importing and returns their ids', async () => {
    await importSample(repo, 'kept');
    await repo.beginImport(sampleMeta('crashed'));
    await repo.putChunks(sampleChunks('crashed').slice(0, 1));
    await repo.beginImport(sampleMeta('never-wrote'));
    expect((await repo.sweepIncomplete()).sort()).toEqual(['crashed', 'never-wrote']);
    expect(await db.getAllKeys('datasets')).toEqual(['kept']);
    expect(await db.countFromIndex('chunks', 'by-dataset', 'crashed')).toBe(0);
    expect(await db.count('chunks')).toBe(4);
    expect(await repo.sweepIncomplete()).toEqual([]);
  });
});

describe('db: dataset edits', () => {
  it('renameDataset and updateStats change only their field and are saved', async () => {
    const ready = await importSample(repo, 'd');
    const stats = [{ name: 'x', count: 5, missing: 0, min: 1, max: 5, mean: 3, variance: 2.5 }];
    await expect(repo.renameDataset('d', '  Renamed  ')).resolves.toMatchObject({ name: 'Renamed' });
    await repo.updateStats('d', stats);
    expect(await repo.getDataset('d')).toEqual({ ...ready, name: 'Renamed', stats });
    await expect(repo.renameDataset('d', '   ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await repo.getDataset('d'))?.name).toBe('Renamed');
  });

  it('setTarget accepts one of the dataset’s columns or null and rejects others', async () => {
    await importSample(repo, 'd');
    await repo.setTarget('d', 'label');
    expect((await repo.getDataset('d'))?.target).toBe('label');
    await expect(repo.setTarget('d', 'nope')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await repo.getDataset('d'))?.target).toBe('label');
    await repo.setTarget('d', null);
    expect((await repo.getDataset('d'))?.target).toBeNull();
  });

  it('editing a missing or unfinished dataset rejects with INVALID_INPUT and writes nothing', async () => {
    await repo.beginImport(sampleMeta('unfinished'));
    await expect(repo.renameDataset('missing', 'x')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(repo.updateStats('unfinished', null)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await db.getAllKeys('datasets')).toEqual(['unfinished']);
  });
});

describe('db: storage failures', () => {
  it('a putChunks that hits the quota rejects with QUOTA_EXCEEDED and leaves earlier data intact', async () => {
    const earlier = await importSample(repo, 'earlier');
    await repo.beginImport(sampleMeta('big'));
    const restore = failNextCommit('chunks');
    const e = await repo.putChunks(sampleChunks('big')).catch((x: unknown) => x);
    restore();
    expect(e).toMatchObject({ name: 'WorkbenchError', code: 'QUOTA_EXCEEDED' });
    expect((e as Error).message).toMatch(/^Browser storage is full: part of “big\.csv” was not saved\./);
    expect((e as Error).message).toContain('Earlier data is intact.');
    expect(await db.countFromIndex('chunks', 'by-dataset', 'big')).toBe(0);
    expect(await repo.listDatasets()).toEqual([earlier]);
    expect(Array.from((await repo.readColumn('earlier', 1)).flatMap((c) => c.data as string[]))).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
    expect(await repo.sweepIncomplete()).toEqual(['big']);
  });

  it('a commitImport that hits the quota leaves the import unlisted', async () => {
    await repo.beginImport(sampleMeta('d'));
    await repo.putChunks(sampleChunks('d'));
    const restore = failNextCommit('datasets');
    await expect(repo.commitImport(sampleMeta('d', { status: 'ready' }))).rejects.toMatchObject({
      code: 'QUOTA_EXCEEDED',
      message: expect.stringContaining('“d.csv” was not saved') as unknown,
    });
    restore();
    expect(await repo.listDatasets()).toEqual([]);
    expect((await repo.getDataset('d'))?.status).toBe('importing');
  });

  it('a write aborted for another reason rejects with INTERNAL naming the cause', async () => {
    await importSample(repo, 'd');
    const restore = failNextCommit('datasets', 'UnknownError');
    const e = await repo.renameDataset('d', 'New').catch((x: unknown) => x);
    restore();
    expect(e).toMatchObject({ code: 'INTERNAL', details: ['UnknownError: simulated'] });
    expect((await repo.getDataset('d'))?.name).toBe('d.csv');
  });

  it('maps a failure by the transaction’s error first, then the request’s (tx.error ?? request.error)', () => {
    const abort = new DOMException('aborted', 'AbortError');
    const quota = new DOMException('full', 'QuotaExceededError');
    expect(storageError(abort, quota, 'x')).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storageError(quota, null, 'x')).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(storageError(abort, null, 'x')).toMatchObject({
      code: 'INTERNAL',
      details: ['AbortError: aborted'],
    });
    expect(storageError(new DOMException('closing', 'InvalidStateError'), null, 'x', 'read')).toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
    });
  });
});
