/**
 * From a dataset snapshot and a training config to model inputs: the task, the class list, the feature
 * columns (with a notice for every column left out and why), the split, and row-major Float32Array matrices.
 */
import { WorkbenchError } from '../../lib/errors';
import type { ColumnType } from '../data/dataset';
import { present, type LoadedColumn, type LoadedDataset } from '../preprocess/load';
import { splitRows } from './batching';
import { MAX_AUTO_CLASSES, type TaskKind, type TrainConfig } from './spec';

/** One part of the split: features (rows × width), labels (class index or value), dataset row indices. */
export interface PartData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: Int32Array;
}

/** Per-feature mean and standard deviation over the training rows. */
export interface Scale {
  readonly mean: Float32Array;
  readonly std: Float32Array;
}

/** What a model trains on. */
export interface PreparedFeatures {
  readonly task: TaskKind;
  /** Class labels by output index (classification); empty for regression. */
  readonly classes: readonly string[];
  readonly features: readonly string[];
  /** Values per row (the matrices' row length). */
  readonly width: number;
  /** The image shape (h, w, c) when the features are one image column, else null. */
  readonly image: readonly [number, number, number] | null;
  /** Per-feature training mean and spread (tabular features); null for an image. */
  readonly scale: Scale | null;
  readonly notices: readonly string[];
  readonly train: PartData;
  readonly validation: PartData;
  readonly test: PartData;
}

/** Classification with more distinct target values than this is refused. */
const MAX_CLASSES = 1000;

/** The label of each row (null: missing), and the class names. */
interface Target {
  readonly task: TaskKind;
  readonly classes: string[];
  readonly label: (row: number) => number | null;
}

