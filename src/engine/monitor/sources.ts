/**
 * The values a drift check compares, per feature of a run (in the run's feature order, finite values only,
 * f32 as the model sees them): the training rows, and a dataset, the run's test split or a model's log.
 */
import type { DatasetRepo } from '../../db/datasets.repo';
import type { InferLogRepo } from '../../db/inferLog.repo';
import { WorkbenchError } from '../../lib/errors';
import { joinChunks, loadDataset, present, type LoadedColumn } from '../preprocess/load';
import { isNumericType } from '../preprocess/validate';
import { prepareFeatures, type PartData } from '../train/features';
import type { RunRecord } from '../train/run';
import { logColumn } from './inputLog';
import type { DriftSource } from './service';

/** The run's training values (null when its dataset is gone) and its test part. */
export interface Training {
  readonly values: Float32Array[] | null;
  readonly test: Float32Array[] | null;
  readonly notes: string[];
}

/** The compared values per run feature, what they are called, and how many rows they came from. */
export interface Compared {
  readonly name: string;
  readonly values: Float32Array[];
  readonly rows: number;
  readonly notes: string[];
  /** Predicted-label counts of a model's log, when it has them. */
  readonly predictions?: Readonly<Record<string, number>>;
}

/** Columns of a row-major part. */
function columnsOf(part: PartData, width: number): Float32Array[] {
  const n = part.x.length / width;
  return Array.from({ length: width }, (_, j) =>
    Float32Array.from({ length: n }, (_, r) => part.x[r * width + j]!),
  );
}

/** The run's split rebuilt from its stored dataset and config (same seed: the same rows). */
export async function trainingValues(repo: DatasetRepo, run: RunRecord): Promise<Training> {
  const meta = await repo.getDataset(run.datasetId);
  const gone = (why: string): Training => ({
    values: null,
    test: null,
    notes: [`${why}: KS is computed between the stored binned CDFs (never above the exact value).`],
  });
  if (meta?.status !== 'ready') return gone(`The training dataset “${run.datasetName}” is no longer stored`);
  try {
    const f = prepareFeatures(await loadDataset(meta, (c) => repo.readColumn(meta.id, c)), run.config);
    if (f.features.join('\u0000') !== run.features.join('\u0000') || f.train.rows.length !== run.rows.train)
      return gone(`The training dataset “${run.datasetName}” no longer gives the run's split`);
    return { values: columnsOf(f.train, f.width), test: columnsOf(f.test, f.width), notes: [] };
  } catch (e) {
    return gone(`The training rows could not be rebuilt (${String(e)})`);
  }
}

/** Finite present values of a numeric column, as f32. */
function finiteValues(col: LoadedColumn, rows: number): Float32Array {
  const data = col.data as ArrayLike<number>;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (present(col.validity, r) && Number.isFinite(data[r]!)) out.push(data[r]!);
  }
  return Float32Array.from(out);
}

export async function comparedValues(
  repo: DatasetRepo,
  logs: InferLogRepo,
  run: RunRecord,
  source: DriftSource,
  training: Training,
): Promise<Compared> {
  if (source.kind === 'test-split') {
    if (training.test === null)
      throw new WorkbenchError(
        'INVALID_INPUT',
        `The test split of “${run.name}” needs its training dataset, which is gone.`,
      );
    if (training.test[0]?.length === 0)
      throw new WorkbenchError('INVALID_INPUT', `Run “${run.name}” has no test rows.`);
    return {
      name: `${run.datasetName} · test split`,
      values: training.test,
      rows: training.test[0]?.length ?? 0,
      notes: [],
    };
  }
  if (source.kind === 'log') {
    const log = await logs.get(source.modelId);
    if (log === undefined) throw new WorkbenchError('INVALID_INPUT', 'This model has no logged inputs yet.');
    const notes: string[] = [];
    let index = run.features.map((f) => log.features.indexOf(f));
    if (index.some((i) => i < 0)) {
      if (log.features.length !== run.features.length)
        throw new WorkbenchError(
          'INVALID_INPUT',
          `The log of “${log.modelName}” has columns ${log.features.join(', ')}; run “${run.name}” has ${run.features.join(', ')}.`,
        );
      index = run.features.map((_, j) => j);
      notes.push(`The log's columns were matched to the run's features by position (their names differ).`);
    }
    const kept = log.rows.length / Math.max(1, log.features.length);
    return {
      name: `${log.modelName} · ${kept} logged rows of ${log.seen}`,
      values: index.map((i) => logColumn(log, i)),
      rows: kept,
      notes,
      ...(log.predictions === undefined ? {} : { predictions: log.predictions }),
    };
  }
  const meta = await repo.getDataset(source.datasetId);
  if (meta?.status !== 'ready')
    throw new WorkbenchError('INVALID_INPUT', `Dataset ${source.datasetId} is not stored.`);
  const missing: string[] = [];
  const values: Float32Array[] = [];
  for (const name of run.features) {
    const c = meta.columns.findIndex((col) => col.name === name);
    const col = meta.columns[c];
    if (col === undefined || !isNumericType(col.type)) {
      missing.push(name);
      continue;
    }
    values.push(finiteValues(joinChunks(col, meta.rows, await repo.readColumn(meta.id, c)), meta.rows));
  }
  if (missing.length > 0)
    throw new WorkbenchError(
      'INVALID_INPUT',
      `“${meta.name}” lacks the run's numeric feature${missing.length === 1 ? '' : 's'} ${missing.join(', ')}.`,
    );
  return { name: meta.name, values, rows: meta.rows, notes: [] };
}
