import type { BackendChoice } from '../../bridge/contracts';
import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import { CPU_FALLBACK_CODES, type GpuContext } from '../gpu/context';
import { newUsage, usageSince, type DeviceUsage } from '../gpu/instrument';
import type { AdapterSummary } from '../gpu/probe';
import { createCpuBackend } from './cpuBackend';
import { fitRecipe, type Fit } from './fit';
import type { FittedRecipe, RecipeRun, SchemaColumn, SplitInfo } from './fitted';
import { createGpuBackend } from './gpuBackend';
import { createCpuImageBackend } from './imageCpu';
import { createGpuImageBackend } from './imageGpu';
import type { ImageBackend } from './imageProgram';
import {
  buildWorkTable,
  extendedDictionaries,
  tableInputs,
  type LoadedColumn,
  type LoadedDataset,
} from './load';
import { assembleOutput, permuteRows } from './output';
import type { PreprocessBackend, Program, WorkTable } from './program';
import type { Recipe } from './recipe';
import { noSplit, planSplit, type SplitPlan } from './split';
import { splitStatsOf, summarize } from './summary';
import { checkRecipe } from './validate';

/** A finished recipe run: what the UI is told, and the output columns for a snapshot. */
export interface RecipeResult {
  readonly run: Omit<RecipeRun, 'output'>;
  readonly columns: readonly LoadedColumn[];
}

