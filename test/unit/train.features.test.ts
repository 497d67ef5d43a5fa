import { describe, expect, it } from 'vitest';
import { GpuContext } from '../../src/engine/gpu/context';
import { wordsPerColumn } from '../../src/engine/data/table';
import type { LoadedColumn, LoadedDataset } from '../../src/engine/preprocess/load';
import { runRecipeOn } from '../../src/engine/preprocess/service';
import { deriveSeed, epochOrder } from '../../src/engine/train/batching';
import { prepareFeatures } from '../../src/engine/train/features';
import type { TrainConfig } from '../../src/engine/train/spec';
import { catCol, dataset, imageCol, loadSample, numCol, penguinsRecipe } from '../support/recipeData';

const config = (target: string, over: Partial<TrainConfig> = {}): TrainConfig => ({
  datasetId: 'ds',
  target,
  task: 'auto',
  model: { kind: 'mlp', hidden: [{ units: 4, activation: 'relu' }] },
  loss: 'auto',
  optimizer: { kind: 'adam', learningRate: 0.01 },
  batchSize: 8,
  epochs: 1,
  earlyStopping: null,
  classWeights: 'none',
  seed: 1,
  backend: 'cpu',
  ...over,
});

/** A column of another type built from a numeric one. */
const retyped = (col: LoadedColumn, type: 'integer' | 'date', labels?: string[]): LoadedColumn => ({
  ...col,
  meta: { ...col.meta, type, ...(labels ? { labels } : {}) },
});

function textCol(name: string, values: string[]): LoadedColumn {
  const validity = new Uint32Array(wordsPerColumn(values.length)).fill(0xffffffff);
  return { meta: { name, type: 'text', missing: 0 }, data: values, validity };
}

