/**
 * The app's own predictions of a stored run for every row of a dataset, as a file (CSV or JSON) to compare
 * with the exported ONNX model's. A raw dataset goes through the run's fitted recipe first (CPU reference,
 * nothing refitted); the trained network then runs with its stored weights (which take raw features: the
 * trainer folds its input standardisation into them).
 */
import { WorkbenchError } from '../../lib/errors';
import { applyFittedRecipe } from '../preprocess/apply';
import { createCpuBackend } from '../preprocess/cpuBackend';
import type { FittedRecipe } from '../preprocess/fitted';
import { createCpuImageBackend } from '../preprocess/imageCpu';
import { present, type LoadedColumn, type LoadedDataset } from '../preprocess/load';
import type { RunRecord } from './run';
import type { TrainBackend } from './spec';
import type { TrainEnv, WeightTensor } from './train';
import { inferStored } from './tfjs/inference';

/** The output head the trainer used for a run (see trainer.ts). */
export function headOf(record: RunRecord): { units: number; activation: 'sigmoid' | 'softmax' | 'linear' } {
  if (record.task === 'regression') return { units: 1, activation: 'linear' };
  return record.classes.length === 2
    ? { units: 1, activation: 'sigmoid' }
    : { units: record.classes.length, activation: 'softmax' };
}

/** Row-major model inputs for every row: the run's features (NaN where missing), or its image column. */
export function featureMatrix(
  record: RunRecord,
  columns: readonly LoadedColumn[],
  rows: number,
): { x: Float32Array; inputShape: number[] } {
  const find = (name: string): LoadedColumn => {
    const col = columns.find((c) => c.meta.name === name);
    if (col === undefined) {
      throw new WorkbenchError('INVALID_INPUT', `The dataset has no column ${name}, which the model needs`);
    }
    return col;
  };
  const first = record.features.length === 1 ? find(record.features[0]!) : null;
  if (first?.meta.type === 'image') {
    const shape = first.meta.shape;
    if (shape === undefined)
      throw new WorkbenchError('INVALID_INPUT', `Image column ${first.meta.name} has no shape`);
    const width = shape[0] * shape[1] * shape[2];
    const px = first.data as Uint8Array | Float32Array;
    const x = new Float32Array(rows * width);
    if (px instanceof Uint8Array) for (let i = 0; i < x.length; i++) x[i] = px[i]! / 255;
    else x.set(px.subarray(0, x.length));
    for (let r = 0; r < rows; r++) if (!present(first.validity, r)) x.fill(NaN, r * width, (r + 1) * width);
    const inputShape = record.config.model.kind === 'cnn' ? [shape[0], shape[1], shape[2]] : [width];
    return { x, inputShape };
  }
  const width = record.features.length;
  const x = new Float32Array(rows * width);
  record.features.forEach((name, j) => {
    const col = find(name);
    if (col.meta.type !== 'number' && col.meta.type !== 'integer') {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Column ${name} is ${col.meta.type}, the model needs numbers`,
      );
    }
    const data = col.data as Float64Array;
    for (let r = 0; r < rows; r++) {
      const v = data[r]!;
      x[r * width + j] = present(col.validity, r) && Number.isFinite(v) ? v : NaN;
    }
  });
  return { x, inputShape: [width] };
}

/** One row's prediction: the label (class name or value; null when an input is missing) and probabilities. */
export interface RowPrediction {
  readonly row: number;
  readonly label: string | number | null;
  readonly probabilities: readonly (number | null)[] | null;
}

/** Per-row predictions from raw model outputs (rows × units). */
export function rowPredictions(record: RunRecord, out: Float32Array, rows: number): RowPrediction[] {
  const head = headOf(record);
  const result: RowPrediction[] = [];
  for (let r = 0; r < rows; r++) {
    if (head.activation === 'linear') {
      const v = out[r]!;
      result.push({ row: r, label: Number.isFinite(v) ? v : null, probabilities: null });
      continue;
    }
    const p =
      head.activation === 'sigmoid'
        ? [1 - out[r]!, out[r]!]
        : Array.from(out.subarray(r * head.units, (r + 1) * head.units));
    if (p.some((v) => !Number.isFinite(v))) {
      result.push({ row: r, label: null, probabilities: p.map(() => null) });
      continue;
    }
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    result.push({ row: r, label: record.classes[best]!, probabilities: p });
  }
  return result;
}

/** CSV text cell: quoted when it holds a comma, quote or line break; formula starts neutralised. */
function cell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const formula = /^[=+\-@\t\r]/.test(v) && !Number.isFinite(Number(v));
  const safe = formula ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The predictions as a file: CSV (row, label, p_<class>…) or JSON ([{row, label, probabilities}]). */
export function predictionsBlob(
  record: RunRecord,
  predictions: readonly RowPrediction[],
  format: 'csv' | 'json',
): Blob {
  if (format === 'json') return new Blob([JSON.stringify(predictions)], { type: 'application/json' });
  const classes = record.task === 'regression' ? [] : record.classes;
  const lines = [['row', 'label', ...classes.map((c) => `p_${c}`)].map(cell).join(',')];
  for (const p of predictions) {
    lines.push([p.row, p.label, ...(p.probabilities ?? [])].map(cell).join(','));
  }
  return new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' });
}

/** What predictRows needs: a run, its weights, the data, and the recipe to apply (null: features as stored). */
export interface PredictInput {
  readonly record: RunRecord;
  readonly weights: readonly WeightTensor[];
  readonly data: LoadedDataset;
  readonly fitted: FittedRecipe | null;
  readonly env: TrainEnv;
  /** The tfjs backend to predict on (the trainer's initBackend starts it). */
  readonly backend: TrainBackend;
}

/** The app's predictions for every row of `data`. */
export async function predictRows(input: PredictInput): Promise<RowPrediction[]> {
  const { record, data, fitted } = input;
  const columns = fitted
    ? await applyFittedRecipe(
        fitted,
        data,
        (t) => Promise.resolve(createCpuBackend(t)),
        createCpuImageBackend(),
      )
    : data.columns;
  const rows = data.meta.rows;
  const { x, inputShape } = featureMatrix(record, columns, rows);
  const head = headOf(record);
  const { out } = await inferStored(
    record.config.model,
    inputShape,
    head,
    input.weights,
    x,
    rows,
    input.backend,
    input.env,
  );
  blankMissingRows(out, x, rows, head.units);
  return rowPredictions(record, out, rows);
}

/**
 * Rows with a missing input get no prediction (NaN outputs), whatever the backend does with NaN: tfjs-WASM's
 * relu, for one, turns NaN into 0 and would predict a class from a row it never saw whole.
 */
export function blankMissingRows(out: Float32Array, x: Float32Array, rows: number, units: number): void {
  const width = rows === 0 ? 0 : x.length / rows;
  for (let r = 0; r < rows; r++) {
    for (let j = r * width; j < (r + 1) * width; j++) {
      if (Number.isNaN(x[j]!)) {
        out.fill(NaN, r * units, (r + 1) * units);
        break;
      }
    }
  }
}
