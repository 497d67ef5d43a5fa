/**
 * The headless runner (scripts/project.mjs) as a user runs it: one command per project, on the app built by
 * the suite's build step (E2E_DIST or dist), in its own headless Chromium with WebGPU. Checks exit codes,
 * results.json and the artifacts; the exported ONNX is run in onnxruntime-node against the predictions file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { CellResult, ProjectResults } from '../src/engine/project/results';
import { parseCsv, runOnRawRows, TOLERANCE, worstDifference } from './fixtures/onnxRaw';

const ROOT = join(import.meta.dirname, '..');
const DIST = process.env.E2E_DIST ?? 'dist';

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string;
  readonly results: ProjectResults | null;
}

function runProject(projectFile: string): Outcome {
  const out = mkdtempSync(join(tmpdir(), 'wb-results-'));
  const r = spawnSync(
    'node',
    ['scripts/project.mjs', 'run', projectFile, '--out', out, '--no-build', '--dist', DIST],
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000 },
  );
  const file = join(out, 'results.json');
  const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ProjectResults) : null;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out, results };
}

function cell(results: ProjectResults | null, id: string): CellResult {
  const c = results?.cells.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no cell ${id} in results`);
  return c;
}

test.describe.configure({ timeout: 240_000 });

test('runner: the penguins example runs every cell; its ONNX matches its predictions file on the raw rows', async () => {
  const r = runProject('examples/penguins/project.json');
  expect(r.code, r.stderr).toBe(0);
  const res = r.results!;
  expect(res.ok).toBe(true);
  expect(res.environment.webgpu).toBe(true);
  expect(res.cells.map((c) => c.status)).toEqual(res.cells.map(() => 'ok'));
  expect(cell(res, 'penguins').metrics).toEqual({ rows: 344, columns: 8 });
  expect(cell(res, 'clean').backend).toBe('webgpu');
  expect(cell(res, 'clean').metrics['train_rows']).toBe(241);
  expect(cell(res, 'mlp').backend).toBe('wasm'); // 'auto' on a software adapter, as the run records
  const test_ = cell(res, 'test').metrics;
  expect(test_['accuracy']).toBeGreaterThanOrEqual(0.9);
  expect(test_['log_loss']).toBeLessThan(0.5);
  expect(cell(res, 'export').artifacts).toEqual(['penguins.onnx', 'predictions.csv']);
  expect(readFileSync(join(r.out, 'loss.png')).subarray(1, 4).toString()).toBe('PNG');

  const predictions = parseCsv(readFileSync(join(r.out, 'predictions.csv'), 'utf8'));
  const raw = parseCsv(readFileSync(join(ROOT, 'examples/penguins/penguins.csv'), 'utf8'));
  expect(predictions).toHaveLength(raw.length);
  const classes = Object.keys(predictions[0]!)
    .filter((k) => k.startsWith('p_'))
    .map((k) => k.slice(2));
  const onnx = new Uint8Array(readFileSync(join(r.out, 'penguins.onnx')));
  const worst = worstDifference(predictions, classes, await runOnRawRows(onnx, raw));
  console.log(
    `runner penguins: accuracy ${test_['accuracy']}, ONNX vs predictions max |Δp| ${worst.toExponential(2)}`,
  );
  expect(worst).toBeLessThanOrEqual(TOLERANCE);

  // The exported model (string inputs for island and sex) batch-predicts the raw CSV in the app's own
  // inference worker on WASM, equal to the predictions file; the WebGPU build cannot run string Equal.
  const dir = mkdtempSync(join(tmpdir(), 'wb-infer-'));
  copyFileSync(join(r.out, 'penguins.onnx'), join(dir, 'penguins.onnx'));
  copyFileSync(join(ROOT, 'examples/penguins/penguins.csv'), join(dir, 'penguins.csv'));
  const inferProject = (ep: string) => ({
    format: 'webgpu-workbench/project',
    version: 1,
    name: `infer on ${ep}`,
    cells: [
      { id: 'raw', kind: 'dataset', source: { path: 'penguins.csv' } },
      {
        id: 'predict',
        kind: 'infer',
        model: { path: 'penguins.onnx' },
        ep,
        batch: { dataset: 'raw', file: 'batch.csv' },
      },
    ],
  });
  writeFileSync(join(dir, 'wasm.json'), JSON.stringify(inferProject('wasm')));
  const batch = runProject(join(dir, 'wasm.json'));
  expect(batch.code, batch.stderr).toBe(0);
  expect(cell(batch.results, 'predict').backend).toBe('wasm');
  expect(cell(batch.results, 'predict').metrics['rows']).toBe(344);
  const batchRows = parseCsv(readFileSync(join(batch.out, 'batch.csv'), 'utf8'));
  let worstBatch = 0;
  batchRows.forEach((b, i) => {
    expect(b['label'], `row ${i}`).toBe(predictions[i]!['label']);
    for (const c of classes)
      worstBatch = Math.max(worstBatch, Math.abs(Number(b[`p_${c}`]) - Number(predictions[i]![`p_${c}`])));
  });
  console.log(
    `runner penguins: app batch inference (WASM) vs predictions file max |Δp| ${worstBatch.toExponential(2)}`,
  );
  expect(worstBatch).toBeLessThanOrEqual(TOLERANCE);
  writeFileSync(join(dir, 'webgpu.json'), JSON.stringify(inferProject('webgpu')));
  const gpu = runProject(join(dir, 'webgpu.json'));
  expect(gpu.code).toBe(1);
  expect(cell(gpu.results, 'predict').error?.message).toMatch(/could not load the model on webgpu: .*Equal/);
});

test('runner: the iris and MNIST examples reach their accuracy', () => {
  const iris = runProject('examples/iris/project.json');
  expect(iris.code, iris.stderr).toBe(0);
  expect(cell(iris.results, 'test').metrics['accuracy']).toBeGreaterThanOrEqual(0.9);
  const mnist = runProject('examples/mnist/project.json');
  expect(mnist.code, mnist.stderr).toBe(0);
  const m = cell(mnist.results, 'test').metrics;
  expect(cell(mnist.results, 'prepare').backend).toBe('webgpu');
  expect(m['test_rows']).toBe(300);
  expect(m['accuracy']).toBeGreaterThanOrEqual(0.85);
  console.log(
    `runner: iris accuracy ${cell(iris.results, 'test').metrics['accuracy']}, MNIST ${m['accuracy']}`,
  );
});

test('runner: the Silero VAD example streams speech above 0.5 and noise below it', () => {
  const r = runProject('examples/silero-vad/project.json');
  expect(r.code, r.stderr).toBe(0);
  const speech = cell(r.results, 'speech');
  const noise = cell(r.results, 'noise');
  expect([speech.backend, noise.backend]).toEqual(['wasm', 'wasm']);
  expect(speech.metrics['frames']).toBeGreaterThan(40);
  expect(speech.metrics['max_score']).toBeGreaterThan(0.5);
  expect(speech.metrics['speech_frames']).toBeGreaterThanOrEqual(10);
  expect(noise.metrics['max_score']).toBeLessThan(0.5);
  expect(noise.metrics['speech_frames']).toBe(0);
  console.log(
    `runner VAD: speech ${speech.metrics['speech_frames']}/${speech.metrics['frames']} frames > 0.5, noise max ${noise.metrics['max_score']?.toFixed(3)}`,
  );
});

test('runner: a hand-written project in a temporary folder (regression, data in a subfolder, sha256 checked)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-project-'));
  mkdirSync(join(dir, 'data'));
  // y = 3·a − 2·b + 1 + small noise, 200 rows; a linear model must find it (r² close to 1).
  let rng = 12345;
  const rand = (): number => (rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows = ['a,b,y'];
  for (let i = 0; i < 200; i++) {
    const a = rand() * 4 - 2;
    const b = rand() * 4 - 2;
    rows.push(`${a.toFixed(4)},${b.toFixed(4)},${(3 * a - 2 * b + 1 + (rand() - 0.5) * 0.05).toFixed(4)}`);
  }
  const csv = `${rows.join('\n')}\n`;
  writeFileSync(join(dir, 'data', 'line.csv'), csv);
  const sha256 = createHash('sha256').update(csv).digest('hex');
  const project = {
    format: 'webgpu-workbench/project',
    version: 1,
    name: 'A line',
    cells: [
      { id: 'line', kind: 'dataset', source: { path: 'data/line.csv', sha256 } },
      {
        id: 'split',
        kind: 'preprocess',
        input: 'line',
        steps: [{ kind: 'split', train: 0.7, validation: 0.15, test: 0.15, seed: 5 }],
      },
      {
        id: 'fit',
        kind: 'train',
        input: 'split',
        target: 'y',
        model: { kind: 'linear' },
        optimizer: { kind: 'adam', learningRate: 0.05 },
        epochs: 80,
        earlyStopping: null,
        seed: 5,
      },
      { id: 'score', kind: 'evaluate', model: 'fit' },
      { id: 'model', kind: 'export', model: 'fit', onnx: 'line.onnx' },
    ],
  };
  writeFileSync(join(dir, 'project.json'), JSON.stringify(project, null, 2));
  const r = runProject(join(dir, 'project.json'));
  expect(r.code, r.stderr).toBe(0);
  const score = cell(r.results, 'score').metrics;
  expect(score['r2']).toBeGreaterThan(0.99);
  expect(score['rmse']).toBeLessThan(0.2);
  expect(readFileSync(join(r.out, 'line.onnx')).byteLength).toBe(
    cell(r.results, 'model').metrics['onnx_bytes'],
  );

  // The same project with a file that no longer matches its hash stops at the dataset cell.
  copyFileSync(join(dir, 'project.json'), join(dir, 'p2.json'));
  writeFileSync(join(dir, 'data', 'line.csv'), csv.replace('a,b,y', 'a,b,z'));
  const bad = runProject(join(dir, 'p2.json'));
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('Cell “line” (dataset) failed');
  expect(bad.stderr).toContain('does not match its sha256');
  expect(bad.results!.cells.slice(1).map((c) => c.status)).toEqual([
    'skipped',
    'skipped',
    'skipped',
    'skipped',
  ]);
});

test('runner: a failing cell, a newer format version and bad usage give clear messages and exit codes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-bad-'));
  const base = { format: 'webgpu-workbench/project', version: 1, name: 'bad' };
  writeFileSync(
    join(dir, 'wrong-target.json'),
    JSON.stringify({
      ...base,
      cells: [
        { id: 'd', kind: 'dataset', source: { sample: 'iris' } },
        { id: 't', kind: 'train', input: 'd', target: 'species', epochs: 1 },
      ],
    }),
  );
  const wrong = runProject(join(dir, 'wrong-target.json'));
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(
    /Cell “t” \(train\) failed: INVALID_INPUT: The target “species” is not a column of “d” \(its columns: feature_1/,
  );

  writeFileSync(join(dir, 'newer.json'), JSON.stringify({ ...base, version: 9, cells: [] }));
  const newer = runProject(join(dir, 'newer.json'));
  expect(newer.code).toBe(1);
  expect(newer.stderr).toContain('format version 9, made by a newer workbench');
  expect(newer.results!.ok).toBe(false);

  const usage = spawnSync('node', ['scripts/project.mjs', 'frobnicate'], { cwd: ROOT, encoding: 'utf8' });
  expect(usage.status).toBe(2);
  expect(usage.stderr).toContain('usage: npm run project -- run <project.json>');
});
