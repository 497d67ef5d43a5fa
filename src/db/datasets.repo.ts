import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { ColumnChunk, DatasetMeta } from '../engine/data/dataset';
import type { ColumnStats } from '../engine/data/runningStat';
import { WorkbenchError } from '../lib/errors';
import { storageError } from './errors';
import type { WorkbenchDB, WorkbenchStore } from './schema';

type WriteTx<S extends readonly WorkbenchStore[]> = IDBPTransaction<WorkbenchDB, S, 'readwrite'>;
type DatasetTx = WriteTx<['datasets', 'chunks']>;

const DATA_STORES: ['datasets', 'chunks'] = ['datasets', 'chunks'];

/** Every chunk key of one dataset: arrays sort after numbers, so [id, []] bounds [id, column, index]. */
function datasetChunks(id: string): IDBKeyRange {
  return IDBKeyRange.bound([id], [id, []]);
}

function columnChunks(id: string, column: number): IDBKeyRange {
  return IDBKeyRange.bound([id, column], [id, column, []]);
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted: nothing left to undo.
  }
}

/** Deletes one dataset's record and chunks inside an open transaction. */
async function deleteIn(tx: DatasetTx, id: string): Promise<void> {
  await Promise.all([
    tx.objectStore('datasets').delete(id),
    tx.objectStore('chunks').delete(datasetChunks(id)),
  ]);
}

/**
 * Datasets and their column chunks in IndexedDB. A write resolves only once its transaction has completed
 * (R8); failures reject with a WorkbenchError (QUOTA_EXCEEDED, STORAGE_UNAVAILABLE or INTERNAL).
 * An import is 'importing' until commitImport, so a crash or a failed write never leaves a listed dataset.
 */
export class DatasetRepo {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /** Records a new import as 'importing': never listed, swept if it is never committed. */
  beginImport(meta: DatasetMeta): Promise<void> {
    return this.write(`the import of “${meta.name}”`, ['datasets'], async (tx) => {
      await tx.objectStore('datasets').put({ ...meta, status: 'importing' });
    });
  }

  /** Writes chunks of importing datasets in one transaction; rejects if an import was aborted or swept. */
  putChunks(chunks: readonly ColumnChunk[]): Promise<void> {
    if (chunks.length === 0) return Promise.resolve();
    const ids = [...new Set(chunks.map((c) => c.datasetId))];
    let what = `${chunks.length} chunk(s) of dataset ${ids.join(', ')}`;
    return this.write(
      () => what,
      DATA_STORES,
      async (tx) => {
        const metas = await Promise.all(ids.map((id) => tx.objectStore('datasets').get(id)));
        metas.forEach((m, i) => {
          if (m?.status !== 'importing') throw notImporting(ids[i]!, m);
        });
        what = `part of “${metas.map((m) => m!.name).join('”, “')}”`;
        const store = tx.objectStore('chunks');
        await Promise.all(chunks.map((c) => store.put(c)));
      },
    );
  }

  /** Marks an import 'ready' with its final metadata, once every chunk is stored; then it is listed. */
  commitImport(meta: DatasetMeta): Promise<void> {
    return this.write(`“${meta.name}”`, DATA_STORES, async (tx) => {
      const current = await tx.objectStore('datasets').get(meta.id);
      if (current === undefined) throw notImporting(meta.id, current);
      const expected = meta.columns.length * meta.chunkCount;
      const stored = await tx.objectStore('chunks').count(datasetChunks(meta.id));
      if (stored !== expected) {
        throw new WorkbenchError(
          'INTERNAL',
          `The import of “${meta.name}” is incomplete: ${stored} of ${expected} chunks were stored.`,
        );
      }
      await tx.objectStore('datasets').put({ ...meta, status: 'ready' });
    });
  }

  /** Drops an unfinished import: its record and every chunk written so far, in one transaction. */
  abortImport(id: string): Promise<void> {
    return this.deleteDataset(id);
  }

  /** Deletes a dataset's record and all its chunks in one transaction; a missing id is not an error. */
  deleteDataset(id: string): Promise<void> {
    return this.write(`the deletion of dataset ${id}`, DATA_STORES, (tx) => deleteIn(tx, id));
  }

