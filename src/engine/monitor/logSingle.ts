/**
 * Logging the inputs of single predictions (the Deploy page's form) for drift checks, as batch inference does
 * (logBatch.ts): numeric one-value-per-row inputs in the model's input order, offered to the model's reservoir.
 */
import type { IDBPDatabase } from 'idb';
import { InferLogRepo } from '../../db/inferLog.repo';
import { ModelRepo } from '../../db/models.repo';
import type { WorkbenchDB } from '../../db/schema';
import { toWorkbenchError } from '../../lib/errors';
import { readMetadata } from '../infer/metadata';
import type { PlainTensor } from '../infer/tensors';
import type { LogOutcome } from './logBatch';

/** Row-major f32 rows of the feeds in `inputNames` order, or null unless every one is numeric [N, 1] or [N]. */
export function rowsFromFeeds(
  inputNames: readonly string[],
  feeds: Readonly<Record<string, PlainTensor>>,
): { values: Float32Array; rows: number } | null {
  const tensors = inputNames.map((n) => feeds[n]);
  const first = tensors[0];
  if (first === undefined) return null;
  const rows = first.dims[0] ?? 1;
  for (const t of tensors) {
    if (t === undefined || (t.type !== 'float32' && t.type !== 'float64')) return null;
    const perRow = t.dims.slice(1).reduce((a, b) => a * b, 1);
    if (perRow !== 1 || (t.dims[0] ?? 1) !== rows || t.data.length !== rows) return null;
  }
  const width = tensors.length;
  const values = new Float32Array(rows * width);
  tensors.forEach((t, j) => {
    const data = t!.data as Float32Array | Float64Array;
    for (let r = 0; r < rows; r++) values[r * width + j] = data[r]!;
  });
  return { values, rows };
}

/** Counts of the predicted classes in a string `class` (or `label`) output, if the model has one. */
function classCounts(outputs: Readonly<Record<string, PlainTensor>>): Record<string, number> | undefined {
  const t = outputs['class'] ?? outputs['label'];
  if (t === undefined || t.type !== 'string') return undefined;
  const counts: Record<string, number> = {};
  for (const c of t.data as string[]) if (c !== '') counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

/** Offers a single prediction's inputs to the model's log; never throws. */
export async function logSingleInputs(
  db: IDBPDatabase<WorkbenchDB>,
  modelId: string,
  inputNames: readonly string[],
  feeds: Readonly<Record<string, PlainTensor>>,
  outputs: Readonly<Record<string, PlainTensor>>,
): Promise<LogOutcome> {
  try {
    const rows = rowsFromFeeds(inputNames, feeds);
    if (rows === null) return { skipped: 'only numeric inputs with one value per row are logged' };
    const [meta, bytes] = await Promise.all([db.get('models', modelId), new ModelRepo(db).getBytes(modelId)]);
    if (meta === undefined || bytes === undefined) return { skipped: 'the model is not stored' };
    const runId = readMetadata(bytes)['workbench.run'] ?? null;
    const repo = new InferLogRepo(db);
    return {
      logged: await repo.append(
        modelId,
        meta.name,
        runId,
        inputNames,
        rows.values,
        rows.rows,
        classCounts(outputs),
      ),
    };
  } catch (e) {
    return { skipped: toWorkbenchError(e).message };
  }
}
