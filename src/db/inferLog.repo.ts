import type { IDBPDatabase } from 'idb';
import { addCounts, emptyLog, offerRows, type InferLogRecord } from '../engine/monitor/inputLog';
import { storageError } from './errors';
import type { WorkbenchDB } from './schema';

/** A log without its rows, for lists. */
export type InferLogSummary = Omit<InferLogRecord, 'rows'> & { readonly kept: number };

/**
 * Sampled inference inputs per model (`inferLog`, v3): one reservoir record per model, updated in one
 * read-modify-write transaction per batch. Failures reject with a WorkbenchError (QUOTA_EXCEEDED...).
 */
export class InferLogRepo {
  constructor(private readonly db: IDBPDatabase<WorkbenchDB>) {}

  /**
   * Adds rows (row-major, `features` wide) to a model's log. A log whose features differ (another column
   * mapping) is started afresh, so one log never mixes columns.
   */
  async append(
    modelId: string,
    modelName: string,
    runId: string | null,
    features: readonly string[],
    values: Float32Array,
    count: number,
    labelCounts?: Readonly<Record<string, number>>,
  ): Promise<InferLogSummary> {
    const tx = this.db.transaction('inferLog', 'readwrite');
    try {
      const store = tx.objectStore('inferLog');
      const old = await store.get(modelId);
      const same = old !== undefined && old.features.join('\u0000') === features.join('\u0000');
      const base = same ? { ...old, modelName, runId } : emptyLog(modelId, modelName, runId, features);
      const offered = offerRows(base, values, count);
      const next =
        labelCounts === undefined
          ? offered
          : { ...offered, predictions: addCounts(offered.predictions, labelCounts) };
      await Promise.all([store.put(next), tx.done]);
      return summarize(next);
    } catch (e) {
      throw storageError(e, tx.error, `the input log of “${modelName}”`);
    }
  }

  async get(modelId: string): Promise<InferLogRecord | undefined> {
    try {
      return await this.db.get('inferLog', modelId);
    } catch (e) {
      throw storageError(e, null, `the input log of model ${modelId}`, 'read');
    }
  }

  /** Every log, newest update first, without the rows. */
  async list(): Promise<InferLogSummary[]> {
    try {
      const all = await this.db.getAll('inferLog');
      return all.map(summarize).sort((a, b) => b.updatedAt - a.updatedAt);
    } catch (e) {
      throw storageError(e, null, 'the input logs', 'read');
    }
  }

  /** Deletes a model's log; a missing one is not an error. */
  async delete(modelId: string): Promise<void> {
    try {
      await this.db.delete('inferLog', modelId);
    } catch (e) {
      throw storageError(e, null, `the input log of model ${modelId}`);
    }
  }
}

function summarize(log: InferLogRecord): InferLogSummary {
  const { rows, ...rest } = log;
  return { ...rest, kept: rows.length / Math.max(1, log.features.length) };
}
