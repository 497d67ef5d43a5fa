import { WorkbenchError } from '../../lib/errors';
import type { FittedStep, SchemaColumn, SplitInfo } from './fitted';
import type { ImageBackend } from './imageProgram';
import { fitImageStep } from './fitImage';
import { OP, type EncodeSpec, type PreprocessBackend, type Program } from './program';
import type { Recipe, RecipeStep } from './recipe';
import { MAX_ONEHOT_CATEGORIES, ONEHOT_CEILING } from './recipe';
import { identityTransform, outputIndex, programOf, type CodeSlot, type NumSlot, type Slot } from './slots';
import { isNumericType } from './validate';

/** What fitting needs: the source schema, how its columns map to the backend's table, and the backends. */
export interface FitInput {
  readonly recipe: Recipe;
  /** Source columns (categorical dictionaries already extended with constant-impute categories). */
  readonly columns: readonly SchemaColumn[];
  /** Source column index of each numeric input column of the backend table, in order. */
  readonly numericInputs: readonly number[];
  /** Source column index of each code column of the backend table, in order. */
  readonly codeInputs: readonly number[];
  /** Rows [0, trainRows) of the backend's table are the training split. */
  readonly trainRows: number;
  readonly table: PreprocessBackend;
  /** The CPU reference over the same table, for the rare statistic with no kernel (numeric mode). */
  readonly reference: () => PreprocessBackend;
  readonly images: ImageBackend;
  /** Pixels of an image source column, in split order. */
  readonly pixels: (sourceColumn: number) => Uint8Array | Float32Array;
  readonly split: SplitInfo | null;
}

/** The fitted state: the final slots and program, and what each step learned. */
export interface Fit {
  readonly slots: readonly Slot[];
  readonly program: Program;
  readonly steps: readonly FittedStep[];
}

/**
 * Fits the recipe's steps in order. Every statistic is computed over the training rows only, of the column as
 * transformed by the steps before it; the split step itself was applied before the table was built.
 */
export async function fitRecipe(input: FitInput): Promise<Fit> {
  const slots: Slot[] = input.columns.map((c, i) => initialSlot(input, c, i));
  const encode: EncodeSpec[] = [];
  const steps: FittedStep[] = [];
  const ctx: StepContext = { input, slots, encode, nextCol: input.numericInputs.length };
  for (const step of input.recipe.steps) {
    const lines = await fitStep(ctx, step);
    steps.push({ stepId: step.id, kind: step.kind, lines });
  }
  return { slots: ctx.slots, program: programOf(ctx.slots, encode), steps };
}

interface StepContext {
  readonly input: FitInput;
  slots: Slot[];
  readonly encode: EncodeSpec[];
  nextCol: number;
}

function initialSlot(input: FitInput, c: SchemaColumn, i: number): Slot {
  if (isNumericType(c.type))
    return { kind: 'num', name: c.name, type: c.type, col: input.numericInputs.indexOf(i), ops: [] };
  if (c.type === 'categorical') {
    return {
      kind: 'code',
      name: c.name,
      input: input.codeInputs.indexOf(i),
      fill: -1,
      dictionary: c.dictionary ?? [],
    };
  }
  if (c.type === 'image' && c.shape !== undefined) {
    return {
      kind: 'image',
      name: c.name,
      source: i,
      inShape: c.shape,
      transform: identityTransform(c.shape),
      normalized: false,
      augment: null,
    };
  }
  return { kind: 'pass', name: c.name, source: i };
}

async function fitStep(ctx: StepContext, step: RecipeStep): Promise<string[]> {
  switch (step.kind) {
    case 'split':
      return splitLines(ctx.input.split);
    case 'drop':
      ctx.slots = ctx.slots.filter((s) => !step.columns.includes(s.name));
      return [`dropped ${step.columns.join(', ')}`];
    case 'impute':
      return imputeStep(ctx, step);
    case 'scale':
      return scaleStep(ctx, step);
    case 'clip':
      return clipStep(ctx, step);
    case 'transform':
      return step.columns.map((name) => {
        const slot = numSlot(ctx, name);
        const exponent = step.exponent ?? 2;
        slot.ops.push({ op: OP[step.fn], a: step.fn === 'power' ? exponent : 0, b: 0 });
        slot.type = 'number';
        return `${name}: ${step.fn === 'power' ? `x^${exponent}` : `${step.fn}(x)`}`;
      });
    case 'onehot':
    case 'ordinal':
      return encodeStep(ctx, step);
    default:
      return fitImageStep(ctx.slots, step, ctx.input);
  }
}

function splitLines(split: SplitInfo | null): string[] {
  if (split === null) return [];
  const by = split.stratify === null ? '' : `, stratified by ${split.stratify}`;
  return [
    `train ${split.train} · validation ${split.validation} · test ${split.test} rows (seed ${split.seed}${by})`,
  ];
}