/** Task and labels: a categorical target, or an integer one with few values, is classification. */
function targetOf(col: LoadedColumn, task: TrainConfig['task']): Target {
  const { meta } = col;
  const isNum = meta.type === 'number' || meta.type === 'integer';
  if (meta.type !== 'categorical' && !isNum) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The target ${meta.name} is a ${meta.type} column: choose a number or category`,
    );
  }
  const rows = col.validity.length * 32;
  const valueAt = (r: number): number | null => {
    if (r >= rows || !present(col.validity, r)) return null;
    const v = (col.data as Float64Array | Int32Array)[r];
    return v === undefined || !Number.isFinite(v) || (meta.type === 'categorical' && v < 0) ? null : v;
  };
  const n = (col.data as ArrayLike<number>).length;
  const distinct = new Set<number>();
  for (let r = 0; r < n; r++) {
    const v = valueAt(r);
    if (v !== null && distinct.size <= MAX_CLASSES) distinct.add(v);
  }
  const kind: TaskKind =
    task !== 'auto'
      ? task
      : meta.type === 'categorical' || (meta.type === 'integer' && distinct.size <= MAX_AUTO_CLASSES)
        ? 'classification'
        : 'regression';
  if (kind === 'regression') {
    if (meta.type === 'categorical') {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `The target ${meta.name} is categorical: regression needs a number`,
      );
    }
    return { task: kind, classes: [], label: valueAt };
  }
  if (distinct.size > MAX_CLASSES) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The target ${meta.name} has more than ${MAX_CLASSES} distinct values`,
    );
  }
  const values = [...distinct].sort((a, b) => a - b);
  if (values.length < 2) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The target ${meta.name} has ${values.length} class: classification needs two or more`,
    );
  }
  const index = new Map(values.map((v, i) => [v, i]));
  const classes = values.map((v) =>
    meta.type === 'categorical' ? (meta.dictionary?.[v] ?? String(v)) : (meta.labels?.[v] ?? String(v)),
  );
  return { task: kind, classes, label: (r) => index.get(valueAt(r) ?? NaN) ?? null };
}

/** Whether an integer column looks like a row ID: every present value distinct and consecutive. */
function looksLikeId(col: LoadedColumn): boolean {
  const data = col.data as Float64Array;
  const seen = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < data.length; r++) {
    if (!present(col.validity, r)) continue;
    const v = data[r]!;
    if (seen.has(v)) return false;
    seen.add(v);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return seen.size >= 10 && max - min + 1 === seen.size;
}

const WHY: Partial<Record<ColumnType | 'id' | 'image-only' | 'extra-image', string>> = {
  categorical: 'categorical (one-hot it in Preprocess to use it as a feature)',
  text: 'text (not a model input)',
  date: 'date (derive numbers from it in Preprocess to use it)',
  audio: 'audio (not an input for these models)',
  id: 'an ID (every value distinct and consecutive)',
  'image-only': 'not used: the model learns from the image column',
  'extra-image': 'a second image column (one image input per model)',
};

/** Feature columns and the notices for those left out. */
function selectColumns(
  data: LoadedDataset,
  config: TrainConfig,
): { numeric: LoadedColumn[]; image: LoadedColumn | null; notices: string[] } {
  const left = new Map<string, string[]>();
  const leave = (why: string, name: string): void => void left.set(why, [...(left.get(why) ?? []), name]);
  const numeric: LoadedColumn[] = [];
  let image: LoadedColumn | null = null;
  const skip = new Set([config.target, ...(config.exclude ?? [])]);
  for (const col of data.columns) {
    const { name, type } = col.meta;
    if (skip.has(name)) continue;
    if (type === 'number' || (type === 'integer' && !looksLikeId(col))) numeric.push(col);
    else if (type === 'integer') leave('id', name);
    else if (type === 'image' && image === null) image = col;
    else leave(type === 'image' ? 'extra-image' : type, name);
  }
  if (image !== null) for (const c of numeric.splice(0)) leave('image-only', c.meta.name);
  const notices = [...left].map(([why, names]) => {
    const list = names.join(', ');
    return `Left out ${names.length === 1 ? 'column' : 'columns'} ${list}: ${WHY[why as ColumnType] ?? why}.`;
  });
  return { numeric, image, notices };
}

/** Task, classes, features, split and matrices for `config` on `data`. */
export function prepareFeatures(data: LoadedDataset, config: TrainConfig): PreparedFeatures {
  const targetCol = data.columns.find((c) => c.meta.name === config.target);
  if (targetCol === undefined)
    throw new WorkbenchError('INVALID_INPUT', `No column ${config.target} to predict`);
  const target = targetOf(targetCol, config.task);
  const { numeric, image, notices } = selectColumns(data, config);
  if (config.model.kind === 'cnn' && image === null) {
    throw new WorkbenchError('INVALID_INPUT', 'A CNN needs an image column: choose an MLP for tabular data');
  }
  if (numeric.length === 0 && image === null) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      'No usable feature columns: numbers or an image are needed',
      notices,
    );
  }
  const shape = image?.meta.shape ?? null;
  const width = shape ? shape[0] * shape[1] * shape[2] : numeric.length;
  const usableRows: number[] = [];
  let skipped = 0;
  for (let r = 0; r < data.meta.rows; r++) {
    const ok =
      target.label(r) !== null &&
      (image === null || present(image.validity, r)) &&
      numeric.every((c) => present(c.validity, r) && Number.isFinite((c.data as Float64Array)[r]));
    if (ok) usableRows.push(r);
    else skipped++;
  }
  if (skipped > 0) notices.push(`${skipped} rows with a missing target or feature value were skipped.`);
  const usable = Int32Array.from(usableRows);
  const strata = target.task === 'classification' ? usable.map((r) => target.label(r)!) : null;
  const split = splitRows(usable, data.meta, strata, config.seed);
  if (split.notice !== null) notices.push(split.notice);
  if (split.train.length === 0)
    throw new WorkbenchError('INVALID_INPUT', 'No training rows are left to learn from');
  const part = (rows: Int32Array): PartData => {
    const x = new Float32Array(rows.length * width);
    const y = new Float32Array(rows.length);
    rows.forEach((r, i) => {
      y[i] = target.label(r)!;
      if (image !== null) {
        const px = image.data as Uint8Array | Float32Array;
        const src = px.subarray(r * width, (r + 1) * width);
        if (px instanceof Uint8Array) for (let j = 0; j < width; j++) x[i * width + j] = src[j]! / 255;
        else x.set(src, i * width);
      } else numeric.forEach((c, j) => (x[i * width + j] = (c.data as Float64Array)[r]!));
    });
    return { x, y, rows };
  };
  const train = part(split.train);
  const scale = image === null ? trainingScale(train.x, width, numeric, notices) : null;
  if (image?.meta.pixels !== 'f32' && image !== null) notices.push('Pixels 0–255 were scaled to [0, 1].');
  return {
    task: target.task,
    classes: target.classes,
    features: image ? [image.meta.name] : numeric.map((c) => c.meta.name),
    width,
    image: shape ? [shape[0], shape[1], shape[2]] : null,
    scale,
    notices,
    train,
    validation: part(split.validation),
    test: part(split.test),
  };
}

/**
 * Training-row mean and spread of each tabular feature (spread 1 for a constant column), and a notice naming
 * the features far from unit scale, which the trainer standardizes (as it does every tabular feature).
 */
function trainingScale(
  x: Float32Array,
  width: number,
  cols: readonly LoadedColumn[],
  notices: string[],
): Scale {
  const n = x.length / width;
  const mean = new Float32Array(width);
  const std = new Float32Array(width);
  const wide: string[] = [];
  for (let j = 0; j < width; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * width + j]!;
    const m = n === 0 ? 0 : s / n;
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += (x[i * width + j]! - m) ** 2;
    const sd = n === 0 ? 0 : Math.sqrt(s2 / n);
    mean[j] = m;
    std[j] = sd > 1e-12 ? sd : 1;
    if (Math.abs(m) > 10 || sd > 10) wide.push(cols[j]!.meta.name);
  }
  if (wide.length > 0) {
    const more = wide.length > 5 ? ` and ${wide.length - 5} more` : '';
    notices.push(
      `Features ${wide.slice(0, 5).join(', ')}${more} are far from unit scale: the trainer standardized every ` +
        'feature with training-row statistics (folded into the saved weights, which take raw values). ' +
        'Standardize in Preprocess to control how.',
    );
  }
  return { mean, std };
}
