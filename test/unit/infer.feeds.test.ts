import { describe, expect, it } from 'vitest';
import type { ModelMeta, TensorInfo } from '../../src/engine/deploy/inspect';
import {
  feedsFromJson,
  mergeInputFile,
  pinnedDims,
  randomJson,
  zerosJson,
} from '../../src/engine/infer/feeds';
import { checkField, formFeeds, formPlan, readOutputs, type FormPlan } from '../../src/engine/infer/form';
import { npy } from '../support/npy';

function model(inputs: TensorInfo[], id = 'm1'): ModelMeta {
  return {
    id,
    name: 'm.onnx',
    bytes: 10,
    createdAt: 0,
    source: 'file',
    inspection: {
      irVersion: 9,
      opsets: [],
      opset: 19,
      producer: { name: '', version: '' },
      graphName: 'g',
      inputs,
      outputs: [],
      ops: [],
      nodeCount: 0,
      parameterCount: 0,
      initializerCount: 0,
      constantNodeCount: 0,
      sizeBytes: 10,
    },
  };
}

const contract = [
  { name: 'bill_length_mm', elemType: 'float32', shape: ['N', 1] },
  { name: 'island', elemType: 'string', shape: ['N', 1] },
];
const gemm = model([
  { name: 'a', elemType: 'float32', shape: [4, 3] },
  { name: 'b', elemType: 'float32', shape: [5, 4] },
]);

describe('infer: tensor editor inputs', () => {
  it('pins symbolic dims by name or by axis', () => {
    expect(pinnedDims('m1', 'x', ['N', 3], { 'm1:N': '2' })).toEqual([2, 3]);
    expect(pinnedDims('m1', 'x', [null, 3], { 'm1:x#0': '5' })).toEqual([5, 3]);
    expect(pinnedDims('m1', 'x', ['N', 3], {})).toBeNull();
  });

  it('zeros and random fill every input with its shape; an unpinned dim is named', () => {
    const z = JSON.parse(zerosJson(gemm, {})) as Record<string, number[][]>;
    expect(z.a).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(z.b).toHaveLength(5);
    const feeds = feedsFromJson(
      gemm,
      randomJson(gemm, {}, () => 0.75),
      {},
    );
    expect(feeds.a!.dims).toEqual([4, 3]);
    expect(Array.from(feeds.a!.data as Float32Array)).toEqual(new Array(12).fill(0.5));
    expect(() => zerosJson(model(contract), {})).toThrow(
      /Pin the symbolic dimensions of “bill_length_mm”, “island”/,
    );
    expect(JSON.parse(zerosJson(model(contract), { 'm1:N': '2' }))).toEqual({
      bill_length_mm: [[0], [0]],
      island: [[''], ['']],
    });
  });

  it('parses strings, null as NaN, and refuses wrong counts, ragged arrays and NaN in integer inputs', () => {
    const m = model(contract);
    const feeds = feedsFromJson(
      m,
      JSON.stringify({ bill_length_mm: [[39.1], [null]], island: [['Biscoe'], ['']] }),
      {},
    );
    expect(feeds.bill_length_mm!.dims).toEqual([2, 1]);
    expect(Number.isNaN((feeds.bill_length_mm!.data as Float32Array)[1])).toBe(true);
    expect(feeds.island).toEqual({ type: 'string', dims: [2, 1], data: ['Biscoe', ''] });
    expect(() =>
      feedsFromJson(m, JSON.stringify({ bill_length_mm: [1, 2, 3], island: ['a'] }), { 'm1:N': '2' }),
    ).toThrow(/has 3 values; its shape \[2, 1\] needs 2/);
    expect(() =>
      feedsFromJson(m, JSON.stringify({ bill_length_mm: [[1], [2, 3]], island: ['a'] }), {}),
    ).toThrow(/ragged/);
    const ints = model([{ name: 'k', elemType: 'int64', shape: [2] }]);
    expect(() => feedsFromJson(ints, '{"k": [1, null]}', {})).toThrow(/only for floats/);
    expect(Array.from(feedsFromJson(ints, '{"k": [1, 2]}', {}).k!.data as BigInt64Array)).toEqual([1n, 2n]);
  });

  it('reads .json and .npy files into the editor, merged over what is there', () => {
    const json = new TextEncoder().encode(JSON.stringify({ b: [[1, 2, 3, 4]] }));
    const merged = JSON.parse(mergeInputFile(gemm, 'in.json', json, 'a', '{"a": [1]}')) as Record<
      string,
      unknown
    >;
    expect(merged).toEqual({ a: [1], b: [[1, 2, 3, 4]] });
    const values = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, NaN);
    const file = npy('<f4', [4, 3], new Uint8Array(values.buffer));
    const text = mergeInputFile(gemm, 'a.npy', file, 'a', '');
    expect(JSON.parse(text)).toEqual({
      a: [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10, 11, null],
      ],
    });
    expect(() => mergeInputFile(gemm, 'x.json', new TextEncoder().encode('{"zz": [1]}'), 'a', '')).toThrow(
      /names “zz”, which the model does not take/,
    );
    expect(() => mergeInputFile(gemm, 'x.csv', new Uint8Array(4), 'a', '')).toThrow(
      /only \.json .* and \.npy/,
    );
    expect(() => mergeInputFile(gemm, 'x.json', new TextEncoder().encode('[1]'), 'a', '')).toThrow(
      /JSON object/,
    );
  });
});

