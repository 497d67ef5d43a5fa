/**
 * Logging a batch's inputs for drift checks: the numeric dataset columns that fed the model, row by row,
 * offered to the model's reservoir (inputLog.ts); the run is read from the model's workbench metadata.
 */
import type { IDBPDatabase } from 'idb';
import { InferLogRepo, type InferLogSummary } from '../../db/inferLog.repo';
import type { WorkbenchDB } from '../../db/schema';
import { toWorkbenchError } from '../../lib/errors';
import type { DatasetMeta } from '../data/dataset';
import { readMetadata } from '../infer/metadata';
import type { OutColumn } from '../infer/batchPlan';
import { present, type LoadedColumn } from '../preprocess/load';

/** What logging did: the updated log, or why nothing was logged (never throws: a batch never fails on it). */
export type LogOutcome = { readonly logged: InferLogSummary } | { readonly skipped: string };

const NUMERIC = new Set(['number', 'integer']);

/** Row-major f32 values of one-value-per-row numeric columns (NaN where missing), or null if any is not. */
export function rowsOf(columns: readonly LoadedColumn[], rows: number): Float32Array | null {
  if (columns.some((c) => !NUMERIC.has(c.meta.type) || Array.isArray(c.data) || c.data.length !== rows))
    return null;
  const width = columns.length;
  const out = new Float32Array(rows * width);
  columns.forEach((c, j) => {
    const data = c.data as ArrayLike<number>;
    for (let r = 0; r < rows; r++) out[r * width + j] = present(c.validity, r) ? data[r]! : NaN;
  });
  return out;
}

/** Offers the batch's input rows to the model's log. */
export async function logBatchInputs(
  db: IDBPDatabase<WorkbenchDB>,
  modelId: string,
  modelName: string,
  modelBytes: Uint8Array,
  meta: DatasetMeta,
  columns: ReadonlyMap<number, LoadedColumn>,
  outputs: readonly OutColumn[] = [],
): Promise<LogOutcome> {
  try {
    const fed = [...columns.values()]; // in the plan's order: the order the model reads them
    const values = rowsOf(fed, meta.rows);
    if (values === null || fed.length === 0)
      return { skipped: 'only numeric columns with one value per row are logged' };
    const runId = readMetadata(modelBytes)['workbench.run'] ?? null;
    const names = fed.map((c) => c.meta.name);
    const repo = new InferLogRepo(db);
    return {
      logged: await repo.append(modelId, modelName, runId, names, values, meta.rows, labelCounts(outputs)),
    };
  } catch (e) {
    return { skipped: toWorkbenchError(e).message };
  }
}

/** Counts of the predicted labels (the contract's `label` output, a categorical column), if there is one. */
export function labelCounts(outputs: readonly OutColumn[]): Record<string, number> | undefined {
  const label = outputs.find((c) => c.meta.name === 'label' && c.meta.type === 'categorical');
  const dictionary = label?.meta.dictionary;
  if (label === undefined || dictionary === undefined || Array.isArray(label.data)) return undefined;
  const counts: Record<string, number> = {};
  for (const code of label.data) {
    const name = code >= 0 ? dictionary[code] : undefined;
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}
