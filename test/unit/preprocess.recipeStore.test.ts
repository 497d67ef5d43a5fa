import { beforeEach, describe, expect, it } from 'vitest';
import type { RecipeStep, StepKind } from '../../src/engine/preprocess/recipe';
import {
  HISTORY_LIMIT,
  addStep,
  canRedo,
  canUndo,
  moveStep,
  recipeStore,
  redo,
  removeStep,
  resetRecipeStore,
  setRecipe,
  undo,
  updateStep,
} from '../../src/state/recipeStore';

const steps = (): readonly RecipeStep[] => recipeStore.getState().recipe.steps;
const kinds = (): StepKind[] => steps().map((s) => s.kind);
const snapshot = (): string => JSON.stringify(recipeStore.getState().recipe);

describe('recipe store', () => {
  beforeEach(resetRecipeStore);

  it('adds steps with defaults and unique ids', () => {
    const a = addStep('split');
    const b = addStep('image-resize', { imageColumn: 'image' });
    const c = addStep('onehot');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(steps()[0]).toEqual({
      id: a,
      kind: 'split',
      train: 0.7,
      validation: 0.15,
      test: 0.15,
      seed: 42,
      shuffle: true,
      stratify: null,
    });
    expect(steps()[1]).toMatchObject({ column: 'image', height: 28, width: 28 });
    expect(steps()[2]).toMatchObject({ columns: [], maxCategories: 256 });
  });

  it('undoes every edit one at a time and redoes them exactly', () => {
    const states = [snapshot()];
    const id = addStep('impute');
    states.push(snapshot());
    updateStep(id, { columns: ['a', 'b'] });
    states.push(snapshot());
    updateStep(id, { strategy: 'constant', value: 0 });
    states.push(snapshot());
    addStep('scale');
    states.push(snapshot());
    expect(canUndo(recipeStore.getState())).toBe(true);
    expect(canRedo(recipeStore.getState())).toBe(false);

    for (let i = states.length - 2; i >= 0; i--) {
      undo();
      expect(snapshot()).toBe(states[i]);
    }
    expect(canUndo(recipeStore.getState())).toBe(false);
    undo(); // nothing left: no-op
    expect(snapshot()).toBe(states[0]);

    for (let i = 1; i < states.length; i++) {
      redo();
      expect(snapshot()).toBe(states[i]);
    }
    expect(canRedo(recipeStore.getState())).toBe(false);
    redo();
    expect(snapshot()).toBe(states.at(-1));
  });

  it('clears redo on a new edit after undo', () => {
    const id = addStep('scale');
    updateStep(id, { method: 'minmax' });
    undo();
    expect(canRedo(recipeStore.getState())).toBe(true);
    updateStep(id, { method: 'robust' });
    expect(canRedo(recipeStore.getState())).toBe(false);
    redo();
    expect(steps()[0]).toMatchObject({ method: 'robust' });
    undo();
    expect(steps()[0]).toMatchObject({ method: 'standardize' });
  });

  it('undoes moves and removals', () => {
    const a = addStep('drop');
    const b = addStep('split');
    const c = addStep('ordinal');
    moveStep(c, -1);
    expect(kinds()).toEqual(['drop', 'ordinal', 'split']);
    moveStep(a, -1); // already first: no-op, not recorded
    moveStep(c, -1);
    expect(kinds()).toEqual(['ordinal', 'drop', 'split']);
    removeStep(b);
    expect(kinds()).toEqual(['ordinal', 'drop']);
    undo();
    expect(kinds()).toEqual(['ordinal', 'drop', 'split']);
    expect(steps()[2]!.id).toBe(b);
    undo();
    expect(kinds()).toEqual(['drop', 'ordinal', 'split']);
    undo();
    expect(kinds()).toEqual(['drop', 'split', 'ordinal']);
    redo();
    redo();
    redo();
    expect(kinds()).toEqual(['ordinal', 'drop']);
  });

  it('removes optional fields patched to undefined and never changes id or kind', () => {
    const id = addStep('image-normalize', { imageColumn: 'px' });
    updateStep(id, { mean: [0.5], std: [0.25] });
    expect(steps()[0]).toEqual({ id, kind: 'image-normalize', column: 'px', mean: [0.5], std: [0.25] });
    updateStep(id, { mean: undefined, std: undefined });
    expect(steps()[0]).toEqual({ id, kind: 'image-normalize', column: 'px' });
    expect(Object.keys(steps()[0]!)).not.toContain('mean');
  });

  it('treats setRecipe as one undoable edit and ignores unknown ids', () => {
    addStep('drop');
    const before = snapshot();
    setRecipe({ version: 1, steps: [{ id: 'x', kind: 'ordinal', columns: ['c'] }] });
    expect(kinds()).toEqual(['ordinal']);
    updateStep('nope', { columns: [] });
    removeStep('nope');
    undo();
    expect(snapshot()).toBe(before);
  });

  it('caps history at the limit', () => {
    const id = addStep('clip');
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) updateStep(id, { z: i + 1 });
    expect(recipeStore.getState().past).toHaveLength(HISTORY_LIMIT);
    while (canUndo(recipeStore.getState())) undo();
    expect(steps()[0]).toMatchObject({ z: 20 });
  });
});