const n = 40;
const seq = <T>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('train: features — task and classes', () => {
  it('categorical target: classification, classes in code order, only those present', () => {
    const y = catCol('y', seq((i) => (i % 2 ? 'b' : 'a')).map(String), ['unused']);
    const f = prepareFeatures(
      dataset([
        numCol(
          'x',
          seq((i) => i % 7),
        ),
        y,
      ]),
      config('y'),
    );
    expect(f.task).toBe('classification');
    expect(f.classes).toEqual(['a', 'b']);
  });

  it('integer target with few values: classification with the column’s label names', () => {
    const y = retyped(
      numCol(
        'y',
        seq((i) => i % 3),
      ),
      'integer',
      ['setosa', 'versicolor', 'virginica'],
    );
    const f = prepareFeatures(
      dataset([
        numCol(
          'x',
          seq((i) => i),
        ),
        y,
      ]),
      config('y'),
    );
    expect(f.task).toBe('classification');
    expect(f.classes).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('integer target with many values, or a number target: regression; config.task overrides', () => {
    const many = retyped(
      numCol(
        'y',
        seq((i) => (i * 7) % 31),
      ),
      'integer',
    );
    const x = numCol(
      'x',
      seq((i) => i % 5),
    );
    expect(prepareFeatures(dataset([x, many]), config('y')).task).toBe('regression');
    const num = numCol(
      'y',
      seq((i) => (i % 2) + 0.5),
    );
    expect(prepareFeatures(dataset([x, num]), config('y')).task).toBe('regression');
    const forced = prepareFeatures(dataset([x, num]), config('y', { task: 'classification' }));
    expect(forced.task).toBe('classification');
    expect(forced.classes).toEqual(['0.5', '1.5']);
  });

  it('refuses a categorical regression target, a one-class target and a CNN without an image', () => {
    const x = numCol(
      'x',
      seq((i) => i % 5),
    );
    const y = catCol('y', seq((i) => (i % 2 ? 'b' : 'a')).map(String));
    expect(() => prepareFeatures(dataset([x, y]), config('y', { task: 'regression' }))).toThrow(/regression/);
    const one = catCol('y', seq(() => 'a').map(String));
    expect(() => prepareFeatures(dataset([x, one]), config('y'))).toThrow(/two or more/);
    const cnn = config('y', { model: { kind: 'cnn', conv: [], dense: [] } });
    expect(() => prepareFeatures(dataset([x, y]), cnn)).toThrow(/CNN needs an image/);
    expect(() => prepareFeatures(dataset([x, y]), config('nope'))).toThrow(/No column nope/);
  });
});

describe('train: features — columns left out, never crashing', () => {
  it('categorical, text, date and ID-like integer columns are left out with notices; exclude is honoured', () => {
    const cols = [
      retyped(
        numCol(
          'id',
          seq((i) => 100 + i),
        ),
        'integer',
      ),
      textCol(
        'comment',
        seq((i) => i).map((i) => `row ${i}`),
      ),
      retyped(
        numCol(
          'when',
          seq((i) => 1e12 + i),
        ),
        'date',
      ),
      catCol('colour', seq((i) => (i % 3 ? 'red' : 'blue')).map(String)),
      numCol(
        'x1',
        seq((i) => i % 5),
      ),
      retyped(
        numCol(
          'count',
          seq((i) => i % 4),
        ),
        'integer',
      ),
      numCol(
        'skip',
        seq((i) => i),
      ),
      catCol('y', seq((i) => (i % 2 ? 'b' : 'a')).map(String)),
    ];
    const f = prepareFeatures(dataset(cols), config('y', { exclude: ['skip'] }));
    expect(f.features).toEqual(['x1', 'count']);
    expect(f.width).toBe(2);
    const all = f.notices.join('\n');
    expect(all).toMatch(/column id: an ID/);
    expect(all).toMatch(/column comment: text/);
    expect(all).toMatch(/column when: date/);
    expect(all).toMatch(/column colour: categorical \(one-hot it in Preprocess/);
    expect(all).not.toMatch(/skip/);
  });

  it('rows with a missing target or feature are skipped and counted', () => {
    const x = numCol(
      'x',
      seq((i) => (i === 3 ? null : i % 5)),
    );
    const y = catCol(
      'y',
      seq((i) => (i === 5 ? null : i % 2 ? 'b' : 'a')),
    );
    const f = prepareFeatures(dataset([x, y]), config('y'));
    const used = [...f.train.rows, ...f.validation.rows, ...f.test.rows];
    expect(used).toHaveLength(n - 2);
    expect(used).not.toContain(3);
    expect(used).not.toContain(5);
    expect(f.notices.join('\n')).toMatch(/2 rows with a missing target or feature value were skipped/);
  });

  it('an image column: u8 pixels scaled to [0, 1], numeric columns left out with a notice', () => {
    const img = imageCol('image', n, [2, 3, 1]);
    const f = prepareFeatures(
      dataset([
        img,
        numCol(
          'x',
          seq((i) => i),
        ),
        catCol(
          'y',
          seq((i) => String(i % 2)),
        ),
      ]),
      config('y', { model: { kind: 'cnn', conv: [], dense: [] } }),
    );
    expect(f.features).toEqual(['image']);
    expect(f.image).toEqual([2, 3, 1]);
    expect(f.width).toBe(6);
    expect(f.scale).toBeNull();
    const r = f.train.rows[0]!;
    const px = img.data as Uint8Array;
    expect([...f.train.x.subarray(0, 6)]).toEqual(
      [...px.subarray(r * 6, r * 6 + 6)].map((v) => Math.fround(v / 255)),
    );
    expect(f.notices.join('\n')).toMatch(/column x: not used: the model learns from the image column/);
  });

  it('training-row scale per feature, with a notice for features far from unit scale', () => {
    const f = prepareFeatures(
      dataset([
        numCol(
          'big',
          seq((i) => 1000 + 100 * (i % 3)),
        ),
        numCol(
          'small',
          seq((i) => i % 2),
        ),
        catCol(
          'y',
          seq((i) => String(i % 2)),
        ),
      ]),
      config('y'),
    );
    expect(f.scale!.mean[0]).toBeGreaterThan(1000);
    expect(f.scale!.std[1]).toBeCloseTo(0.5, 1);
    expect(f.notices.join('\n')).toMatch(/Features big are far from unit scale/);
  });
});

describe('train: features — split', () => {
  it('no stored split: a seeded stratified 70/15/15 split, disjoint, same seed → same split', async () => {
    const iris = await loadSample('iris.csv');
    const f = prepareFeatures(iris, config('target'));
    expect([f.train.rows.length, f.validation.rows.length, f.test.rows.length]).toEqual([105, 24, 21]);
    const train = new Set(f.train.rows);
    expect(f.test.rows.some((r) => train.has(r))).toBe(false);
    expect(f.validation.rows.some((r) => train.has(r))).toBe(false);
    expect(new Set([...f.train.rows, ...f.validation.rows, ...f.test.rows]).size).toBe(150);
    // Stratified: each class is 7 of the 21 test rows.
    expect([0, 1, 2].map((c) => f.test.y.filter((y) => y === c).length)).toEqual([7, 7, 7]);
    expect(f.notices.join('\n')).toMatch(/seeded stratified 70\/15\/15 split \(seed 1\)/);
    expect([...prepareFeatures(iris, config('target')).test.rows]).toEqual([...f.test.rows]);
    expect([...prepareFeatures(iris, config('target', { seed: 2 })).test.rows]).not.toEqual([...f.test.rows]);
  });

  it('a recipe-written split: its stored ranges train, validate and test', async () => {
    const penguins = await loadSample('penguins.csv');
    const { run, columns } = await runRecipeOn(new GpuContext(undefined), penguins, penguinsRecipe(), 'cpu');
    const s = run.fitted.split!;
    const data: LoadedDataset = {
      meta: {
        ...penguins.meta,
        columns: columns.map((c) => c.meta),
        split: { train: s.train, validation: s.validation, test: s.test },
      },
      columns,
    };
    const f = prepareFeatures(data, config('species'));
    expect(f.train.rows.every((r) => r < s.train)).toBe(true);
    expect(f.test.rows.every((r) => r >= s.train + s.validation)).toBe(true);
    expect(f.train.rows.length + f.validation.rows.length + f.test.rows.length).toBe(344); // imputed: every row is usable
    expect(f.features).toContain('island=Biscoe');
    expect(f.notices.join('\n')).not.toMatch(/no train\/validation\/test split/);
  });
});

describe('train: batching', () => {
  it('epoch order: a seeded permutation, different per epoch and seed, same for the same inputs', () => {
    const a = epochOrder(50, 1, 0);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...epochOrder(50, 1, 0)]).toEqual([...a]);
    expect([...epochOrder(50, 1, 1)]).not.toEqual([...a]);
    expect([...epochOrder(50, 2, 0)]).not.toEqual([...a]);
    expect(deriveSeed(1, 2, 3)).toBe(deriveSeed(1, 2, 3));
    expect(deriveSeed(1, 2, 3)).not.toBe(deriveSeed(1, 3, 2));
  });
});
