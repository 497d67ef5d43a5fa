import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../src/engine/gpu/context';
import { applyFittedRecipe } from '../../src/engine/preprocess/apply';
import { createCpuBackend } from '../../src/engine/preprocess/cpuBackend';
import { createCpuImageBackend } from '../../src/engine/preprocess/imageCpu';
import { present, type LoadedColumn, type LoadedDataset } from '../../src/engine/preprocess/load';
import type { Recipe } from '../../src/engine/preprocess/recipe';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { failure } from '../support/failure';
import { catCol, dataset, loadSample, numCol, penguinsRecipe, recipe, step } from '../support/recipeData';

const noGpu = new GpuContext(undefined);
const run = (data: LoadedDataset, r: Recipe) => runRecipeOn(noGpu, data, r, 'cpu');

function values(col: LoadedColumn, from = 0, to = (col.data as Float64Array).length): (number | null)[] {
  const out: (number | null)[] = [];
  for (let r = from; r < to; r++) out.push(present(col.validity, r) ? (col.data as Float64Array)[r]! : null);
  return out;
}

function column(cols: readonly LoadedColumn[], name: string): LoadedColumn {
  const c = cols.find((x) => x.meta.name === name);
  if (c === undefined) throw new Error(`no ${name} in ${cols.map((x) => x.meta.name).join(', ')}`);
  return c;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const popStd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

describe('recipes on the CPU reference', () => {
  it('prepares penguins: no missing values, standardized training split, sizes by stratum', async () => {
    const data = await loadSample('penguins.csv');
    const { run: r, columns } = await run(data, penguinsRecipe());
    expect(r.backend).toBe('cpu');
    const { train, validation, test } = r.fitted.split!;
    expect(train + validation + test).toBe(data.meta.rows);
    expect(Math.abs(train - data.meta.rows * 0.7)).toBeLessThanOrEqual(3); // rounding per stratum
    for (const c of columns) {
      if (c.meta.type === 'categorical' && c.meta.name === 'species') continue;
      expect(c.meta.missing, c.meta.name).toBe(0);
    }
    for (const name of ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']) {
      const xs = values(column(columns, name), 0, train) as number[];
      expect(Math.abs(mean(xs)), name).toBeLessThan(1e-4);
      expect(Math.abs(popStd(xs) - 1), name).toBeLessThan(1e-4);
    }
    expect(columns.map((c) => c.meta.name)).toEqual(
      expect.arrayContaining(['island=Torgersen', 'island=Biscoe', 'island=Dream', 'sex=male', 'sex=female']),
    );
    // Stratified: every species keeps its share in each part (within one row of rounding).
    const species = column(columns, 'species');
    const dict = species.meta.dictionary!;
    const codes = species.data as Int32Array;
    for (let k = 0; k < dict.length; k++) {
      const all = codes.filter((c) => c === k).length;
      const inTrain = codes.subarray(0, train).filter((c) => c === k).length;
      expect(Math.abs(inTrain - all * 0.7)).toBeLessThanOrEqual(1);
    }
  });

  it('fits on the training split whatever the step order: scale before split = scale after split', async () => {
    const data = await loadSample('penguins.csv');
    const steps = penguinsRecipe().steps;
    const splitLast = await run(data, penguinsRecipe());
    const splitFirst = await run(data, recipe(steps[4]!, ...steps.slice(0, 4)));
    expect(splitFirst.run.fitted.program).toEqual(splitLast.run.fitted.program);
  });

  it('transforms validation and test rows with the training parameters (no refit)', async () => {
    // Training rows ~N(10, 2); the 10 validation rows are far away: fitting on them would move the mean.
    const xs = [
      ...Array.from({ length: 90 }, (_, i) => 10 + ((i % 5) - 2)),
      ...Array.from({ length: 10 }, () => 1000),
    ];
    const ids = xs.map((_, i) => i);
    const data = dataset([numCol('x', xs), numCol('id', ids)]);
    const r = recipe(
      step({ kind: 'scale', columns: ['x'], method: 'standardize' }),
      step({ kind: 'split', train: 0.9, validation: 0.1, test: 0, seed: 1, shuffle: false, stratify: null }),
    );
    const { run: out, columns } = await run(data, r);
    const x = values(column(columns, 'x')) as number[];
    const trainRaw = xs.slice(0, 90);
    const m = mean(trainRaw);
    const s = popStd(trainRaw);
    expect(x.slice(90).every((v) => Math.abs(v - (1000 - m) / s) < 1e-3)).toBe(true);
    expect(out.fitted.steps[0]!.lines[0]).toContain(`${m}`);
  });

  it('imputes with the training mean, not the mean of all rows', async () => {
    const xs = [1, 2, 3, null, 100, null];
    const data = dataset([numCol('x', xs)]);
    const r = recipe(
      step({
        kind: 'split',
        train: 4 / 6,
        validation: 2 / 6,
        test: 0,
        seed: 0,
        shuffle: false,
        stratify: null,
      }),
      step({ kind: 'impute', columns: ['x'], strategy: 'mean' }),
    );
    const { columns } = await run(data, r);
    expect(values(column(columns, 'x'))).toEqual([1, 2, 3, 2, 100, 2]);
  });

  it('one-hot: a category seen only outside training gives all zeros; unseen ones at apply time too', async () => {
    const data = dataset([catCol('c', ['a', 'b', 'a', 'b', 'z']), numCol('n', [1, 2, 3, 4, 5])]);
    const r = recipe(
      step({ kind: 'onehot', columns: ['c'] }),
      step({ kind: 'split', train: 0.8, validation: 0.2, test: 0, seed: 0, shuffle: false, stratify: null }),
    );
    const { run: out, columns } = await run(data, r);
    expect(columns.map((c) => c.meta.name)).toEqual(['c=a', 'c=b', 'n']);
    expect(values(column(columns, 'c=a'))).toEqual([1, 0, 1, 0, 0]);
    expect(values(column(columns, 'c=b'))).toEqual([0, 1, 0, 1, 0]);
    const fresh = dataset([catCol('c', ['b', 'never', null]), numCol('n', [7, 8, 9])]);
    const applied = await applyFittedRecipe(
      out.fitted,
      fresh,
      (t) => Promise.resolve(createCpuBackend(t)),
      createCpuImageBackend(),
    );
    expect(values(column(applied, 'c=a'))).toEqual([0, 0, 0]);
    expect(values(column(applied, 'c=b'))).toEqual([1, 0, 0]);
  });

  it('applying the fitted recipe to raw held-out rows reproduces the stored validation rows', async () => {
    const data = await loadSample('penguins.csv');
    const { run: out, columns } = await run(data, penguinsRecipe());
    const { train } = out.fitted.split!;
    const applied = await applyFittedRecipe(
      out.fitted,
      data,
      (t) => Promise.resolve(createCpuBackend(t)),
      createCpuImageBackend(),
    );
    // `applied` is in source order; find the stored row of each source row through a unique key.
    const key = (cols: readonly LoadedColumn[], r: number) =>
      ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year']
        .map((n) => (column(cols, n).data as Float64Array)[r]!.toFixed(6))
        .join('|');
    const stored = new Map<string, number>();
    for (let r = train; r < columns[0]!.validity.length * 32 && r < out.rows; r++)
      stored.set(key(columns, r), r);
    let matched = 0;
    for (let r = 0; r < data.meta.rows; r++) {
      const at = stored.get(key(applied, r));
      if (at === undefined) continue;
      matched++;
      for (const name of ['bill_length_mm', 'island=Dream', 'sex=male']) {
        expect((column(applied, name).data as Float64Array)[r]).toBeCloseTo(
          (column(columns, name).data as Float64Array)[at]!,
          6,
        );
      }
    }
    expect(matched).toBeGreaterThan(50);
  });

  it('refuses clearly: missing column, wrong type, one-hot over the limit, all-missing column', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `k${i}`);
    const data = dataset([numCol('x', [null, null, null]), catCol('c', ['a', 'b', 'c'], many)]);
    await expectFailure(
      run(data, recipe(step({ kind: 'drop', columns: ['nope'] }))),
      'INVALID_INPUT',
      /No column nope/,
    );
    await expectFailure(
      run(data, recipe(step({ kind: 'scale', columns: ['c'], method: 'minmax' }))),
      'INVALID_INPUT',
      /needs a numeric column/,
    );
    await expectFailure(
      run(data, recipe(step({ kind: 'onehot', columns: ['c'] }))),
      'INVALID_INPUT',
      /100,003 categories; one-hot is limited to 256/,
    );
    await expectFailure(
      run(data, recipe(step({ kind: 'impute', columns: ['x'], strategy: 'mean' }))),
      'INVALID_INPUT',
      /x has no values in the training split/,
    );
    const filled = await run(
      data,
      recipe(step({ kind: 'impute', columns: ['x'], strategy: 'constant', value: 5 })),
    );
    expect(values(column(filled.columns, 'x'))).toEqual([5, 5, 5]);
  });

  it('treats Inf as missing and says so', async () => {
    const data = dataset([numCol('x', [1, Infinity, 3, -Infinity, 1e39])]);
    const { run: out, columns } = await run(
      data,
      recipe(step({ kind: 'impute', columns: ['x'], strategy: 'median' })),
    );
    expect(values(column(columns, 'x'))).toEqual([1, 2, 3, 2, 2]);
    expect(out.fitted.steps[0]!.lines[0]).toMatch(/x: 3 value\(s\) not finite/);
  });

  it('robust scaling, quantile clipping, log and ordinal encoding', async () => {
    const data = dataset([numCol('x', [1, 2, 3, 4, 100]), catCol('c', ['b', 'a', 'c', 'a', 'b'])]);
    const { columns } = await run(
      data,
      recipe(
        step({ kind: 'clip', columns: ['x'], method: 'quantile', lower: 0, upper: 0.75 }),
        step({ kind: 'scale', columns: ['x'], method: 'robust' }),
        step({ kind: 'ordinal', columns: ['c'] }),
      ),
    );
    // clip to [1, 4]: [1,2,3,4,4]; median 3, IQR 4 − 2 = 2
    expect(values(column(columns, 'x'))).toEqual([-1, -0.5, 0, 0.5, 0.5]);
    expect(values(column(columns, 'c'))).toEqual([1, 0, 2, 0, 1]);
    const logged = await run(data, recipe(step({ kind: 'transform', columns: ['x'], fn: 'log' })));
    expect((values(column(logged.columns, 'x'))[4] ?? 0) - Math.log(100)).toBeCloseTo(0, 5);
  });
});

async function expectFailure(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const e = await failure(p);
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
}