function numSlot(ctx: StepContext, name: string): NumSlot {
  const s = ctx.slots.find((x) => x.name === name);
  if (s?.kind !== 'num')
    throw new WorkbenchError('INVALID_INPUT', `${name} is not a numeric column at this step`);
  return s;
}

function codeSlot(ctx: StepContext, name: string): CodeSlot {
  const s = ctx.slots.find((x) => x.name === name);
  if (s?.kind !== 'code')
    throw new WorkbenchError('INVALID_INPUT', `${name} is not a categorical column at this step`);
  return s;
}

function program(ctx: StepContext): Program {
  return programOf(ctx.slots, ctx.encode);
}

function emptyTrain(ctx: StepContext, name: string, what: string): WorkbenchError {
  return new WorkbenchError(
    'INVALID_INPUT',
    `${name} has no values in the training split (${ctx.input.trainRows} rows), so its ${what} cannot be fitted: impute it with a constant first, or drop it`,
  );
}

async function moments(ctx: StepContext, names: readonly string[], what: string) {
  const slots = names.map((n) => numSlot(ctx, n));
  const result = await ctx.input.table.moments(
    program(ctx),
    ctx.input.trainRows,
    slots.map((s) => outputIndex(ctx.slots, s)),
  );
  result.forEach((m, i) => {
    if (m.n === 0) throw emptyTrain(ctx, names[i]!, what);
  });
  return slots.map((slot, i) => ({ slot, m: result[i]! }));
}

async function quantiles(ctx: StepContext, names: readonly string[], qs: readonly number[], what: string) {
  const slots = names.map((n) => numSlot(ctx, n));
  const queries = slots.flatMap((s) => qs.map((q) => ({ output: outputIndex(ctx.slots, s), q })));
  const values = await ctx.input.table.quantiles(program(ctx), ctx.input.trainRows, queries);
  return slots.map((slot, i) => {
    const v = values.slice(i * qs.length, (i + 1) * qs.length);
    if (v.some((x) => Number.isNaN(x))) throw emptyTrain(ctx, slot.name, what);
    return { slot, v };
  });
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(6));

async function imputeStep(
  ctx: StepContext,
  step: Extract<RecipeStep, { kind: 'impute' }>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const name of step.columns) {
    const slot = ctx.slots.find((s) => s.name === name);
    if (slot?.kind === 'code') {
      lines.push(await imputeCodes(ctx, slot, step));
      continue;
    }
    const num = numSlot(ctx, name);
    let value: number;
    if (step.strategy === 'constant') value = Number(step.value);
    else if (step.strategy === 'mean') value = (await moments(ctx, [name], 'mean'))[0]!.m.mean;
    else if (step.strategy === 'median') value = (await quantiles(ctx, [name], [0.5], 'median'))[0]!.v[0]!;
    else value = await numericMode(ctx, num);
    num.ops.push({ op: OP.impute, a: value, b: 0 });
    lines.push(`${name}: missing → ${fmt(value)} (${step.strategy.replace('_', ' ')})`);
  }
  return lines;
}

async function imputeCodes(
  ctx: StepContext,
  slot: CodeSlot,
  step: Extract<RecipeStep, { kind: 'impute' }>,
): Promise<string> {
  if (step.strategy === 'constant') {
    slot.fill = slot.dictionary.indexOf(String(step.value));
  } else {
    const [counts] = await ctx.input.table.codeCounts(ctx.input.trainRows, [
      { input: slot.input, fill: slot.fill },
    ]);
    let best = -1;
    counts!.forEach((c, code) => {
      if (code < slot.dictionary.length && c > 0 && (best < 0 || c > counts![best]!)) best = code;
    });
    if (best < 0) throw emptyTrain(ctx, slot.name, 'most frequent category');
    slot.fill = best;
  }
  return `${slot.name}: missing → "${slot.dictionary[slot.fill] ?? ''}" (${step.strategy.replace('_', ' ')})`;
}

