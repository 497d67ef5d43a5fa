import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnMeta, DatasetMeta } from '../../src/engine/data/dataset';
import { ingest } from '../../src/engine/data/ingest/ingest';
import { wordsPerColumn } from '../../src/engine/data/table';
import { joinChunks, type LoadedColumn, type LoadedDataset } from '../../src/engine/preprocess/load';
import type { Recipe, RecipeStep } from '../../src/engine/preprocess/recipe';
import { bytesSource, MemorySink } from './memorySink';

/** A built-in sample (public/samples) imported in Node and read whole, as the compute worker reads it. */
export async function loadSample(file = 'penguins.csv'): Promise<LoadedDataset> {
  const text = readFileSync(join(import.meta.dirname, '../../public/samples', file), 'utf8');
  const sink = new MemorySink();
  const meta = await ingest(bytesSource(file, text), sink, { id: 'sample' });
  const read = sink.read('sample');
  const columns: LoadedColumn[] = [];
  for (const [c, col] of meta.columns.entries()) {
    const chunks = [];
    for (let i = 0; i < meta.chunkCount; i++) chunks.push(await read(c, i));
    columns.push(joinChunks(col, meta.rows, chunks));
  }
  return { meta, columns };
}

/** A numeric column: null = missing. */
export function numCol(name: string, values: readonly (number | null)[]): LoadedColumn {
  const validity = new Uint32Array(wordsPerColumn(values.length));
  const data = new Float64Array(values.length);
  values.forEach((v, r) => {
    if (v === null) return;
    data[r] = v;
    validity[r >>> 5]! |= 1 << (r & 31);
  });
  return { meta: { name, type: 'number', missing: values.filter((v) => v === null).length }, data, validity };
}

/** A categorical column: null = missing; the dictionary is the distinct values in order of appearance. */
export function catCol(
  name: string,
  values: readonly (string | null)[],
  extra: readonly string[] = [],
): LoadedColumn {
  const dictionary = [...new Set([...values.filter((v): v is string => v !== null), ...extra])];
  const validity = new Uint32Array(wordsPerColumn(values.length));
  const data = new Int32Array(values.length).fill(-1);
  values.forEach((v, r) => {
    if (v === null) return;
    data[r] = dictionary.indexOf(v);
    validity[r >>> 5]! |= 1 << (r & 31);
  });
  const meta: ColumnMeta = {
    name,
    type: 'categorical',
    missing: values.filter((v) => v === null).length,
    dictionary,
  };
  return { meta, data, validity };
}

/** A dataset from columns (same length). */
export function dataset(columns: readonly LoadedColumn[], name = 'test'): LoadedDataset {
  const first = columns[0];
  const perRow = first?.meta.shape ? first.meta.shape[0] * first.meta.shape[1] * first.meta.shape[2] : 1;
  const rows = first ? (first.data as ArrayLike<number>).length / perRow : 0;
  const meta: DatasetMeta = {
    id: `ds-${name}`,
    name,
    rows,
    columns: columns.map((c) => c.meta),
    target: null,
    chunkRows: 1024,
    chunkCount: Math.ceil(rows / 1024),
    bytes: 0,
    createdAt: 0,
    contentHash: '',
    source: { kind: 'sample', name, bytes: 0, format: 'csv' },
    parent: null,
    stats: null,
    status: 'ready',
  };
  return { meta, columns };
}

let nextId = 0;
/** Any step without its id. */
export type StepInput = RecipeStep extends infer S ? (S extends RecipeStep ? Omit<S, 'id'> : never) : never;

/** A step with a fresh id. */
export function step(s: StepInput): RecipeStep {
  return { ...s, id: `s${nextId++}` };
}

/** A recipe of steps. */
export function recipe(...steps: RecipeStep[]): Recipe {
  return { version: 1, steps };
}

/** The penguins recipe of the issue: impute → standardize → one-hot → split. */
export function penguinsRecipe(): Recipe {
  const numeric = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
  return recipe(
    step({ kind: 'impute', columns: numeric, strategy: 'mean' }),
    step({ kind: 'impute', columns: ['sex'], strategy: 'most_frequent' }),
    step({ kind: 'scale', columns: numeric, method: 'standardize' }),
    step({ kind: 'onehot', columns: ['island', 'sex'] }),
    step({
      kind: 'split',
      train: 0.7,
      validation: 0.15,
      test: 0.15,
      seed: 7,
      shuffle: true,
      stratify: 'species',
    }),
  );
}

/** An image column of seeded random u8 pixels (all present). */
export function imageCol(
  name: string,
  rows: number,
  shape: readonly [number, number, number],
  seed = 1,
): LoadedColumn {
  const size = shape[0] * shape[1] * shape[2];
  const data = new Uint8Array(rows * size);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  const validity = new Uint32Array(wordsPerColumn(rows)).fill(0xffffffff);
  return { meta: { name, type: 'image', missing: 0, shape }, data, validity };
}
