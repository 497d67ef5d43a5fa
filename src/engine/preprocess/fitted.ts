import type { ColumnType, DatasetMeta, ImageShape } from '../data/dataset';
import type { ColumnHistogram } from '../data/histogram.ref';
import type { DeviceUsage } from '../gpu/instrument';
import type { AdapterSummary } from '../gpu/probe';
import type { ImageTransform } from './imageProgram';
import type { Recipe, StepKind } from './recipe';

/** A column of the recipe's input or output schema. */
export interface SchemaColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** Categorical: categories by code. */
  readonly dictionary?: readonly string[];
  /** Image: shape per row. */
  readonly shape?: ImageShape;
}

/** The program in storable form (typed arrays as plain arrays). */
export interface StoredProgram {
  readonly encode: readonly {
    readonly input: number;
    readonly fill: number;
    readonly mode: 'onehot' | 'ordinal';
    readonly map: readonly number[];
    readonly width: number;
  }[];
  readonly elementwise: readonly {
    readonly input: number;
    readonly ops: readonly { readonly op: number; readonly a: number; readonly b: number }[];
  }[];
  readonly codes: readonly { readonly input: number; readonly fill: number }[];
}

/** What one step learned, for people: one line per column (e.g. "bill_length_mm: mean 43.92"). */
export interface FittedStep {
  /** The step's id; 'input' for notes about the input data (e.g. values not finite in f32). */
  readonly stepId: string;
  readonly kind: StepKind | 'input';
  readonly lines: readonly string[];
}

/** Split sizes (rows are stored train, then validation, then test). */
export interface SplitInfo {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly seed: number;
  readonly stratify: string | null;
}

/**
 * A recipe with every parameter fitted on a training split: applied as is to the validation and test rows, to
 * new data at inference time, and folded into exported models. Plain JSON.
 */
export interface FittedRecipe {
  readonly version: 1;
  readonly recipe: Recipe;
  /** The columns the recipe reads, as they were when it was fitted. */
  readonly input: readonly SchemaColumn[];
  /** Numeric input columns (by name, in program order) and categorical ones (by name, in code-column order). */
  readonly numericInputs: readonly string[];
  readonly codeInputs: readonly string[];
  readonly program: StoredProgram;
  /** Output columns in stored order: numeric outputs, then categorical, then images, then passed-through. */
  readonly output: readonly SchemaColumn[];
  readonly images: readonly {
    readonly column: string;
    readonly transform: ImageTransform;
    /** Training-time augmentation settings (never applied when the recipe is applied). */
    readonly augment: { readonly flip: boolean; readonly cropPadding: number } | null;
  }[];
  readonly split: SplitInfo | null;
  readonly steps: readonly FittedStep[];
}

/** A column before or after the recipe, for the preview. */
export interface ColumnSummary {
  readonly name: string;
  readonly type: ColumnType;
  readonly missing: number;
  /** Numeric columns over all rows. */
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly histogram: ColumnHistogram | null;
  /** Categorical columns: the most frequent categories. */
  readonly topCategories: readonly { readonly value: string; readonly count: number }[] | null;
}

/** Numeric column statistics per split (the no-leakage check the UI shows). */
export interface SplitStats {
  readonly column: string;
  readonly split: 'train' | 'validation' | 'test';
  readonly mean: number | null;
  readonly std: number | null;
  readonly missing: number;
}

/** The outcome of fitting and applying a recipe. */
export interface RecipeRun {
  readonly fitted: FittedRecipe;
  /** The new snapshot, when saved. */
  readonly output: DatasetMeta | null;
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: AdapterSummary | null;
  readonly fallbackReason: string | null;
  /** Device work for fitting and applying, from the table's upload on (zero on the CPU). */
  readonly usage: DeviceUsage;
  /**
   * Device work of the final application alone, on the already resident table: the program's tables, one
   * pass per stage, one readback.
   */
  readonly applyUsage: DeviceUsage;
  readonly rows: number;
  readonly before: readonly ColumnSummary[];
  readonly after: readonly ColumnSummary[];
  readonly splitStats: readonly SplitStats[];
  readonly wallMs: number;
}

/** Whether a dataset was written by a preprocessing recipe (its lineage then holds the fitted recipe). */
export function hasFittedRecipe(meta: DatasetMeta | undefined): boolean {
  const recipe = meta?.parent?.recipe as { version?: unknown; program?: unknown } | undefined;
  return recipe?.version === 1 && recipe.program !== undefined;
}
