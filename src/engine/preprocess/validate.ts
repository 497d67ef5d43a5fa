import type { ColumnMeta, ColumnType } from '../data/dataset';
import type { SchemaColumn } from './fitted';
import { MAX_ONEHOT_CATEGORIES, ONEHOT_CEILING, type Recipe, type RecipeStep } from './recipe';

/** A problem with one step (or the recipe as a whole when stepId is null). */
export interface RecipeIssue {
  readonly stepId: string | null;
  readonly message: string;
}

/** The schema after the recipe, and problems found. Pure: the editor runs it on every change. */
export interface RecipeCheck {
  readonly issues: readonly RecipeIssue[];
  /** Columns after every step (drop, one-hot... applied; one-hot widths estimated from the dictionary). */
  readonly output: readonly SchemaColumn[];
}

const NUMERIC: ReadonlySet<ColumnType> = new Set(['number', 'integer', 'date']);

/** Whether a column type is numeric for the recipe (dates are ms since the epoch). */
export function isNumericType(t: ColumnType): boolean {
  return NUMERIC.has(t);
}

/** Checks a recipe against a dataset's columns without touching data. */
export function checkRecipe(columns: readonly ColumnMeta[], recipe: Recipe): RecipeCheck {
  const issues: RecipeIssue[] = [];
  let schema: SchemaColumn[] = columns.map(toSchema);
  const splits = recipe.steps.filter((s) => s.kind === 'split');
  if (splits.length > 1)
    issues.push({ stepId: splits[1]!.id, message: 'A recipe can have only one split step' });
  const augmented = new Set<string>();
  for (const step of recipe.steps) {
    const problem = (message: string): void => void issues.push({ stepId: step.id, message });
    if (step.kind === 'split') {
      checkSplit(step, columns, problem);
      continue;
    }
    const names = 'columns' in step ? step.columns : [step.column];
    if (names.length === 0) problem('Choose at least one column');
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) problem(`${name} is listed twice`);
      seen.add(name);
      const col = schema.find((c) => c.name === name);
      if (col === undefined) {
        const dropped = columns.some((c) => c.name === name);
        problem(
          dropped
            ? `${name} is no longer there at this step (dropped or encoded earlier)`
            : `No column ${name}`,
        );
        continue;
      }
      const wrong = typeProblem(step, col);
      if (wrong !== null) problem(wrong);
    }
    if (step.kind === 'image-augment') {
      if (augmented.has(step.column)) problem(`${step.column} already has an augmentation step`);
      augmented.add(step.column);
    }
    schema = nextSchema(schema, step);
  }
  return { issues, output: schema };
}

function toSchema(c: ColumnMeta): SchemaColumn {
  return {
    name: c.name,
    type: c.type,
    ...(c.dictionary ? { dictionary: c.dictionary } : {}),
    ...(c.shape ? { shape: c.shape } : {}),
  };
}

function checkSplit(
  step: Extract<RecipeStep, { kind: 'split' }>,
  columns: readonly ColumnMeta[],
  problem: (m: string) => void,
): void {
  const parts = [step.train, step.validation, step.test];
  if (parts.some((p) => !Number.isFinite(p) || p < 0 || p > 1))
    problem('Split fractions must be between 0 and 1');
  else if (Math.abs(parts[0]! + parts[1]! + parts[2]! - 1) > 1e-6)
    problem('Split fractions must add up to 1');
  else if (step.train <= 0) problem('The training split cannot be empty');
  if (!Number.isSafeInteger(step.seed)) problem('The seed must be a whole number');
  if (step.stratify !== null) {
    const col = columns.find((c) => c.name === step.stratify);
    if (col === undefined) problem(`No column ${step.stratify} to stratify by`);
    else if (col.type !== 'categorical' && col.type !== 'integer') {
      problem(`Stratify by a categorical or integer column (${col.name} is ${col.type})`);
    }
  }
}

