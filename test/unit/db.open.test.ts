import 'fake-indexeddb/auto';
import { forceCloseDatabase, IDBFactory } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { deleteWorkbenchDb, openWorkbenchDb } from '../../src/db/open';
import { DB_VERSION } from '../../src/db/schema';
import { USER_MESSAGES } from '../../src/lib/errors';
import { databaseVersions } from '../fixtures/db/fixtureDb';
import { importSample } from '../fixtures/db/samples';

/** Opens `name` at `version` with the raw API, as another tab running another version would. */
function openOtherTab(factory: IDBFactory, name: string, version: number) {
  const events: string[] = [];
  const request = factory.open(name, version);
  request.onblocked = () => events.push('blocked');
  const opened = new Promise<IDBDatabase>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  return { events, opened };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('db: opening the workbench database', () => {
  it('creates the v1 and v2 stores and indexes on a fresh database', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    expect(db.name).toBe('workbench');
    expect(db.version).toBe(DB_VERSION);
    expect(Array.from(db.objectStoreNames).sort()).toEqual([
      'checkpoints',
      'chunks',
      'datasets',
      'inferLog',
      'meta',
      'modelBytes',
      'models',
      'projects',
      'runs',
      'weights',
    ]);
    const tx = db.transaction([
      'datasets',
      'chunks',
      'runs',
      'weights',
      'checkpoints',
      'models',
      'modelBytes',
    ]);
    expect(tx.objectStore('models').keyPath).toBe('id');
    expect(Array.from(tx.objectStore('models').indexNames)).toEqual(['by-created']);
    expect(tx.objectStore('modelBytes').keyPath).toBe('modelId');
    expect(tx.objectStore('checkpoints').keyPath).toBe('runId');
    expect(tx.objectStore('runs').keyPath).toBe('id');
    expect(Array.from(tx.objectStore('runs').indexNames)).toEqual(['by-created']);
    expect(tx.objectStore('weights').keyPath).toBe('runId');
    expect(tx.objectStore('datasets').keyPath).toBe('id');
    expect(Array.from(tx.objectStore('datasets').indexNames)).toEqual(['by-status']);
    expect(tx.objectStore('chunks').keyPath).toEqual(['datasetId', 'column', 'index']);
    expect(Array.from(tx.objectStore('chunks').indexNames)).toEqual(['by-dataset']);
    db.close();
  });

  it('closes itself and calls onVersionChange when another tab upgrades, so that upgrade is not blocked', async () => {
    const factory = new IDBFactory();
    const onVersionChange = vi.fn();
    const db = await openWorkbenchDb({ factory, name: 'tabs', onVersionChange });
    const other = openOtherTab(factory, 'tabs', DB_VERSION + 1);
    const upgraded = await other.opened;
    expect(onVersionChange).toHaveBeenCalledOnce();
    expect(other.events).toEqual([]);
    expect(upgraded.version).toBe(DB_VERSION + 1);
    upgraded.close();
    void db;
  });

  it('writes on a connection closed for another tab’s upgrade reject with STORAGE_UNAVAILABLE', async () => {
    const factory = new IDBFactory();
    const db = await openWorkbenchDb({ factory, name: 'tabs' });
    const other = openOtherTab(factory, 'tabs', DB_VERSION + 1);
    (await other.opened).close();
    await expect(importSample(new DatasetRepo(db), 'late')).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining('Reload this tab') as unknown,
    });
  });

  it('calls onTerminated when the browser closes the connection abnormally', async () => {
    const onTerminated = vi.fn();
    const db = await openWorkbenchDb({ factory: new IDBFactory(), onTerminated });
    // fake-indexeddb types the parameter as the class, not an instance.
    forceCloseDatabase(unwrap(db) as unknown as Parameters<typeof forceCloseDatabase>[0]);
    expect(onTerminated).toHaveBeenCalledOnce();
  });

  it('rejects with STORAGE_UNAVAILABLE when a newer version already upgraded the database (VersionError)', async () => {
    const factory = new IDBFactory();
    (await openOtherTab(factory, 'workbench', DB_VERSION + 1).opened).close();
    const e = await openWorkbenchDb({ factory }).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'WorkbenchError', code: 'STORAGE_UNAVAILABLE' });
    expect((e as Error).message).toContain('newer version');
    expect((e as { details: string[] }).details[1]).toMatch(/^VersionError/);
    expect(await databaseVersions(factory)).toEqual({ workbench: DB_VERSION + 1 });
  });

  it('rejects with STORAGE_UNAVAILABLE when the backing store cannot be opened', async () => {
    const broken = {
      open() {
        throw new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError');
      },
    } as unknown as IDBFactory;
    await expect(openWorkbenchDb({ factory: broken })).rejects.toMatchObject({
      code: 'STORAGE_UNAVAILABLE',
      message: expect.stringContaining('Internal error opening backing store') as unknown,
    });
  });

  it('rejects with STORAGE_UNAVAILABLE where there is no IndexedDB at all', async () => {
    vi.stubGlobal('indexedDB', undefined);
    await expect(openWorkbenchDb()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('STORAGE_UNAVAILABLE tells the user how to recover', () => {
    expect(USER_MESSAGES.STORAGE_UNAVAILABLE).toBe(
      'Browser storage could not be opened. Export what can be read, or reset the workbench’s storage.',
    );
  });

  it('deleteWorkbenchDb removes the database once its connections close', async () => {
    const factory = new IDBFactory();
    const onVersionChange = vi.fn();
    await openWorkbenchDb({ factory, onVersionChange });
    await deleteWorkbenchDb({ factory });
    expect(onVersionChange).toHaveBeenCalledOnce();
    expect(await databaseVersions(factory)).toEqual({});
  });
});
