import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { openWorkbenchDb } from '../../src/db/open';
import { META_PERSIST_REQUESTED } from '../../src/db/schema';
import {
  ensurePersistenceRequested,
  persistenceStatus,
  requestPersistence,
  storageEstimate,
  type StorageLike,
} from '../../src/db/storage';

/** A navigator.storage stand-in whose persist() answers `grant` and remembers it. */
function fakeStorage(grant: boolean) {
  let persisted = false;
  return {
    estimate: vi.fn(() => Promise.resolve({ usage: 1234, quota: 1e9 })),
    persist: vi.fn(() => {
      persisted = grant;
      return Promise.resolve(grant);
    }),
    persisted: vi.fn(() => Promise.resolve(persisted)),
  } satisfies StorageLike;
}

describe('db: storage estimate and persistence', () => {
  it('reports nothing in Node, where there is no navigator.storage', async () => {
    expect(typeof navigator === 'undefined' || navigator.storage === undefined).toBe(true);
    expect(await storageEstimate()).toBeNull();
    expect(await requestPersistence()).toBe('unsupported');
    expect(await persistenceStatus()).toBe('unsupported');
  });

  it('storageEstimate returns usage and quota, or null when the browser cannot say', async () => {
    expect(await storageEstimate(fakeStorage(true))).toEqual({ usage: 1234, quota: 1e9 });
    expect(await storageEstimate({ estimate: () => Promise.resolve({}) })).toBeNull();
    expect(await storageEstimate({ estimate: () => Promise.reject(new Error('no')) })).toBeNull();
  });

  it('requestPersistence maps the browser’s answer to granted or denied', async () => {
    expect(await requestPersistence(fakeStorage(true))).toBe('granted');
    expect(await requestPersistence(fakeStorage(false))).toBe('denied');
  });

  it('ensurePersistenceRequested calls persist() only the first time, then reports persisted()', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const storage = fakeStorage(true);
    expect(await ensurePersistenceRequested(db, storage)).toBe('granted');
    expect(await ensurePersistenceRequested(db, storage)).toBe('granted');
    expect(storage.persist).toHaveBeenCalledOnce();
    expect(storage.persisted).toHaveBeenCalledOnce();
    expect(await db.get('meta', META_PERSIST_REQUESTED)).toMatchObject({ status: 'granted' });
    db.close();
  });

  it('ensurePersistenceRequested remembers a denial and does not ask again', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const storage = fakeStorage(false);
    expect(await ensurePersistenceRequested(db, storage)).toBe('denied');
    expect(await ensurePersistenceRequested(db, storage)).toBe('denied');
    expect(storage.persist).toHaveBeenCalledOnce();
    db.close();
  });

  it('ensurePersistenceRequested in a worker (no persist()) records nothing, so a window can still ask', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const worker = { persisted: () => Promise.resolve(false) };
    expect(await ensurePersistenceRequested(db, worker)).toBe('denied');
    expect(await ensurePersistenceRequested(db, undefined)).toBe('unsupported');
    expect(await db.get('meta', META_PERSIST_REQUESTED)).toBeUndefined();
    db.close();
  });
});
