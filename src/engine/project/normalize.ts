/**
 * Defaults for everything a hand-written project may leave out, filled in once on load so the rest of the
 * app sees complete cells: recipe steps get ids and their optional fields, train cells every TrainConfig field.
 */
import type { Recipe, RecipeStep } from '../preprocess/recipe';
import { TRAIN_DEFAULTS, type DenseLayerSpec, type ModelSpec, type TrainConfig } from '../train/spec';
import type {
  Cell,
  PreprocessCell,
  Project,
  ProjectDense,
  ProjectModel,
  ProjectStep,
  TrainCell,
} from './format';

/** A hand-written step with its defaults (split: shuffled, not stratified, seed 0). */
function stepOf(cellId: string, i: number, s: ProjectStep): RecipeStep {
  const id = s.id ?? `${cellId}-${i + 1}`;
  if (s.kind === 'split') {
    return { ...s, id, seed: s.seed ?? 0, shuffle: s.shuffle ?? true, stratify: s.stratify ?? null };
  }
  if (s.kind === 'image-augment') {
    return { ...s, id, flip: s.flip ?? true, cropPadding: s.cropPadding ?? 0 };
  }
  return { ...s, id };
}

/** The recipe a preprocess cell stands for. */
export function recipeOf(cell: PreprocessCell): Recipe {
  return { version: 1, steps: cell.steps.map((s, i) => stepOf(cell.id, i, s)) };
}

const dense = (layers: readonly ProjectDense[]): DenseLayerSpec[] =>
  layers.map((l) => ({ ...l, activation: l.activation ?? 'relu' }));

/** Dense layers default to relu; conv blocks to 2×2 pooling; a cnn's dense part to none. */
function modelOf(m: ProjectModel): ModelSpec {
  if (m.kind === 'mlp') return { kind: 'mlp', hidden: dense(m.hidden) };
  if (m.kind === 'cnn') {
    return {
      kind: 'cnn',
      conv: m.conv.map((c) => ({ ...c, pool: c.pool ?? 2 })),
      dense: dense(m.dense ?? []),
    };
  }
  return m;
}

/** Every training field of a train cell, defaults filled in. */
function trainFieldsOf(cell: TrainCell): Omit<TrainConfig, 'datasetId'> {
  return {
    target: cell.target,
    task: cell.task ?? TRAIN_DEFAULTS.task,
    model: modelOf(cell.model ?? TRAIN_DEFAULTS.model),
    loss: cell.loss ?? TRAIN_DEFAULTS.loss,
    optimizer: cell.optimizer ?? TRAIN_DEFAULTS.optimizer,
    batchSize: cell.batchSize ?? TRAIN_DEFAULTS.batchSize,
    epochs: cell.epochs ?? TRAIN_DEFAULTS.epochs,
    earlyStopping: cell.earlyStopping === undefined ? TRAIN_DEFAULTS.earlyStopping : cell.earlyStopping,
    classWeights: cell.classWeights ?? TRAIN_DEFAULTS.classWeights,
    seed: cell.seed ?? TRAIN_DEFAULTS.seed,
    backend: cell.backend ?? TRAIN_DEFAULTS.backend,
    ...(cell.exclude !== undefined ? { exclude: cell.exclude } : {}),
  };
}

/** The TrainConfig of a train cell, on the dataset its input produced. */
export function trainConfigOf(cell: TrainCell, datasetId: string): TrainConfig {
  return { datasetId, ...trainFieldsOf(cell) };
}

function normalizeCell(cell: Cell): Cell {
  if (cell.kind === 'preprocess') return { ...cell, steps: recipeOf(cell).steps };
  if (cell.kind === 'train') {
    return { ...cell, ...trainFieldsOf(cell) };
  }
  return cell;
}

export function normalizeProject(p: Project): Project {
  return { ...p, cells: p.cells.map(normalizeCell) };
}