  /** Deletes every dataset still 'importing' (a crashed or cancelled import) and returns their ids. */
  sweepIncomplete(): Promise<string[]> {
    return this.write('the cleanup of unfinished imports', DATA_STORES, async (tx) => {
      const ids = await tx.objectStore('datasets').index('by-status').getAllKeys('importing');
      await Promise.all(ids.map((id) => deleteIn(tx, id)));
      return ids;
    });
  }

  /** Datasets ready to use (never unfinished imports), newest first. */
  async listDatasets(): Promise<DatasetMeta[]> {
    const all = await this.read('the list of datasets', () =>
      this.db.getAllFromIndex('datasets', 'by-status', 'ready'),
    );
    return all.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One dataset's metadata, whatever its status; undefined if absent. */
  getDataset(id: string): Promise<DatasetMeta | undefined> {
    return this.read(`dataset ${id}`, () => this.db.get('datasets', id));
  }

  /** Renames a dataset; the name is trimmed and must not be empty. */
  renameDataset(id: string, name: string): Promise<DatasetMeta> {
    const trimmed = name.trim();
    if (trimmed === '') return Promise.reject(new WorkbenchError('INVALID_INPUT', 'A dataset needs a name.'));
    return this.update(id, 'the new name', (m) => ({ ...m, name: trimmed }));
  }

  /** Stores per-column statistics (or clears them with null). */
  updateStats(id: string, stats: readonly ColumnStats[] | null): Promise<DatasetMeta> {
    return this.update(id, 'the statistics', (m) => ({ ...m, stats }));
  }

  /** Sets the column a model learns to predict (null: none); it must be one of the dataset's columns. */
  setTarget(id: string, column: string | null): Promise<DatasetMeta> {
    return this.update(id, 'the target column', (m) => {
      if (column !== null && !m.columns.some((c) => c.name === column)) {
        throw new WorkbenchError('INVALID_INPUT', `“${m.name}” has no column named “${column}”.`);
      }
      return { ...m, target: column };
    });
  }

  /** One stored chunk; undefined if absent. */
  readChunk(id: string, column: number, index: number): Promise<ColumnChunk | undefined> {
    return this.read(`chunk ${index} of column ${column}`, () => this.db.get('chunks', [id, column, index]));
  }

  /** All chunks of one column, in index order (the key order). */
  readColumn(id: string, column: number): Promise<ColumnChunk[]> {
    return this.read(`column ${column}`, () => this.db.getAll('chunks', columnChunks(id, column)));
  }

  /** Read-modify-write of one dataset record inside one readwrite transaction. */
  private update(id: string, what: string, change: (m: DatasetMeta) => DatasetMeta): Promise<DatasetMeta> {
    return this.write(what, ['datasets'], async (tx) => {
      const store = tx.objectStore('datasets');
      const current = await store.get(id);
      if (current?.status !== 'ready') {
        throw new WorkbenchError('INVALID_INPUT', `Dataset ${id} does not exist (it may have been deleted).`);
      }
      const next = change(current);
      await store.put(next);
      return next;
    });
  }

  /** Runs `body` in one readwrite transaction; resolves with its result once the transaction completes. */
  private async write<S extends readonly WorkbenchStore[], T>(
    what: string | (() => string),
    stores: S,
    body: (tx: WriteTx<S>) => Promise<T>,
  ): Promise<T> {
    let tx: WriteTx<S> | undefined;
    try {
      const t = this.db.transaction(stores, 'readwrite');
      tx = t;
      const run = body(t).catch((e: unknown) => {
        abortQuietly(t);
        throw e;
      });
      const [result] = await Promise.all([run, t.done]);
      return result;
    } catch (e) {
      throw storageError(e, tx?.error ?? null, typeof what === 'string' ? what : what());
    }
  }

  private async read<T>(what: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      throw storageError(e, null, what, 'read');
    }
  }
}

function notImporting(id: string, meta: DatasetMeta | undefined): WorkbenchError {
  return meta === undefined
    ? new WorkbenchError('CANCELLED', `The import of dataset ${id} was cancelled before it was saved.`)
    : new WorkbenchError('INVALID_INPUT', `“${meta.name}” is already saved; its data cannot be replaced.`);
}
