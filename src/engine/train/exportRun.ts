/**
 * Exports of a stored run: its ONNX model (fitted recipe folded in) and the app's predictions for a dataset.
 * tfjs and the preprocessing references are loaded only when predictions are asked for.
 */
import type { DatasetRepo } from '../../db/datasets.repo';
import type { RunRepo } from '../../db/runs.repo';
import { WorkbenchError } from '../../lib/errors';
import type { DatasetMeta } from '../data/dataset';
import type { FittedRecipe } from '../preprocess/fitted';
import { loadDataset } from '../preprocess/load';
import type { RunRecord } from './run';
import type { TrainEnv, WeightTensor } from './train';

/** The stores the exports read. */
export interface ExportRepos {
  readonly datasets: DatasetRepo;
  readonly runs: RunRepo;
}

/** A stored run and its weights, or a clear error. */
async function storedRun(
  repos: ExportRepos,
  runId: string,
): Promise<{ record: RunRecord; weights: readonly WeightTensor[] }> {
  const record = (await repos.runs.listRuns()).find((r) => r.id === runId);
  if (record === undefined) throw new WorkbenchError('INVALID_INPUT', `No stored run ${runId}`);
  const weights = await repos.runs.getWeights(runId);
  if (weights === undefined || weights.length === 0) {
    throw new WorkbenchError('INVALID_INPUT', `The weights of run “${record.name}” are missing`);
  }
  return { record, weights };
}

/** The fitted recipe that wrote a dataset, or null when it was not written by a recipe. */
async function fittedOrNull(meta: DatasetMeta | undefined): Promise<FittedRecipe | null> {
  if (meta === undefined) return null;
  const { fittedRecipeOf } = await import('../preprocess/applyService');
  try {
    return fittedRecipeOf(meta);
  } catch {
    return null;
  }
}

/** The ONNX model of a stored run, with the fitted recipe of the dataset it trained on (if any). */
export async function exportRunOnnx(repos: ExportRepos, runId: string): Promise<Uint8Array> {
  const { record, weights } = await storedRun(repos, runId);
  const trained = await repos.datasets.getDataset(record.datasetId);
  const fitted = await fittedOrNull(trained);
  const feature = record.features.length === 1 ? record.features[0] : undefined;
  const image = trained?.columns.find((c) => c.name === feature && c.type === 'image');
  const options =
    image?.shape !== undefined
      ? { image: { shape: image.shape, pixels: image.pixels ?? ('u8' as const) } }
      : {};
  const { exportOnnx } = await import('../deploy/onnx/export');
  return exportOnnx(record, weights, fitted, fitted === null ? options : {});
}

/**
 * The app's predictions of a stored run for every row of `datasetId`: the dataset the run trained on
 * (features as stored), or, when that one was written by a recipe, another dataset with the raw columns
 * (its raw parent, new data), which the fitted recipe prepares first. Predicted with tfjs on WASM.
 */
export async function exportRunPredictions(
  repos: ExportRepos,
  env: () => Promise<TrainEnv>,
  runId: string,
  datasetId: string,
  format: 'csv' | 'json',
): Promise<Blob> {
  if (format !== 'csv' && format !== 'json') {
    throw new WorkbenchError('INVALID_INPUT', `Unknown predictions format ${String(format)}`);
  }
  const { record, weights } = await storedRun(repos, runId);
  const meta = await repos.datasets.getDataset(datasetId);
  if (meta?.status !== 'ready') throw new WorkbenchError('INVALID_INPUT', `No dataset ${datasetId}`);
  let fitted: FittedRecipe | null = null;
  if (datasetId !== record.datasetId) {
    const trained = await repos.datasets.getDataset(record.datasetId);
    if (trained === undefined) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `The dataset run “${record.name}” trained on is gone: its preprocessing is unknown`,
      );
    }
    fitted = await fittedOrNull(trained);
  }
  const data = await loadDataset(meta, (c) => repos.datasets.readColumn(meta.id, c));
  const [{ predictRows, predictionsBlob }, trainEnv] = await Promise.all([import('./predict'), env()]);
  const rows = await predictRows({ record, weights, data, fitted, env: trainEnv, backend: 'wasm' });
  return predictionsBlob(record, rows, format);
}