/** Most frequent training value of a numeric column (ties → the smallest), on the CPU reference. */
async function numericMode(ctx: StepContext, slot: NumSlot): Promise<number> {
  const ref = ctx.input.reference();
  const out = await ref.run(programOf([slot], ctx.encode));
  const counts = new Map<number, number>();
  for (let r = 0; r < ctx.input.trainRows; r++) {
    if ((((out.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 0) continue;
    const v = out.values[r]!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) throw emptyTrain(ctx, slot.name, 'most frequent value');
  let best = NaN;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  }
  return best;
}

async function scaleStep(ctx: StepContext, step: Extract<RecipeStep, { kind: 'scale' }>): Promise<string[]> {
  const push = (slot: NumSlot, centre: number, spread: number, label: string): string => {
    const b = spread > 0 && Number.isFinite(1 / spread) ? 1 / spread : 1;
    slot.ops.push({ op: OP.affine, a: centre, b });
    slot.type = 'number';
    const note = b === 1 && spread !== 1 ? ' (constant in training: centred only)' : '';
    return `${slot.name}: (x − ${fmt(centre)}) / ${fmt(b === 1 ? 1 : spread)} — ${label}${note}`;
  };
  if (step.method === 'standardize') {
    const ms = await moments(ctx, step.columns, 'mean and std');
    return ms.map(({ slot, m }) => push(slot, m.mean, m.std, 'mean, population std'));
  }
  if (step.method === 'minmax') {
    const ms = await moments(ctx, step.columns, 'range');
    return ms.map(({ slot, m }) => push(slot, m.min, m.max - m.min, 'min, max − min'));
  }
  const qs = await quantiles(ctx, step.columns, [0.25, 0.5, 0.75], 'median and IQR');
  return qs.map(({ slot, v }) => push(slot, v[1]!, v[2]! - v[0]!, 'median, IQR'));
}

async function clipStep(ctx: StepContext, step: Extract<RecipeStep, { kind: 'clip' }>): Promise<string[]> {
  const push = (slot: NumSlot, lo: number, hi: number, label: string): string => {
    slot.ops.push({ op: OP.clip, a: lo, b: hi });
    return `${slot.name}: clipped to [${fmt(lo)}, ${fmt(hi)}] (${label})`;
  };
  if (step.method === 'zscore') {
    const z = step.z ?? 3;
    const ms = await moments(ctx, step.columns, 'mean and std');
    return ms.map(({ slot, m }) => push(slot, m.mean - z * m.std, m.mean + z * m.std, `mean ± ${z}·std`));
  }
  const lo = step.lower ?? 0.01;
  const hi = step.upper ?? 0.99;
  const qs = await quantiles(ctx, step.columns, [lo, hi], 'quantiles');
  return qs.map(({ slot, v }) => push(slot, v[0]!, v[1]!, `quantiles ${lo}, ${hi}`));
}

async function encodeStep(
  ctx: StepContext,
  step: Extract<RecipeStep, { kind: 'onehot' | 'ordinal' }>,
): Promise<string[]> {
  const slots = step.columns.map((n) => codeSlot(ctx, n));
  const counts = await ctx.input.table.codeCounts(
    ctx.input.trainRows,
    slots.map((s) => ({ input: s.input, fill: s.fill })),
  );
  const lines: string[] = [];
  slots.forEach((slot, i) => {
    const seen = slot.dictionary.flatMap((v, code) => ((counts[i]![code] ?? 0) > 0 ? [{ v, code }] : []));
    if (seen.length === 0) throw emptyTrain(ctx, slot.name, 'categories');
    // One map entry per code plus the reserved last code for categories unseen at apply time.
    const map = new Int32Array(slot.dictionary.length + 1).fill(-1);
    let replacement: Slot[];
    if (step.kind === 'onehot') {
      const limit = Math.min(step.maxCategories ?? MAX_ONEHOT_CATEGORIES, ONEHOT_CEILING);
      if (seen.length > limit) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `${slot.name} has ${seen.length} categories in the training split; one-hot is limited to ${limit} columns (raise the limit up to ${ONEHOT_CEILING}, or use ordinal encoding)`,
        );
      }
      seen.forEach(({ code }, k) => (map[code] = k));
      replacement = seen.map(({ v }, k) => ({
        kind: 'num',
        name: `${slot.name}=${v}`,
        type: 'number',
        col: ctx.nextCol + k,
        ops: [],
      }));
      lines.push(
        `${slot.name}: ${seen.length} columns (${seen.map((s) => s.v).join(', ')}); unseen or missing → all zeros`,
      );
    } else {
      const sorted = [...seen].sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0));
      sorted.forEach(({ code }, k) => (map[code] = k));
      replacement = [{ kind: 'num', name: slot.name, type: 'integer', col: ctx.nextCol, ops: [] }];
      lines.push(`${slot.name}: ${sorted.map((s, k) => `${s.v}=${k}`).join(', ')}; unseen → missing`);
    }
    const width = step.kind === 'onehot' ? seen.length : 1;
    ctx.encode.push({ input: slot.input, fill: slot.fill, mode: step.kind, map, width });
    ctx.nextCol += width;
    const at = ctx.slots.indexOf(slot);
    ctx.slots = [...ctx.slots.slice(0, at), ...replacement, ...ctx.slots.slice(at + 1)];
  });
  return lines;
}
