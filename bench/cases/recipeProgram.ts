import { wordsPerColumn } from '../../src/engine/data/table';
import { OP, type ElementOp, type Program, type WorkTable } from '../../src/engine/preprocess/program';
import { intParam, randomTable } from '../data';

/**
 * The recipe the `recipe-*` rows apply: a fixed, deterministic list of element-wise steps per numeric column,
 * of which a recipe of N steps takes the first N. Every value stays in every step's domain (the clip before
 * log1p and power keeps x > 0), so after the impute nothing is missing and all sides must agree cell by cell.
 */
export type RecipeStep =
  /** Missing → the column's mean (fitted). */
  | { readonly kind: 'impute' }
  /** (x − mean) / std, per column (fitted). */
  | { readonly kind: 'standardize' }
  /** min(max(x, lo), hi), the same bounds on every column. */
  | { readonly kind: 'clip'; readonly lo: number; readonly hi: number }
  /** (x − a) · b, the same a and b on every column. */
  | { readonly kind: 'affine'; readonly a: number; readonly b: number }
  | { readonly kind: 'log1p' }
  /** x^exponent (x > 0 here). */
  | { readonly kind: 'power'; readonly exponent: number };

/** Step k of a recipe of N steps is STEPS[k] (N ≤ STEPS.length). */
export const STEPS: readonly RecipeStep[] = [
  { kind: 'impute' },
  { kind: 'standardize' },
  { kind: 'clip', lo: -3, hi: 3 },
  // [−3, 3] → [0.25, 3.25]: inside log1p's domain.
  { kind: 'affine', a: -3.5, b: 0.5 },
  { kind: 'log1p' },
  { kind: 'power', exponent: 1.5 },
  { kind: 'affine', a: -1, b: 2 },
  { kind: 'clip', lo: 2.5, hi: 5 },
];

/** The step counts the sweep measures by default. */
export const DEFAULT_SWEEP = [1, 2, 3, 5, 8] as const;

/** Query parameters every recipe case reads. */
export const RECIPE_PARAMS = [
  'recipeRows',
  'recipeCols',
  'recipeMissing',
  'recipeSteps',
  'recipeSweep',
  'recipeSweepRuns',
] as const;

/** Per-column parameters fitted on the table (f32, as the GPU sees them). */
export interface Fitted {
  /** Mean of the present values of each column (the impute value and the standardize centre). */
  readonly mean: Float32Array;
  /** 1 / population std of each column (the standardize factor). */
  readonly invStd: Float32Array;
}

/** The seeded table every recipe case uses, in the preprocess backends' layout. */
export interface RecipeTable {
  readonly table: WorkTable;
  readonly rows: number;
  readonly cols: number;
  readonly fitted: Fitted;
  /** The same values column-major with NaN for missing cells: the tfjs side's input ([cols, rows]). */
  readonly nanCoded: Float32Array;
}

/** Reads `recipeMissing` (a share in [0, 1), default 0.05). */
function missingParam(params: URLSearchParams): number {
  const raw = params.get('recipeMissing');
  if (raw === null || raw === '') return 0.05;
  const v = Number(raw);
  if (!(v >= 0 && v < 1)) throw new Error(`Query parameter recipeMissing=${raw} must be in [0, 1)`);
  return v;
}

/** Reads `recipeSteps` (default 8, at most STEPS.length). */
export function stepsParam(params: URLSearchParams): number {
  return checkSteps(intParam(params, 'recipeSteps', STEPS.length), 'recipeSteps');
}

/** Reads `recipeSweep` (comma-separated step counts, default 1,2,3,5,8). */
export function sweepParam(params: URLSearchParams): number[] {
  const raw = params.get('recipeSweep');
  if (raw === null || raw.trim() === '') return [...DEFAULT_SWEEP];
  return raw.split(',').map((s) => {
    const v = Number(s.trim());
    if (!Number.isInteger(v)) throw new Error(`Query parameter recipeSweep=${raw} must list integers`);
    return checkSteps(v, 'recipeSweep');
  });
}

function checkSteps(n: number, key: string): number {
  if (n < 1 || n > STEPS.length) throw new Error(`${key}: ${n} steps; this recipe has 1 to ${STEPS.length}`);
  return n;
}

