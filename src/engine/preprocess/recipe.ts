/**
 * A preprocessing recipe: ordered, declarative steps naming columns by name. Plain data (the project format
 * stores it as is). Fitting turns it into a FittedRecipe (see fitted.ts) whose parameters come from the
 * training split only, whatever the position of the split step.
 */

/** Every step has an id (stable across edits, for the editor's keys and undo/redo). */
interface StepBase {
  readonly id: string;
}

export interface DropStep extends StepBase {
  readonly kind: 'drop';
  readonly columns: readonly string[];
}

/** Fills missing values. Categorical columns accept 'most_frequent' and 'constant' (a category name). */
export interface ImputeStep extends StepBase {
  readonly kind: 'impute';
  readonly columns: readonly string[];
  readonly strategy: 'mean' | 'median' | 'most_frequent' | 'constant';
  /** For 'constant': a number (numeric columns) or a category (categorical columns). */
  readonly value?: number | string;
}

/** standardize: (x − mean) / std (population); minmax: (x − min) / (max − min); robust: (x − median) / IQR. */
export interface ScaleStep extends StepBase {
  readonly kind: 'scale';
  readonly columns: readonly string[];
  readonly method: 'standardize' | 'minmax' | 'robust';
}

/** quantile: clip to the [lower, upper] quantiles; zscore: clip to mean ± z·std. */
export interface ClipStep extends StepBase {
  readonly kind: 'clip';
  readonly columns: readonly string[];
  readonly method: 'quantile' | 'zscore';
  /** Quantiles in [0, 1] for 'quantile' (defaults 0.01 and 0.99). */
  readonly lower?: number;
  readonly upper?: number;
  /** For 'zscore' (default 3). */
  readonly z?: number;
}

/**
 * Element-wise transforms. log and log1p of values outside their domain (x ≤ 0, x ≤ −1), sqrt of x < 0 and
 * power results that are not finite become missing values (never NaN or Inf).
 */
export interface TransformStep extends StepBase {
  readonly kind: 'transform';
  readonly columns: readonly string[];
  readonly fn: 'log' | 'log1p' | 'sqrt' | 'power';
  /** For 'power' (default 2). */
  readonly exponent?: number;
}

/**
 * One-hot: one 0/1 column per category seen in the training split, named `column=category`. A category not
 * seen in training (or a missing value) gives all zeros. Refused above `maxCategories` (default 256).
 */
export interface OneHotStep extends StepBase {
  readonly kind: 'onehot';
  readonly columns: readonly string[];
  readonly maxCategories?: number;
}

/** Ordinal: categories seen in training get codes 0..k−1 (sorted by name); unseen ones become missing. */
export interface OrdinalStep extends StepBase {
  readonly kind: 'ordinal';
  readonly columns: readonly string[];
}

/**
 * Shuffles rows with `seed` and assigns them to train / validation / test in these proportions
 * (stratified by a column's values when `stratify` is set). Output rows are ordered train, validation, test.
 */
export interface SplitStep extends StepBase {
  readonly kind: 'split';
  readonly train: number;
  readonly validation: number;
  readonly test: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly stratify: string | null;
}

/** Image pixels u8 → [0, 1]. */
export interface ImageScaleStep extends StepBase {
  readonly kind: 'image-scale';
  readonly column: string;
}

/** Per-channel (x − mean_c) / std_c, fitted on the training split unless given. */
export interface ImageNormalizeStep extends StepBase {
  readonly kind: 'image-normalize';
  readonly column: string;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/** Bilinear resize (half-pixel centres, as in tf.image.resizeBilinear with halfPixelCenters). */
export interface ImageResizeStep extends StepBase {
  readonly kind: 'image-resize';
  readonly column: string;
  readonly height: number;
  readonly width: number;
}

/**
 * Training-time augmentation: a random horizontal flip and a random crop after zero padding, drawn per image
 * and per epoch from the training seed. Never stored in a snapshot, never applied at inference or export.
 */
export interface ImageAugmentStep extends StepBase {
  readonly kind: 'image-augment';
  readonly column: string;
  readonly flip: boolean;
  /** Pixels of zero padding before a random crop back to the original size (0: no crop). */
  readonly cropPadding: number;
}

export type RecipeStep =
  | DropStep
  | ImputeStep
  | ScaleStep
  | ClipStep
  | TransformStep
  | OneHotStep
  | OrdinalStep
  | SplitStep
  | ImageScaleStep
  | ImageNormalizeStep
  | ImageResizeStep
  | ImageAugmentStep;

export type StepKind = RecipeStep['kind'];

/** A recipe: its steps in editor order. */
export interface Recipe {
  readonly version: 1;
  readonly steps: readonly RecipeStep[];
}

/** Default one-hot category limit. */
export const MAX_ONEHOT_CATEGORIES = 256;
/** Hard ceiling on one-hot categories, whatever a step asks. */
export const ONEHOT_CEILING = 4096;
