import type { IDBPDatabase } from 'idb';
import type { CellResult } from '../engine/project/results';
import { storageError } from './errors';
import type { WorkbenchDB } from './schema';

/** What the notebook keeps besides the document: drafts as typed (even invalid) and each cell's last result. */
export interface ProjectCellState {
  /** Each cell's JSON text as the user left it (the document may not validate while being edited). */
  readonly drafts: readonly string[];
  /** By cell id: the last result and the signature of the document it ran from. */
  readonly results: Readonly<Record<string, { readonly result: CellResult; readonly signature: string }>>;
}

/** A stored project (v3). */
export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly updatedAt: number;
  /** The project document (JSON; the last version whose cells all parsed). */
  readonly project: Record<string, unknown>;
  readonly cellState: ProjectCellState;
  /** Files the user attached, by the path the project reads them under. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Notebook projects; failures reject with a WorkbenchError (QUOTA_EXCEEDED, STORAGE_UNAVAILABLE...). */
export class ProjectRepo {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /** Writes a project; resolves once its transaction has completed. */
  async put(record: ProjectRecord): Promise<void> {
    const tx = this.db.transaction('projects', 'readwrite');
    try {
      await Promise.all([tx.store.put(record), tx.done]);
    } catch (e) {
      throw storageError(e, tx.error, `the project “${record.name}”`);
    }
  }

  async get(id: string): Promise<ProjectRecord | undefined> {
    try {
      return await this.db.get('projects', id);
    } catch (e) {
      throw storageError(e, null, 'the project', 'read');
    }
  }

  /** Projects, most recently changed first. */
  async list(): Promise<ProjectRecord[]> {
    try {
      return (await this.db.getAllFromIndex('projects', 'by-updated')).reverse();
    } catch (e) {
      throw storageError(e, null, 'the list of projects', 'read');
    }
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction('projects', 'readwrite');
    try {
      await Promise.all([tx.store.delete(id), tx.done]);
    } catch (e) {
      throw storageError(e, tx.error, 'the project deletion');
    }
  }
}