describe('infer: single-prediction form', () => {
  it('gives one field per contract column input, text for strings, empty = missing', () => {
    const plan = formPlan(contract) as FormPlan;
    expect(plan.kind).toBe('columns');
    expect(plan.fields.map((f) => [f.label, f.kind, f.optional])).toEqual([
      ['bill_length_mm', 'number', true],
      ['island', 'text', true],
    ]);
    const feeds = formFeeds(plan, ['', 'Dream']);
    expect(feeds.bill_length_mm!.dims).toEqual([1, 1]);
    expect(Number.isNaN((feeds.bill_length_mm!.data as Float32Array)[0])).toBe(true);
    expect(feeds.island).toEqual({ type: 'string', dims: [1, 1], data: ['Dream'] });
    expect(Array.from(formFeeds(plan, [' 42.5 ', '']).bill_length_mm!.data as Float32Array)).toEqual([42.5]);
  });

  it('gives F numbered fields for one [N, F] input, and none for other shapes', () => {
    const plan = formPlan([{ name: 'x', elemType: 'float32', shape: ['batch', 4] }]) as FormPlan;
    expect(plan.kind).toBe('vector');
    expect(plan.fields.map((f) => f.label)).toEqual(['x[0]', 'x[1]', 'x[2]', 'x[3]']);
    const feeds = formFeeds(plan, ['1', '2', '3', '4.5']);
    expect(feeds.x!.dims).toEqual([1, 4]);
    expect(Array.from(feeds.x!.data as Float32Array)).toEqual([1, 2, 3, 4.5]);
    expect(formPlan(gemm.inspection.inputs)).toMatch(/Input “a” has shape \[4, 3\]/);
    expect(formPlan([{ name: 'c', elemType: 'complex64', shape: [1] }])).toMatch(/complex64/);
  });

  it('validates each field and names the first problem when run anyway', () => {
    const plan = formPlan([{ name: 'x', elemType: 'float32', shape: [1, 2] }]) as FormPlan;
    const f = plan.fields[0]!;
    expect(checkField(f, 'float32', '')).toBe('A value is needed.');
    expect(checkField(f, 'float32', 'abc')).toBe('Not a number.');
    expect(checkField(f, 'float32', '1e3')).toBeNull();
    const intPlan = formPlan([{ name: 'k', elemType: 'int64', shape: ['N', 1] }]) as FormPlan;
    expect(checkField(intPlan.fields[0]!, 'int64', '1.5')).toBe('A whole number is needed.');
    expect(checkField(intPlan.fields[0]!, 'int64', '')).toBe('A value is needed.');
    expect(() => formFeeds(plan, ['1', 'x'])).toThrow(/x\[1\]: Not a number/);
  });

  it('reads label and per-class probabilities with the model’s class names', () => {
    const r = readOutputs(
      {
        label: { type: 'int64', dims: [1], data: BigInt64Array.of(2n) },
        probabilities: { type: 'float32', dims: [1, 3], data: Float32Array.of(0.1, 0.2, 0.7) },
        class: { type: 'string', dims: [1], data: ['Gentoo'] },
      },
      ['Adelie', 'Chinstrap', 'Gentoo'],
    );
    expect(r.label).toBe('Gentoo');
    expect(r.probabilities.map((p) => p.name)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(r.probabilities[2]!.p).toBeCloseTo(0.7, 6);
    const reg = readOutputs({ label: { type: 'float32', dims: [1], data: Float32Array.of(3.25) } }, null);
    expect(reg).toEqual({ label: '3.25', probabilities: [], others: [] });
    const other = readOutputs({ y: { type: 'float32', dims: [1, 2], data: Float32Array.of(1, 2) } }, null);
    expect(other.others).toEqual([{ name: 'y', values: [1, 2] }]);
  });
});
