import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import type * as Migrations from '../../src/db/migrations';
import { openWorkbenchDb } from '../../src/db/open';
import type * as Schema from '../../src/db/schema';
import { databaseVersions, loadDump, openRaw, type DbDump } from '../fixtures/db/fixtureDb';

// Pretends the app has moved on to a schema v3, whose step either throws or adds a store.
const v3 = vi.hoisted(() => ({ fail: false }));

vi.mock('../../src/db/schema', async (importOriginal) => ({
  ...(await importOriginal<typeof Schema>()),
  DB_VERSION: 3,
}));

vi.mock('../../src/db/migrations', async (importOriginal) => {
  const real = await importOriginal<typeof Migrations>();
  const upgrade: typeof real.upgrade = (db, oldVersion, newVersion, tx) => {
    real.upgrade(db, oldVersion, newVersion, tx);
    if (oldVersion < 3) {
      (db as unknown as IDBDatabase).createObjectStore('v3-extra');
      if (v3.fail) throw new Error('bug in the v3 step');
    }
  };
  return { ...real, upgrade };
});

const V1 = JSON.parse(
  readFileSync(new URL('../fixtures/db/workbench-v1.json', import.meta.url), 'utf8'),
) as DbDump;

describe('db: upgrades to a new schema version', () => {
  it('a throwing upgrade fails the open with STORAGE_UNAVAILABLE and leaves v1 and its data intact', async () => {
    const factory = new IDBFactory();
    await loadDump(factory, 'workbench', V1);
    v3.fail = true;
    const e = await openWorkbenchDb({ factory }).catch((x: unknown) => x);
    v3.fail = false;
    expect(e).toMatchObject({ name: 'WorkbenchError', code: 'STORAGE_UNAVAILABLE' });
    expect((e as { details: string[] }).details).toContain('Error: bug in the v3 step');
    expect(await databaseVersions(factory)).toEqual({ workbench: 1 });
    const raw = await openRaw(factory, 'workbench');
    expect(Array.from(raw.objectStoreNames)).not.toContain('v3-extra');
    raw.close();
    // Once the step is fixed, the same database upgrades and its data is all there.
    const db = await openWorkbenchDb({ factory });
    expect(db.version).toBe(3);
    expect((await new DatasetRepo(db).listDatasets()).map((d) => d.id)).toEqual(['ds-v1-ready']);
    db.close();
  });

  it('a throwing upgrade of a fresh install leaves no database behind', async () => {
    const factory = new IDBFactory();
    v3.fail = true;
    await expect(openWorkbenchDb({ factory })).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    v3.fail = false;
    expect(await databaseVersions(factory)).toEqual({});
  });

  it('calls onBlocked while an old tab keeps v1 open, and upgrades once that tab closes', async () => {
    const factory = new IDBFactory();
    await loadDump(factory, 'workbench', V1);
    const oldTab = await openRaw(factory, 'workbench'); // an old version that ignores versionchange
    let opened = false;
    const onBlocked = vi.fn();
    const opening = openWorkbenchDb({ factory, onBlocked }).then((db) => {
      opened = true;
      return db;
    });
    await vi.waitFor(() => expect(onBlocked).toHaveBeenCalledOnce());
    expect(opened).toBe(false);
    oldTab.close();
    const db = await opening;
    expect(db.version).toBe(3);
    expect(Array.from(db.objectStoreNames)).toContain('v3-extra');
    db.close();
  });
});
