/**
 * The compiled form of a fitted recipe that backends execute. Every step acts on one column at a time, so a
 * whole recipe compiles to at most two passes whatever its length: an encode pass (categorical codes →
 * one-hot / ordinal numeric columns) and ONE fused element-wise pass where each output column runs its own
 * list of operations. Plain data (typed arrays aside) so it can be stored with the fitted recipe.
 */

/** Element-wise operation codes; the WGSL kernel reads the same numbers from its operation table. */
export const OP = {
  /** Missing → a (and present). */
  impute: 1,
  /** x → (x − a) · b. */
  affine: 2,
  /** x → min(max(x, a), b). */
  clip: 3,
  /** x → ln x; x ≤ 0 → missing. */
  log: 4,
  /** x → ln(1 + x); x ≤ −1 → missing. */
  log1p: 5,
  /** x → √x; x < 0 → missing. */
  sqrt: 6,
  /** x → x^a; x < 0 with a non-integer a, or a non-finite result → missing. */
  power: 7,
} as const;

export type OpCode = (typeof OP)[keyof typeof OP];

/** One operation with its two parameters (unused ones are 0). */
export interface ElementOp {
  readonly op: OpCode;
  readonly a: number;
  readonly b: number;
}

/** One numeric output column: which intermediate column it reads and the operations applied in order. */
export interface ElementwiseColumn {
  readonly input: number;
  readonly ops: readonly ElementOp[];
}

/**
 * Encodes one categorical input column. `fill` replaces missing codes first (−1: none). onehot: `map[code]` is
 * the output slot in [0, width) or −1 (unseen: all zeros); a still-missing value also gives all zeros, and the
 * outputs are always present. ordinal: width 1, `map[code]` is the ordinal value or −1 (unseen → missing).
 */
export interface EncodeSpec {
  readonly input: number;
  readonly fill: number;
  readonly mode: 'onehot' | 'ordinal';
  readonly map: Int32Array;
  readonly width: number;
}

/** A categorical column kept as codes, with missing codes replaced by `fill` (−1: left missing). */
export interface CodePass {
  readonly input: number;
  readonly fill: number;
}

/**
 * intermediate = [numeric input columns..., encode outputs in spec order...];
 * numeric outputs = elementwise columns (reading intermediate columns); categorical outputs = codes.
 */
export interface Program {
  readonly encode: readonly EncodeSpec[];
  readonly elementwise: readonly ElementwiseColumn[];
  readonly codes: readonly CodePass[];
}

/** Number of intermediate columns a program sees, given the number of numeric input columns. */
export function intermediateWidth(numericInputs: number, p: Program): number {
  return numericInputs + p.encode.reduce((n, e) => n + e.width, 0);
}

/**
 * The working data a backend holds: numeric columns (f32, column-major, validity bitmask as in NumericTable)
 * and categorical columns as i32 codes (column-major, −1 = missing) with each column's category count.
 */
export interface WorkTable {
  readonly rows: number;
  readonly numeric: { readonly values: Float32Array; readonly validity: Uint32Array; readonly cols: number };
  readonly codes: { readonly codes: Int32Array; readonly cardinality: readonly number[] };
}

/** A program's result: numeric outputs (column-major f32 + validity) and categorical outputs (i32 codes). */
export interface ProgramOutput {
  readonly rows: number;
  readonly values: Float32Array;
  readonly validity: Uint32Array;
  readonly codes: Int32Array;
}

/** Statistics of one numeric column over the fitting rows (population std). Empty columns: n = 0, NaNs. */
export interface Moments {
  readonly n: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/** A quantile query on an elementwise output column (linear interpolation between order statistics). */
export interface QuantileQuery {
  readonly output: number;
  readonly q: number;
}

/** Category counts of one code column over the fitting rows, after `fill`. */
export interface CodeCountQuery {
  readonly input: number;
  readonly fill: number;
}

/**
 * Executes programs over a loaded WorkTable. Statistics are over rows [0, fitRows) (the training split comes
 * first). The GPU backend uploads the table once at creation and keeps it resident until dispose().
 */
export interface PreprocessBackend {
  readonly kind: 'webgpu' | 'cpu';
  /** Moments of elementwise outputs `outputs` of `program`. */
  moments(program: Program, fitRows: number, outputs: readonly number[]): Promise<Moments[]>;
  /** Quantiles (NaN for a column with no values in the fitting rows). */
  quantiles(program: Program, fitRows: number, queries: readonly QuantileQuery[]): Promise<number[]>;
  /** Per-category counts (length = cardinality) of code columns. */
  codeCounts(fitRows: number, queries: readonly CodeCountQuery[]): Promise<Uint32Array[]>;
  /** Runs the whole program over every row: one upload already done, one readback here. */
  run(program: Program): Promise<ProgramOutput>;
  dispose(): void;
}
