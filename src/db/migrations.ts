import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { WorkbenchDB } from './schema';

/** The versionchange transaction idb hands to an upgrade. */
export type UpgradeTransaction = IDBPTransaction<WorkbenchDB, StoreNames<WorkbenchDB>[], 'versionchange'>;

/**
 * Brings a database from `oldVersion` to `newVersion`, one released step at a time. A step, once released,
 * never changes: test/fixtures/db/workbench-v<N>.json holds what it produced, and a test opens that fixture.
 * Steps must stay synchronous (or only await requests on `tx`), or the transaction commits under them.
 */
export function upgrade(
  db: IDBPDatabase<WorkbenchDB>,
  oldVersion: number,
  newVersion: number | null,
  tx: UpgradeTransaction,
): void {
  // Later steps read `tx` (stores created earlier) and may log `newVersion`; v1 needs neither.
  void newVersion;
  void tx;
  if (oldVersion < 1) {
    const datasets = db.createObjectStore('datasets', { keyPath: 'id' });
    datasets.createIndex('by-status', 'status');
    const chunks = db.createObjectStore('chunks', { keyPath: ['datasetId', 'column', 'index'] });
    chunks.createIndex('by-dataset', 'datasetId');
    db.createObjectStore('meta');
  }
  if (oldVersion < 2) {
    const runs = db.createObjectStore('runs', { keyPath: 'id' });
    runs.createIndex('by-created', 'createdAt');
    db.createObjectStore('weights', { keyPath: 'runId' });
    db.createObjectStore('checkpoints', { keyPath: 'runId' });
    const models = db.createObjectStore('models', { keyPath: 'id' });
    models.createIndex('by-created', 'createdAt');
    db.createObjectStore('modelBytes', { keyPath: 'modelId' });
  }
  if (oldVersion < 3) {
    const projects = db.createObjectStore('projects', { keyPath: 'id' });
    projects.createIndex('by-updated', 'updatedAt');
    db.createObjectStore('inferLog', { keyPath: 'modelId' });
  }
  // Next: `if (oldVersion < 4) { ... }`, using `tx.objectStore(...)` to reach stores created earlier.
}
