import type { ColumnMeta } from '../../engine/data/dataset';
import type { SchemaColumn } from '../../engine/preprocess/fitted';
import type { Recipe } from '../../engine/preprocess/recipe';
import { checkRecipe, type RecipeIssue } from '../../engine/preprocess/validate';

/** What the editor shows about a draft recipe: its problems, the output, the columns before each step. */
export interface DraftCheck {
  readonly issues: readonly RecipeIssue[];
  readonly output: readonly SchemaColumn[];
  readonly before: readonly (readonly SchemaColumn[])[];
  readonly source: readonly SchemaColumn[];
}

/** Runs the recipe check on the whole recipe and on each prefix (the columns each step sees). */
export function checkDraft(columns: readonly ColumnMeta[], recipe: Recipe): DraftCheck {
  const source: SchemaColumn[] = columns.map((c) => ({ name: c.name, type: c.type }));
  try {
    const whole = checkRecipe(columns, recipe);
    const before = recipe.steps.map(
      (_, i) => checkRecipe(columns, { version: 1, steps: recipe.steps.slice(0, i) }).output,
    );
    return { issues: whole.issues, output: whole.output, before, source };
  } catch (e) {
    const message = `The recipe could not be checked: ${e instanceof Error ? e.message : String(e)}`;
    return { issues: [{ stepId: null, message }], output: [], before: [], source };
  }
}
