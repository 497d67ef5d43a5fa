import { wrap, type IDBPDatabase } from 'idb';
import { WorkbenchError } from '../lib/errors';
import { describeError } from './errors';
import { upgrade, type UpgradeTransaction } from './migrations';
import { DB_NAME, DB_VERSION, type WorkbenchDB } from './schema';

/** Where to open the database and whom to tell about other tabs and abnormal closes. */
export interface OpenWorkbenchDbOptions {
  /** The IndexedDB factory; defaults to the global one (window or worker). idb's wrappers need its globals. */
  readonly factory?: IDBFactory;
  /** Database name; defaults to 'workbench'. */
  readonly name?: string;
  /** An older connection (another tab) holds the database open, so this upgrade waits until it closes. */
  onBlocked?(): void;
  /** A newer version (another tab) wants to upgrade: this connection has been closed; ask the user to reload. */
  onVersionChange?(): void;
  /** The browser closed the connection abnormally (storage cleared, disk failure). */
  onTerminated?(): void;
}

function globalFactory(): IDBFactory | undefined {
  return (globalThis as { indexedDB?: IDBFactory }).indexedDB;
}

function unavailable(name: string, cause: unknown): WorkbenchError {
  const detail = describeError(cause);
  const kind = typeof cause === 'object' && cause !== null && 'name' in cause ? String(cause.name) : '';
  const message =
    kind === 'VersionError'
      ? 'Storage was upgraded by a newer version of the workbench (another tab?); reload this tab.'
      : `Browser storage could not be opened (${detail}).`;
  return new WorkbenchError('STORAGE_UNAVAILABLE', message, [`database "${name}"`, detail]);
}

/**
 * Opens (creating or upgrading) the workbench database. Works in a window, a worker and Node with
 * fake-indexeddb. Any failure to open rejects with a WorkbenchError coded STORAGE_UNAVAILABLE (R13).
 */
export function openWorkbenchDb(options: OpenWorkbenchDbOptions = {}): Promise<IDBPDatabase<WorkbenchDB>> {
  const name = options.name ?? DB_NAME;
  const factory = options.factory ?? globalFactory();
  if (factory === undefined) {
    return Promise.reject(unavailable(name, new Error('IndexedDB is not available here')));
  }
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      // idb's openDB always uses the global indexedDB; this is openDB over an injectable factory.
      request = factory.open(name, DB_VERSION);
    } catch (e) {
      reject(unavailable(name, e));
      return;
    }
    let upgradeError: unknown = null;
    request.addEventListener('upgradeneeded', (event) => {
      const tx = request.transaction!;
      const wrappedTx = wrap(tx) as unknown as UpgradeTransaction;
      // An aborted upgrade is reported by the open request; this keeps tx.done from an unhandled rejection.
      wrappedTx.done.catch(() => undefined);
      try {
        const db = wrap(request.result) as unknown as IDBPDatabase<WorkbenchDB>;
        upgrade(db, event.oldVersion, event.newVersion, wrappedTx);
      } catch (e) {
        // Abort explicitly: the version stays where it was and the open fails with our cause.
        upgradeError = e;
        tx.abort();
      }
    });
    request.addEventListener('blocked', () => options.onBlocked?.());
    request.addEventListener('error', (event) => {
      event.preventDefault();
      const cause = upgradeError === null ? request.error : upgradeError;
      reject(unavailable(name, cause));
    });
    request.addEventListener('success', () => {
      const raw = request.result;
      // Attached before anyone can use the connection, so no versionchange is missed (R12).
      raw.addEventListener('versionchange', () => {
        raw.close();
        options.onVersionChange?.();
      });
      raw.addEventListener('close', () => options.onTerminated?.());
      resolve(wrap(raw) as unknown as IDBPDatabase<WorkbenchDB>);
    });
  });
}

/** Deletes the whole workbench database (the recovery screen's "reset storage"); waits while other tabs hold it. */
export function deleteWorkbenchDb(
  options: Pick<OpenWorkbenchDbOptions, 'factory' | 'name' | 'onBlocked'> = {},
): Promise<void> {
  const name = options.name ?? DB_NAME;
  const factory = options.factory ?? globalFactory();
  if (factory === undefined) {
    return Promise.reject(unavailable(name, new Error('IndexedDB is not available here')));
  }
  return new Promise((resolve, reject) => {
    try {
      const request = factory.deleteDatabase(name);
      request.addEventListener('blocked', () => options.onBlocked?.());
      request.addEventListener('error', () => reject(unavailable(name, request.error)));
      request.addEventListener('success', () => resolve());
    } catch (e) {
      reject(unavailable(name, e));
    }
  });
}