function typeProblem(step: Exclude<RecipeStep, { kind: 'split' }>, col: SchemaColumn): string | null {
  const numeric = isNumericType(col.type);
  switch (step.kind) {
    case 'drop':
      return null;
    case 'impute':
      if (col.type === 'categorical') {
        if (step.strategy === 'mean' || step.strategy === 'median') {
          return `${col.name} is categorical: impute it with "most frequent" or a constant`;
        }
        return step.strategy === 'constant' && typeof step.value !== 'string'
          ? `Give a category to fill ${col.name} with`
          : null;
      }
      if (!numeric) return `${col.name} is ${col.type}: only numeric and categorical columns can be imputed`;
      return step.strategy === 'constant' && (typeof step.value !== 'number' || !Number.isFinite(step.value))
        ? `Give a number to fill ${col.name} with`
        : null;
    case 'scale':
    case 'clip':
    case 'transform':
      if (!numeric) return `${col.name} is ${col.type}: ${step.kind} needs a numeric column`;
      return parameterProblem(step);
    case 'onehot':
    case 'ordinal':
      if (col.type !== 'categorical') {
        return `${col.name} is ${col.type}: ${step.kind === 'onehot' ? 'one-hot' : 'ordinal'} encoding needs a categorical column (retype it on the Data page)`;
      }
      return step.kind === 'onehot' ? oneHotProblem(col, step.maxCategories) : null;
    default:
      if (col.type !== 'image') return `${col.name} is ${col.type}: ${step.kind} needs an image column`;
      return imageProblem(step, col);
  }
}

function parameterProblem(
  step: Extract<RecipeStep, { kind: 'clip' | 'transform' | 'scale' }>,
): string | null {
  if (step.kind === 'clip' && step.method === 'quantile') {
    const lo = step.lower ?? 0.01;
    const hi = step.upper ?? 0.99;
    if (!(lo >= 0 && hi <= 1 && lo < hi)) return 'Clip quantiles must satisfy 0 ≤ lower < upper ≤ 1';
  }
  if (step.kind === 'clip' && step.method === 'zscore' && !((step.z ?? 3) > 0)) return 'z must be positive';
  if (step.kind === 'transform' && step.fn === 'power' && !Number.isFinite(step.exponent ?? 2)) {
    return 'The exponent must be a number';
  }
  return null;
}

function oneHotProblem(col: SchemaColumn, maxCategories: number | undefined): string | null {
  const limit = Math.min(maxCategories ?? MAX_ONEHOT_CATEGORIES, ONEHOT_CEILING);
  const k = col.dictionary?.length ?? 0;
  return k > limit
    ? `${col.name} has ${k.toLocaleString('en')} categories; one-hot is limited to ${limit} columns (raise the limit up to ${ONEHOT_CEILING}, or use ordinal encoding)`
    : null;
}

function imageProblem(
  step: Extract<RecipeStep, { kind: `image-${string}` }>,
  col: SchemaColumn,
): string | null {
  const channels = col.shape?.[2] ?? 1;
  if (step.kind === 'image-resize') {
    const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 4096;
    return ok(step.height) && ok(step.width) ? null : 'Resize to whole numbers of pixels between 1 and 4096';
  }
  if (step.kind === 'image-normalize') {
    const given = [step.mean, step.std].filter((v) => v !== undefined);
    if (given.some((v) => v.length !== channels))
      return `Give one mean and one std per channel (${channels})`;
    if (step.std?.some((s) => !(s > 0))) return 'Every std must be positive';
  }
  if (step.kind === 'image-augment' && !(Number.isInteger(step.cropPadding) && step.cropPadding >= 0)) {
    return 'Crop padding must be a whole number of pixels ≥ 0';
  }
  return null;
}

function nextSchema(schema: SchemaColumn[], step: Exclude<RecipeStep, { kind: 'split' }>): SchemaColumn[] {
  switch (step.kind) {
    case 'drop':
      return schema.filter((c) => !step.columns.includes(c.name));
    case 'scale':
    case 'clip':
    case 'transform':
      return schema.map((c) =>
        step.columns.includes(c.name) && isNumericType(c.type) ? { name: c.name, type: 'number' } : c,
      );
    case 'impute':
      return schema.map((c) =>
        step.columns.includes(c.name) && c.type === 'categorical' && typeof step.value === 'string'
          ? withCategory(c, step.value)
          : c,
      );
    case 'ordinal':
      return schema.map((c) =>
        step.columns.includes(c.name) && c.type === 'categorical' ? { name: c.name, type: 'integer' } : c,
      );
    case 'onehot':
      return schema.flatMap((c) =>
        step.columns.includes(c.name) && c.type === 'categorical'
          ? (c.dictionary ?? []).map((v) => ({ name: `${c.name}=${v}`, type: 'number' as const }))
          : [c],
      );
    case 'image-resize':
      return schema.map((c) =>
        c.name === step.column && c.shape
          ? { ...c, shape: [step.height, step.width, c.shape[2]] as const }
          : c,
      );
    default:
      return schema;
  }
}

function withCategory(c: SchemaColumn, value: string): SchemaColumn {
  const dictionary = c.dictionary ?? [];
  return dictionary.includes(value) ? c : { ...c, dictionary: [...dictionary, value] };
}