/** Fits a recipe on a dataset's training split and applies it to every row, on the chosen backend. */
export async function runRecipeOn(
  gpu: GpuContext,
  data: LoadedDataset,
  recipe: Recipe,
  backend: BackendChoice,
): Promise<RecipeResult> {
  const start = performance.now();
  const check = checkRecipe(data.meta.columns, recipe);
  if (check.issues.length > 0) {
    const first = check.issues[0]!;
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The recipe has ${check.issues.length} problem${check.issues.length > 1 ? 's' : ''}: ${first.message}`,
      check.issues.map((i) => i.message),
    );
  }
  const prepared = prepare(data, recipe);
  const cpu = async (reason: string | null): Promise<RecipeResult> => {
    const table = createCpuBackend(prepared.table);
    const done = await execute(prepared, table, createCpuImageBackend(), () => newUsage());
    return finish(prepared, done, { backend: 'cpu', adapter: null, fallbackReason: reason }, start);
  };
  if (backend === 'cpu') return cpu(null);
  try {
    const { done, adapter } = await gpu.run(async (s) => {
      const atStart = { ...s.usage }; // before the table's upload
      const table = await createGpuBackend(s, prepared.table);
      try {
        const images = await createGpuImageBackend(s);
        const usage = (): DeviceUsage => ({ ...s.usage });
        return { done: await execute(prepared, table, images, usage, atStart), adapter: s.adapter };
      } finally {
        table.dispose();
      }
    });
    return finish(prepared, done, { backend: 'webgpu', adapter, fallbackReason: null }, start);
  } catch (e) {
    const err = toWorkbenchError(e);
    if (backend === 'webgpu' || !CPU_FALLBACK_CODES.has(err.code)) throw err;
    return cpu(`${err.message} — the CPU reference ran the same recipe instead`);
  }
}

interface Prepared {
  readonly data: LoadedDataset;
  readonly recipe: Recipe;
  readonly plan: SplitPlan;
  readonly table: WorkTable;
  readonly inputs: { numeric: number[]; codes: number[] };
  readonly schema: SchemaColumn[];
  readonly nonFinite: Map<string, number>;
  readonly pixels: (column: number) => Uint8Array | Float32Array;
  readonly split: SplitInfo | null;
}

function prepare(data: LoadedDataset, recipe: Recipe): Prepared {
  const split = recipe.steps.find((s) => s.kind === 'split');
  const rows = data.meta.rows;
  const plan = split === undefined ? noSplit(rows) : planSplit(split, rows, strataOf(data, split.stratify));
  const dictionaries = extendedDictionaries(data.meta.columns, recipe);
  const inputs = tableInputs(data.meta.columns);
  const nonFinite = new Map<string, number>();
  const table = buildWorkTable(data, inputs, dictionaries, plan, nonFinite);
  const schema: SchemaColumn[] = data.meta.columns.map((c) => ({
    name: c.name,
    type: c.type,
    ...(c.type === 'categorical' ? { dictionary: dictionaries.get(c.name) ?? [] } : {}),
    ...(c.shape ? { shape: c.shape } : {}),
  }));
  const cache = new Map<number, Uint8Array | Float32Array>();
  const pixels = (column: number): Uint8Array | Float32Array => {
    let p = cache.get(column);
    if (p === undefined) {
      const src = data.columns[column]!.data as Uint8Array | Float32Array;
      p = permuteRows(src, rows === 0 ? 0 : src.length / rows, plan.order);
      cache.set(column, p);
    }
    return p;
  };
  const info: SplitInfo | null =
    split === undefined
      ? null
      : {
          train: plan.train,
          validation: plan.validation,
          test: plan.test,
          seed: split.seed,
          stratify: split.stratify,
        };
  return { data, recipe, plan, table, inputs, schema, nonFinite, pixels, split: info };
}

/** Stratum keys per source row: category codes or integer values, −1 for missing. */
function strataOf(data: LoadedDataset, column: string | null): Int32Array | null {
  if (column === null) return null;
  const col = data.columns.find((c) => c.meta.name === column)!;
  const keys = new Int32Array(data.meta.rows);
  const index = new Map<number, number>();
  for (let r = 0; r < keys.length; r++) {
    const valid = (((col.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 1;
    const v = valid ? (col.data as Float64Array | Int32Array)[r]! : NaN;
    if (Number.isNaN(v)) keys[r] = -1;
    else {
      if (!index.has(v)) index.set(v, index.size);
      keys[r] = index.get(v)!;
    }
  }
  return keys;
}

interface Executed {
  readonly fit: Fit;
  readonly columns: LoadedColumn[];
  readonly usage: DeviceUsage;
  readonly applyUsage: DeviceUsage;
}

async function execute(
  p: Prepared,
  table: PreprocessBackend,
  images: ImageBackend,
  usage: () => DeviceUsage,
  atStart = usage(),
): Promise<Executed> {
  let reference: PreprocessBackend | null = null;
  const fit = await fitRecipe({
    recipe: p.recipe,
    columns: p.schema,
    numericInputs: p.inputs.numeric,
    codeInputs: p.inputs.codes,
    trainRows: p.plan.train,
    table,
    reference: () => (reference ??= createCpuBackend(p.table)),
    images,
    pixels: p.pixels,
    split: p.split,
  });
  const beforeApply = usage();
  const out = await table.run(fit.program);
  const transformed = new Map<string, Float32Array>();
  for (const slot of fit.slots) {
    if (slot.kind !== 'image' || isIdentity(slot.transform)) continue;
    transformed.set(
      slot.name,
      await images.transform(p.pixels(slot.source), p.plan.order.length, slot.transform),
    );
  }
  const end = usage();
  const columns = assembleOutput(p.data, p.plan, fit, out, transformed, p.inputs.numeric.length);
  return { fit, columns, usage: usageSince(atStart, end), applyUsage: usageSince(beforeApply, end) };
}

function isIdentity(t: {
  inShape: readonly number[];
  outShape: readonly number[];
  scale: number;
  mean: readonly number[];
  invStd: readonly number[];
}): boolean {
  return (
    t.inShape.every((v, i) => v === t.outShape[i]) &&
    t.scale === 1 &&
    t.mean.every((m) => m === 0) &&
    t.invStd.every((s) => s === 1)
  );
}

function finish(
  p: Prepared,
  done: Executed,
  where: { backend: 'webgpu' | 'cpu'; adapter: AdapterSummary | null; fallbackReason: string | null },
  start: number,
): RecipeResult {
  const sizes = { train: p.plan.train, validation: p.plan.validation, test: p.plan.test };
  const fitted: FittedRecipe = {
    version: 1,
    recipe: p.recipe,
    input: p.schema,
    numericInputs: p.inputs.numeric.map((i) => p.schema[i]!.name),
    codeInputs: p.inputs.codes.map((i) => p.schema[i]!.name),
    program: storedProgram(done.fit.program),
    output: done.columns.map((c) => ({
      name: c.meta.name,
      type: c.meta.type,
      ...(c.meta.dictionary ? { dictionary: c.meta.dictionary } : {}),
      ...(c.meta.shape ? { shape: c.meta.shape } : {}),
    })),
    images: done.fit.slots.flatMap((s) =>
      s.kind === 'image' ? [{ column: s.name, transform: s.transform, augment: s.augment }] : [],
    ),
    split: p.split,
    steps: [...nonFiniteLines(p.nonFinite), ...done.fit.steps],
  };
  return {
    run: {
      fitted,
      ...where,
      usage: done.usage,
      applyUsage: done.applyUsage,
      rows: p.plan.order.length,
      before: summarize(p.data.columns, p.data.meta.rows),
      after: summarize(done.columns, p.plan.order.length),
      splitStats: splitStatsOf(done.columns, sizes),
      wallMs: performance.now() - start,
    },
    columns: done.columns,
  };
}

function nonFiniteLines(counts: ReadonlyMap<string, number>) {
  return counts.size === 0
    ? []
    : [
        {
          stepId: 'input',
          kind: 'input' as const,
          lines: [...counts].map(
            ([name, n]) =>
              `${name}: ${n} value(s) not finite in f32 (Inf, NaN or beyond ±3.4e38) treated as missing`,
          ),
        },
      ];
}

/** The program with typed arrays as plain arrays (JSON, IndexedDB, project files). */
export function storedProgram(p: Program): FittedRecipe['program'] {
  return {
    encode: p.encode.map((e) => ({ ...e, map: Array.from(e.map) })),
    elementwise: p.elementwise.map((c) => ({ input: c.input, ops: c.ops.map((o) => ({ ...o })) })),
    codes: p.codes.map((c) => ({ ...c })),
  };
}
