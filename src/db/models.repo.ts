import type { IDBPDatabase } from 'idb';
import type { ModelMeta } from '../engine/deploy/inspect';
import { storageError } from './errors';
import type { WorkbenchDB } from './schema';

/**
 * Imported ONNX models: the record (name, size, inspection) in `models` and the file's bytes in `modelBytes`,
 * written in one transaction, so a listed model always has its bytes. Failures reject with a WorkbenchError
 * (QUOTA_EXCEEDED, STORAGE_UNAVAILABLE...).
 */
export class ModelRepo {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /** Stores a model with its bytes, all or nothing. */
  async putModel(meta: ModelMeta, data: Uint8Array): Promise<void> {
    const tx = this.db.transaction(['models', 'modelBytes'], 'readwrite');
    try {
      await Promise.all([
        tx.objectStore('models').put(meta),
        tx.objectStore('modelBytes').put({ modelId: meta.id, data }),
        tx.done,
      ]);
    } catch (e) {
      throw storageError(e, tx.error, `the model “${meta.name}”`);
    }
  }

  /** Models, newest first. */
  async listModels(): Promise<ModelMeta[]> {
    try {
      return (await this.db.getAllFromIndex('models', 'by-created')).reverse();
    } catch (e) {
      throw storageError(e, null, 'the list of models', 'read');
    }
  }

  async getBytes(id: string): Promise<Uint8Array | undefined> {
    try {
      return (await this.db.get('modelBytes', id))?.data;
    } catch (e) {
      throw storageError(e, null, `the bytes of model ${id}`, 'read');
    }
  }

  /** Deletes a model and its bytes; a missing id is not an error. */
  async deleteModel(id: string): Promise<void> {
    const tx = this.db.transaction(['models', 'modelBytes'], 'readwrite');
    try {
      await Promise.all([
        tx.objectStore('models').delete(id),
        tx.objectStore('modelBytes').delete(id),
        tx.done,
      ]);
    } catch (e) {
      throw storageError(e, tx.error, `the deletion of model ${id}`);
    }
  }
}