/** Builds the seeded table (`recipeRows` × `recipeCols`, `recipeMissing` share missing) and fits it. */
export function recipeTable(params: URLSearchParams): RecipeTable {
  const t = randomTable({
    rows: intParam(params, 'recipeRows', 100_000),
    cols: intParam(params, 'recipeCols', 8),
    missing: missingParam(params),
    seed: 20_261_204,
  });
  const rows = t.rows;
  const cols = t.names.length;
  const wpc = wordsPerColumn(rows);
  const mean = new Float32Array(cols);
  const invStd = new Float32Array(cols);
  const nanCoded = new Float32Array(t.values);
  for (let c = 0; c < cols; c++) {
    let n = 0;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      if (((t.validity[c * wpc + (r >>> 5)]! >>> (r & 31)) & 1) === 0) {
        nanCoded[c * rows + r] = NaN;
        continue;
      }
      n++;
      sum += t.values[c * rows + r]!;
    }
    const m = n > 0 ? sum / n : 0;
    let m2 = 0;
    for (let r = 0; r < rows; r++) {
      const x = nanCoded[c * rows + r]!;
      if (!Number.isNaN(x)) m2 += (x - m) * (x - m);
    }
    const std = n > 0 ? Math.sqrt(m2 / n) : 0;
    mean[c] = m;
    invStd[c] = std > 0 ? 1 / std : 1;
  }
  return {
    table: {
      rows,
      numeric: { values: t.values, validity: t.validity, cols },
      codes: { codes: new Int32Array(0), cardinality: [] },
    },
    rows,
    cols,
    fitted: { mean, invStd },
    nanCoded,
  };
}

/** One step as the engine's operation on column c. */
function elementOp(step: RecipeStep, fitted: Fitted, c: number): ElementOp {
  switch (step.kind) {
    case 'impute':
      return { op: OP.impute, a: fitted.mean[c]!, b: 0 };
    case 'standardize':
      return { op: OP.affine, a: fitted.mean[c]!, b: fitted.invStd[c]! };
    case 'clip':
      return { op: OP.clip, a: step.lo, b: step.hi };
    case 'affine':
      return { op: OP.affine, a: step.a, b: step.b };
    case 'log1p':
      return { op: OP.log1p, a: 0, b: 0 };
    case 'power':
      return { op: OP.power, a: step.exponent, b: 0 };
  }
}

/** The compiled program of the first `n` steps on every numeric column: element-wise only, no encode. */
export function recipeProgram(rt: RecipeTable, n: number): Program {
  const steps = STEPS.slice(0, n);
  return {
    encode: [],
    elementwise: Array.from({ length: rt.cols }, (_, c) => ({
      input: c,
      ops: steps.map((s) => elementOp(s, rt.fitted, c)),
    })),
    codes: [],
  };
}

/** Relative tolerance of every comparison: |a − b| ≤ REL_TOL · max(|a|, |b|). */
export const REL_TOL = 1e-5;

/**
 * Throws unless `got` equals `want` within REL_TOL on every present cell of `want` (column-major, `rows` per
 * column). `present(i)` says whether cell i of `want` holds a value; `gotPresent` whether `got` does.
 */
export function checkClose(
  what: string,
  got: Float32Array,
  want: Float32Array,
  present: (i: number) => boolean,
  gotPresent: (i: number) => boolean,
): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} cells vs ${want.length}`);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const p = present(i);
    if (p !== gotPresent(i)) throw new Error(`${what}: cell ${i} present ${gotPresent(i)} vs ${p}`);
    if (!p) continue;
    const a = got[i]!;
    const b = want[i]!;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    const rel = a === b ? 0 : Math.abs(a - b) / scale;
    if (!(rel <= REL_TOL)) {
      throw new Error(`${what}: cell ${i} is ${a} vs ${b} (relative error ${rel}, tolerance ${REL_TOL})`);
    }
    worst = Math.max(worst, rel);
  }
  lastWorst.set(what, worst);
}

/** The largest relative error each named check last saw (for the report). */
export const lastWorst = new Map<string, number>();

/** Whether bit r of column c is set in a column-major validity mask of `rows` rows per column. */
export function bitAt(validity: Uint32Array, rows: number, i: number): boolean {
  const c = Math.floor(i / rows);
  const r = i - c * rows;
  return ((validity[c * wordsPerColumn(rows) + (r >>> 5)]! >>> (r & 31)) & 1) === 1;
}
