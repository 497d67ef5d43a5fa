import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { openWorkbenchDb } from '../../src/db/open';
import { DB_VERSION } from '../../src/db/schema';
import { ensurePersistenceRequested } from '../../src/db/storage';
import type { ColumnChunk, DatasetMeta } from '../../src/engine/data/dataset';
import { decodeValue, dumpDb, loadDump, type DbDump } from '../fixtures/db/fixtureDb';

const V1 = JSON.parse(
  readFileSync(new URL('../fixtures/db/workbench-v1.json', import.meta.url), 'utf8'),
) as DbDump;

/** A dump's stores without their records: the schema alone. */
function schemaOf(dump: DbDump) {
  return Object.fromEntries(
    Object.entries(dump.stores).map(([name, { records, ...shape }]) => {
      void records;
      return [name, shape];
    }),
  );
}

function fixtureRecords<T>(store: string): T[] {
  return V1.stores[store]!.records.map((r) => decodeValue(r.value) as T);
}

async function openFixture(dump: DbDump) {
  const factory = new IDBFactory();
  await loadDump(factory, 'workbench', dump);
  const db = await openWorkbenchDb({ factory });
  return { factory, db, repo: new DatasetRepo(db) };
}

describe('db: migrations from released versions', () => {
  it('the v1 fixture is a version-1 database with a ready and a crashed import', () => {
    expect(V1.version).toBe(1);
    const metas = fixtureRecords<DatasetMeta>('datasets');
    expect(metas.map((m) => [m.id, m.status])).toEqual([
      ['ds-v1-crashed', 'importing'],
      ['ds-v1-ready', 'ready'],
    ]);
  });

  it('opens the v1 fixture and reads its dataset back exactly', async () => {
    const { db, repo } = await openFixture(V1);
    expect(db.version).toBe(DB_VERSION);
    const [meta] = await repo.listDatasets();
    const expected = fixtureRecords<DatasetMeta>('datasets').find((m) => m.id === 'ds-v1-ready');
    expect(meta).toEqual(expected);
    const chunks = fixtureRecords<ColumnChunk>('chunks').filter((c) => c.datasetId === 'ds-v1-ready');
    for (let column = 0; column < meta!.columns.length; column++) {
      const stored = await repo.readColumn(meta!.id, column);
      expect(stored).toEqual(chunks.filter((c) => c.column === column));
    }
    const x = await repo.readColumn(meta!.id, 0);
    expect(x[0]?.data).toBeInstanceOf(Float64Array);
    expect(x[0]?.data[0]).toBe(0.1 + 0.2);
    expect(x[1]?.data[0]).toBe(2 ** 53 - 1);
    expect(Array.from(x[1]!.validity)).toEqual([0b01]);
    expect((await repo.readChunk(meta!.id, 2, 0))?.data).toBeInstanceOf(Int32Array);
    expect((await repo.readChunk(meta!.id, 3, 0))?.data).toEqual(['a, "quoted"', '', 'é✓']);
    db.close();
  });

  it('sweeps the crashed import found in the v1 fixture and keeps the ready one', async () => {
    const { db, repo } = await openFixture(V1);
    expect(await repo.sweepIncomplete()).toEqual(['ds-v1-crashed']);
    expect(await db.countFromIndex('chunks', 'by-dataset', 'ds-v1-crashed')).toBe(0);
    expect(await db.countFromIndex('chunks', 'by-dataset', 'ds-v1-ready')).toBe(8);
    db.close();
  });

  it('keeps the v1 fixture’s persist-requested flag, so persist() is not asked again', async () => {
    const { db } = await openFixture(V1);
    const storage = { persist: vi.fn(() => Promise.resolve(true)), persisted: () => Promise.resolve(true) };
    expect(await ensurePersistenceRequested(db, storage)).toBe('granted');
    expect(storage.persist).not.toHaveBeenCalled();
    db.close();
  });

  it('upgrading the v1 fixture gives the same schema as a fresh install', async () => {
    const { db } = await openFixture(V1);
    const fresh = await openWorkbenchDb({ factory: new IDBFactory() });
    const [upgraded, installed] = await Promise.all([dumpDb(unwrap(db)), dumpDb(unwrap(fresh))]);
    expect(upgraded.version).toBe(installed.version);
    expect(schemaOf(upgraded)).toEqual(schemaOf(installed));
    db.close();
    fresh.close();
  });
});

const V2 = JSON.parse(
  readFileSync(new URL('../fixtures/db/workbench-v2.json', import.meta.url), 'utf8'),
) as DbDump;

describe('db: migrations from the released version 2', () => {
  it('the v2 fixture is a version-2 database with a ready and a crashed import and a run', () => {
    expect(V2.version).toBe(2);
    const metas = V2.stores['datasets']!.records.map((r) => decodeValue(r.value) as DatasetMeta);
    expect(metas.map((m) => [m.id, m.status])).toEqual([
      ['ds-v1-crashed', 'importing'],
      ['ds-v1-ready', 'ready'],
    ]);
    expect(V2.stores['runs']!.records).toHaveLength(1);
    expect(V2.stores['projects']).toBeUndefined();
  });

  it('opens the v2 fixture and reads its dataset, run and weights back exactly', async () => {
    const { db, repo } = await openFixture(V2);
    expect(db.version).toBe(DB_VERSION);
    const [meta] = await repo.listDatasets();
    expect(meta).toEqual(V2.stores['datasets']!.records.map((r) => decodeValue(r.value)).at(1));
    const x = await repo.readColumn(meta!.id, 0);
    expect(x[0]?.data[0]).toBe(0.1 + 0.2);
    expect(await db.getAll('runs')).toEqual(V2.stores['runs']!.records.map((r) => decodeValue(r.value)));
    expect((await db.get('weights', 'run-v2'))?.tensors[0]?.data).toEqual(new Float64Array([0.25, -0.5]));
    expect(await db.count('projects')).toBe(0);
    expect(await db.count('inferLog')).toBe(0);
    db.close();
  });

  it('sweeps the crashed import found in the v2 fixture and keeps the ready one', async () => {
    const { db, repo } = await openFixture(V2);
    expect(await repo.sweepIncomplete()).toEqual(['ds-v1-crashed']);
    expect(await db.countFromIndex('chunks', 'by-dataset', 'ds-v1-ready')).toBe(8);
    db.close();
  });

  it('keeps the v2 fixture’s persist-requested flag, so persist() is not asked again', async () => {
    const { db } = await openFixture(V2);
    const storage = { persist: vi.fn(() => Promise.resolve(true)), persisted: () => Promise.resolve(true) };
    expect(await ensurePersistenceRequested(db, storage)).toBe('granted');
    expect(storage.persist).not.toHaveBeenCalled();
    db.close();
  });

  it('upgrading the v2 fixture gives the same schema as a fresh install', async () => {
    const { db } = await openFixture(V2);
    const fresh = await openWorkbenchDb({ factory: new IDBFactory() });
    const [upgraded, installed] = await Promise.all([dumpDb(unwrap(db)), dumpDb(unwrap(fresh))]);
    expect(upgraded.version).toBe(installed.version);
    expect(schemaOf(upgraded)).toEqual(schemaOf(installed));
    expect(Object.keys(schemaOf(upgraded))).toContain('projects');
    expect(Object.keys(schemaOf(upgraded))).toContain('inferLog');
    db.close();
    fresh.close();
  });
});
