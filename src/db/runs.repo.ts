import type { IDBPDatabase } from 'idb';
import type { RunRecord } from '../engine/train/run';
import type { WeightTensor } from '../engine/train/train';
import { storageError } from './errors';
import type { WorkbenchDB } from './schema';

/**
 * Training runs and their weights. A run and its weights are written in one transaction, so a listed run
 * always has its weights; failures reject with a WorkbenchError (QUOTA_EXCEEDED, STORAGE_UNAVAILABLE...).
 */
export class RunRepo {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /** Stores a finished run with its weights, all or nothing. */
  async putRun(record: RunRecord, weights: readonly WeightTensor[]): Promise<void> {
    const tx = this.db.transaction(['runs', 'weights'], 'readwrite');
    try {
      await Promise.all([
        tx.objectStore('runs').put(record),
        tx.objectStore('weights').put({ runId: record.id, tensors: weights }),
        tx.done,
      ]);
    } catch (e) {
      throw storageError(e, tx.error, `the run “${record.name}”`);
    }
  }

  /** Runs, newest first. */
  async listRuns(): Promise<RunRecord[]> {
    try {
      return (await this.db.getAllFromIndex('runs', 'by-created')).reverse();
    } catch (e) {
      throw storageError(e, null, 'the list of runs', 'read');
    }
  }

  async getWeights(runId: string): Promise<readonly WeightTensor[] | undefined> {
    try {
      return (await this.db.get('weights', runId))?.tensors;
    } catch (e) {
      throw storageError(e, null, `the weights of run ${runId}`, 'read');
    }
  }

  /** Deletes a run and its weights; a missing id is not an error. */
  async deleteRun(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'weights'], 'readwrite');
    try {
      await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('weights').delete(id), tx.done]);
    } catch (e) {
      throw storageError(e, tx.error, `the deletion of run ${id}`);
    }
  }
}
