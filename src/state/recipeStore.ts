import { createStore } from 'zustand/vanilla';
import type { BackendChoice } from '../bridge/contracts';
import type { RecipeRun } from '../engine/preprocess/fitted';
import {
  MAX_ONEHOT_CATEGORIES,
  type Recipe,
  type RecipeStep,
  type StepKind,
} from '../engine/preprocess/recipe';
import type { SerializedError } from '../lib/errors';

/** Undo keeps at most this many earlier recipes. */
export const HISTORY_LIMIT = 100;

/** The Preprocess stage's state. Plain data only: the draft recipe, its history, the last run. */
export interface RecipeState {
  /** The dataset the recipe runs on; null: the Data page's selected dataset. */
  readonly sourceId: string | null;
  readonly recipe: Recipe;
  /** Earlier recipes, oldest first (undo pops the last). */
  readonly past: readonly Recipe[];
  /** Undone recipes, next first (redo pops the first). */
  readonly future: readonly Recipe[];
  /** null: from the page URL (`?backend=`), else 'auto'. */
  readonly backend: BackendChoice | null;
  readonly run: RecipeRun | null;
  readonly error: SerializedError | null;
  readonly busy: boolean;
}

/** A change to a step's fields (never its id or kind); an `undefined` value removes an optional field. */
type PatchOf<S> = { readonly [K in Exclude<keyof S, 'id' | 'kind'>]?: S[K] | undefined };
export type StepPatch = { [K in StepKind]: PatchOf<Extract<RecipeStep, { kind: K }>> }[StepKind];

const EMPTY: Recipe = { version: 1, steps: [] };

/** The state a fresh page starts from. */
export function initialRecipeState(): RecipeState {
  return {
    sourceId: null,
    recipe: EMPTY,
    past: [],
    future: [],
    backend: null,
    run: null,
    error: null,
    busy: false,
  };
}

export const recipeStore = createStore<RecipeState>(() => initialRecipeState());

/** Back to a fresh page (tests). */
export function resetRecipeStore(): void {
  recipeStore.setState(initialRecipeState(), true);
}

let counter = 0;
function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `step-${Date.now().toString(36)}-${++counter}`;
}

/** A new step of `kind` with sensible defaults; image steps act on `imageColumn` (may be ''). */
export function defaultStep(kind: StepKind, id: string, imageColumn = ''): RecipeStep {
  switch (kind) {
    case 'drop':
    case 'ordinal':
      return { id, kind, columns: [] };
    case 'impute':
      return { id, kind, columns: [], strategy: 'mean' };
    case 'scale':
      return { id, kind, columns: [], method: 'standardize' };
    case 'clip':
      return { id, kind, columns: [], method: 'quantile', lower: 0.01, upper: 0.99, z: 3 };
    case 'transform':
      return { id, kind, columns: [], fn: 'log1p', exponent: 2 };
    case 'onehot':
      return { id, kind, columns: [], maxCategories: MAX_ONEHOT_CATEGORIES };
    case 'split':
      return { id, kind, train: 0.7, validation: 0.15, test: 0.15, seed: 42, shuffle: true, stratify: null };
    case 'image-scale':
      return { id, kind, column: imageColumn };
    case 'image-normalize':
      return { id, kind, column: imageColumn };
    case 'image-resize':
      return { id, kind, column: imageColumn, height: 28, width: 28 };
    case 'image-augment':
      return { id, kind, column: imageColumn, flip: true, cropPadding: 2 };
  }
}

/** Replaces the recipe as one undoable action (clears redo). No-op when nothing changes. */
function edit(change: (steps: readonly RecipeStep[]) => readonly RecipeStep[]): void {
  const s = recipeStore.getState();
  const steps = change(s.recipe.steps);
  if (steps === s.recipe.steps) return;
  recipeStore.setState({
    recipe: { version: 1, steps },
    past: [...s.past, s.recipe].slice(-HISTORY_LIMIT),
    future: [],
  });
}

/** Appends a step of `kind`; returns its id. */
export function addStep(kind: StepKind, options: { imageColumn?: string } = {}): string {
  const id = newId();
  edit((steps) => [...steps, defaultStep(kind, id, options.imageColumn)]);
  return id;
}

/** Changes fields of one step. */
export function updateStep(id: string, patch: StepPatch): void {
  edit((steps) => {
    const i = steps.findIndex((s) => s.id === id);
    if (i < 0) return steps;
    const next: Record<string, unknown> = { ...steps[i], ...patch, id, kind: steps[i]!.kind };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    return steps.map((s, j) => (j === i ? (next as unknown as RecipeStep) : s));
  });
}

export function removeStep(id: string): void {
  edit((steps) => (steps.some((s) => s.id === id) ? steps.filter((s) => s.id !== id) : steps));
}

/** Moves a step up (−1) or down (+1); no-op at either end. */
export function moveStep(id: string, by: -1 | 1): void {
  edit((steps) => {
    const i = steps.findIndex((s) => s.id === id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= steps.length) return steps;
    const next = [...steps];
    [next[i], next[j]] = [next[j]!, next[i]!];
    return next;
  });
}

/** Replaces the whole recipe (e.g. loaded from a project) as one undoable action. */
export function setRecipe(recipe: Recipe): void {
  edit(() => recipe.steps);
}

export function undo(): void {
  const s = recipeStore.getState();
  const previous = s.past.at(-1);
  if (previous === undefined) return;
  recipeStore.setState({ recipe: previous, past: s.past.slice(0, -1), future: [s.recipe, ...s.future] });
}

export function redo(): void {
  const s = recipeStore.getState();
  const next = s.future[0];
  if (next === undefined) return;
  recipeStore.setState({
    recipe: next,
    past: [...s.past, s.recipe].slice(-HISTORY_LIMIT),
    future: s.future.slice(1),
  });
}

export const canUndo = (s: RecipeState): boolean => s.past.length > 0;
export const canRedo = (s: RecipeState): boolean => s.future.length > 0;

/** Chooses the dataset the recipe runs on (not part of the recipe's history). */
export function setSource(sourceId: string | null): void {
  recipeStore.setState({ sourceId, run: null, error: null });
}

export function setBackend(backend: BackendChoice): void {
  recipeStore.setState({ backend });
}
