import type { IDBPDatabase } from 'idb';
import { storageError } from './errors';
import { META_PERSIST_REQUESTED, type WorkbenchDB } from './schema';

/** The parts of navigator.storage used here; injectable for tests. */
export type StorageLike = Partial<Pick<StorageManager, 'estimate' | 'persist' | 'persisted'>>;

/** Whether the browser promised not to evict the workbench's storage. */
export type PersistenceStatus = 'granted' | 'denied' | 'unsupported';

/** What the `meta` store records once persistence was asked for. */
export interface PersistRequestRecord {
  readonly at: number;
  readonly status: PersistenceStatus;
}

/** navigator.storage where it exists (window, worker); undefined in Node or old browsers. */
function defaultStorage(): StorageLike | undefined {
  return (globalThis as { navigator?: { storage?: StorageLike } }).navigator?.storage;
}

/** Bytes used and available to this origin, or null where the browser cannot say. */
export async function storageEstimate(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<{ usage: number; quota: number } | null> {
  if (storage?.estimate === undefined) return null;
  try {
    const { usage, quota } = await storage.estimate();
    return usage === undefined || quota === undefined ? null : { usage, quota };
  } catch {
    return null;
  }
}

/**
 * Asks the browser to keep this origin's data from eviction (R10). persist() exists only on windows, so a
 * worker gets 'unsupported'; some browsers decide silently (Chrome) or prompt (Firefox).
 */
export async function requestPersistence(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<PersistenceStatus> {
  if (storage?.persist === undefined) return 'unsupported';
  try {
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

/** Current persistence without asking the user; 'unsupported' where the browser cannot say. */
export async function persistenceStatus(
  storage: StorageLike | undefined = defaultStorage(),
): Promise<PersistenceStatus> {
  if (storage?.persisted === undefined) return 'unsupported';
  try {
    return (await storage.persisted()) ? 'granted' : 'denied';
  } catch {
    return 'unsupported';
  }
}

/**
 * Asks for persistent storage the first time only, recording that in the `meta` store; later calls just
 * report navigator.storage.persisted(). Where persist() is missing nothing is recorded, so a window can ask.
 */
export async function ensurePersistenceRequested(
  db: IDBPDatabase<WorkbenchDB>,
  storage: StorageLike | undefined = defaultStorage(),
): Promise<PersistenceStatus> {
  if (storage?.persist === undefined) return persistenceStatus(storage);
  let asked: unknown;
  try {
    asked = await db.get('meta', META_PERSIST_REQUESTED);
  } catch (e) {
    throw storageError(e, null, 'the storage settings', 'read');
  }
  if (asked !== undefined) return persistenceStatus(storage);
  const status = await requestPersistence(storage);
  const record: PersistRequestRecord = { at: Date.now(), status };
  try {
    await db.put('meta', record, META_PERSIST_REQUESTED);
  } catch (e) {
    throw storageError(e, null, 'the storage settings', 'save');
  }
  return status;
}
