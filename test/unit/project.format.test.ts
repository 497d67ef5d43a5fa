import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject, parseProjectText } from '../../src/engine/project/load';
import { trainConfigOf } from '../../src/engine/project/normalize';
import { TRAIN_DEFAULTS } from '../../src/engine/train/spec';
import { logLoss } from '../../src/engine/train/evaluate';
import { WorkbenchError } from '../../src/lib/errors';
import { generateValidatorSource } from '../../scripts/project-validator.mjs';

/** Runs fn, which must throw a WorkbenchError with this code and a message matching `re`. */
function expectFailure(fn: () => unknown, code: string, re: RegExp): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WorkbenchError);
  const err = caught as WorkbenchError;
  expect(err.code).toBe(code);
  expect([err.message, ...err.details].join('\n')).toMatch(re);
}

const root = join(import.meta.dirname, '../..');
const read = (p: string): string => readFileSync(join(root, p), 'utf8');

const minimal = (cells: unknown[]): Record<string, unknown> => ({
  format: 'webgpu-workbench/project',
  version: 1,
  name: 'test',
  cells,
});
const data = { id: 'd', kind: 'dataset', source: { path: 'x.csv' } };

describe('project format v1', () => {
  it('the compiled validator is up to date with the schema', () => {
    expect(read('src/engine/project/generated/validateProject.js')).toBe(generateValidatorSource());
  });

  it('loads every example, and the worked example in the docs is examples/penguins', () => {
    for (const name of ['penguins', 'iris', 'mnist']) {
      const p = parseProjectText(read(`examples/${name}/project.json`));
      expect(p.cells.length).toBeGreaterThan(2);
    }
    const doc = read('docs/project-format.md');
    const block = /## A complete example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    expect(JSON.parse(block!)).toEqual(JSON.parse(read('examples/penguins/project.json')));
  });

  it('fills defaults: step ids and split options, every training field', () => {
    const p = loadProject(
      minimal([
        data,
        {
          id: 'p',
          kind: 'preprocess',
          input: 'd',
          steps: [{ kind: 'split', train: 0.8, validation: 0, test: 0.2 }],
        },
        { id: 't', kind: 'train', input: 'p', target: 'y', model: { kind: 'mlp', hidden: [{ units: 4 }] } },
      ]),
    );
    const prep = p.cells[1]!;
    expect(prep.kind === 'preprocess' && prep.steps[0]).toEqual({
      kind: 'split',
      id: 'p-1',
      train: 0.8,
      validation: 0,
      test: 0.2,
      seed: 0,
      shuffle: true,
      stratify: null,
    });
    const train = p.cells[2]!;
    if (train.kind !== 'train') throw new Error('not a train cell');
    expect(trainConfigOf(train, 'ds1')).toEqual({
      ...TRAIN_DEFAULTS,
      datasetId: 'ds1',
      target: 'y',
      model: { kind: 'mlp', hidden: [{ units: 4, activation: 'relu' }] },
    });
  });

  it('refuses a newer version with a message that says to update, and non-projects', () => {
    const newer = JSON.stringify({ ...minimal([]), version: 2 });
    expectFailure(() => parseProjectText(newer), 'INVALID_INPUT', /version 2.*newer.*Update the app/);
    expectFailure(() => parseProjectText('{"name": 1}'), 'INVALID_INPUT', /Not a workbench project/);
    expectFailure(() => parseProjectText('{oops'), 'PARSE_ERROR', /not valid JSON/);
    expectFailure(() => parseProjectText('[]'), 'INVALID_INPUT', /JSON object/);
  });

  it('names the place of a schema error with a JSON pointer', () => {
    const bad = minimal([
      data,
      {
        id: 'p',
        kind: 'preprocess',
        input: 'd',
        steps: [{ kind: 'impute', columns: ['a'], strategy: 'avg' }],
      },
    ]);
    expectFailure(
      () => loadProject(bad),
      'INVALID_INPUT',
      /\/cells\/1\/steps\/0\/strategy: must be one of "mean"/,
    );
    expectFailure(
      () => loadProject(minimal([{ ...data, endpoint: 'https://evil.example' }])),
      'INVALID_INPUT',
      /unknown field “endpoint”/,
    );
    expectFailure(
      () => loadProject(minimal([{ id: 'x', kind: 'shell' }])),
      'INVALID_INPUT',
      /unknown kind "shell"/,
    );
    expectFailure(
      () => loadProject(minimal([{ id: 'd', kind: 'dataset', source: { path: '../secret.csv' } }])),
      'INVALID_INPUT',
      /\/cells\/0\/source/,
    );
  });

  it('checks references: earlier cells of the right kind, unique ids, one split', () => {
    const train = { id: 't', kind: 'train', input: 'd', target: 'y' };
    expectFailure(
      () => loadProject(minimal([train, data])),
      'INVALID_INPUT',
      /input “d” is not an earlier cell/,
    );
    expectFailure(() => loadProject(minimal([data, data])), 'INVALID_INPUT', /“d” is used twice/);
    expectFailure(
      () => loadProject(minimal([data, train, { id: 'e', kind: 'evaluate', model: 'd' }])),
      'INVALID_INPUT',
      /model “d” is a dataset cell; it must be train/,
    );
    const split = { kind: 'split', train: 0.5, validation: 0.25, test: 0.25 };
    expectFailure(
      () => loadProject(minimal([data, { id: 'p', kind: 'preprocess', input: 'd', steps: [split, split] }])),
      'INVALID_INPUT',
      /at most one split/,
    );
    expectFailure(
      () => loadProject(minimal([data, train, { id: 'x', kind: 'export', model: 't' }])),
      'INVALID_INPUT',
      /asks for "onnx", "predictions" or both/,
    );
  });
});

describe('log loss', () => {
  it('matches hand values for softmax and sigmoid outputs, clipped', () => {
    expect(logLoss([0, 1], [0.8, 0.2, 0.4, 0.6], 2)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(logLoss([1, 0], [0.9, 0.3], 1)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.7)) / 2, 12);
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(1e-15), 6);
  });
});
