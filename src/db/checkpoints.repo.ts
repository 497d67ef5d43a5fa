import type { IDBPDatabase } from 'idb';
import type { Checkpoint, CheckpointSink } from '../engine/train/train';
import { storageError } from './errors';
import type { WorkbenchDB } from './schema';

/**
 * Checkpoints of runs under way, one per run (keyed by runId): each epoch's put replaces the previous one in
 * a single transaction, so a reload finds either the old checkpoint or the new one, never a mix. Failures
 * reject with a WorkbenchError (QUOTA_EXCEEDED, STORAGE_UNAVAILABLE...).
 */
export class CheckpointRepo implements CheckpointSink {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /** Writes (replaces) a run's checkpoint, all or nothing. */
  async save(checkpoint: Checkpoint): Promise<void> {
    const tx = this.db.transaction('checkpoints', 'readwrite');
    try {
      await Promise.all([tx.store.put(checkpoint), tx.done]);
    } catch (e) {
      throw storageError(e, tx.error, `the checkpoint of “${checkpoint.name}”`);
    }
  }

  async get(runId: string): Promise<Checkpoint | undefined> {
    try {
      return await this.db.get('checkpoints', runId);
    } catch (e) {
      throw storageError(e, null, `the checkpoint of run ${runId}`, 'read');
    }
  }

  /** Every checkpoint, oldest save first. */
  async list(): Promise<Checkpoint[]> {
    try {
      return (await this.db.getAll('checkpoints')).sort((a, b) => a.savedAt - b.savedAt);
    } catch (e) {
      throw storageError(e, null, 'the interrupted runs', 'read');
    }
  }

  /** Deletes a run's checkpoint; a missing one is not an error. */
  async delete(runId: string): Promise<void> {
    try {
      await this.db.delete('checkpoints', runId);
    } catch (e) {
      throw storageError(e, null, `the deletion of the checkpoint of run ${runId}`);
    }
  }
}
