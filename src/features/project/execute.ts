/**
 * Runs a project's cells in order on the app's workers (the same calls the pages make) and reports a
 * CellResult per cell. Used by the notebook's Run all and by the headless runner. The first failing cell
 * stops the run; the cells after it are reported as skipped with the reason.
 */
import { proxy } from 'comlink';
import { computeClient, dataClient, inferCall, releaseInferClient, trainClient } from '../../bridge/clients';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { timeoutFor } from '../../engine/infer/timeouts';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { Cell, DatasetCell, InferCell, Project } from '../../engine/project/format';
import { recipeOf, trainConfigOf } from '../../engine/project/normalize';
import { evaluationMetrics, runMetrics, type CellResult } from '../../engine/project/results';
import type { RunRecord } from '../../engine/train/run';
import { toWorkbenchError, WorkbenchError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { applyWorkerEvent } from '../../state/gpuStore';
import { SAMPLES } from '../data/actions';
import { historyChartPng } from './chartPng';
import { sha256Hex } from '../../engine/project/hash';

/** Where a run gets its files and puts its artifacts. */
export interface ProjectIo {
  /** The bytes of a file named relative to the project (headless: next to project.json). */
  readFile(path: string): Promise<Blob>;
  /** Stores an artifact under the output folder. */
  writeArtifact(name: string, data: Blob): Promise<void>;
  /** Called as each cell starts and ends. */
  onCell?(id: string, result: CellResult | 'running'): void;
}

/** What earlier cells produced, by cell id. */
interface Produced {
  readonly datasets: Map<string, DatasetMeta>;
  readonly runs: Map<string, RunRecord>;
}

interface Outcome {
  backend?: string;
  fallbackReason?: string;
  metrics: Record<string, number>;
  artifacts: string[];
  notes: string[];
}

const data = () => dataClient(() => dataStore.setState({ staleTab: true }));
const noProgress = proxy(() => undefined);

function fileFromBlob(blob: Blob, name: string): File {
  return new File([blob], name, { type: blob.type || 'application/octet-stream' });
}

async function checkHash(blob: Blob, expected: string | undefined, what: string): Promise<void> {
  if (expected === undefined) return;
  const actual = await sha256Hex(new Uint8Array(await blob.arrayBuffer()));
  if (actual !== expected) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `${what} does not match its sha256 in the project (expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…).`,
    );
  }
}

async function importDataset(cell: DatasetCell, io: ProjectIo): Promise<DatasetMeta> {
  const src = cell.source;
  if ('path' in src) {
    const blob = await io.readFile(src.path);
    await checkHash(blob, src.sha256, `The file “${src.path}”`);
    return data().importFile(fileFromBlob(blob, src.path.split('/').at(-1)!), noProgress);
  }
  if ('paths' in src) {
    const files = await Promise.all(
      src.paths.map(async (path) => fileFromBlob(await io.readFile(path), path.split('/').at(-1)!)),
    );
    // The folder above each file names its label (e.g. speech/clip.wav), as a dropped folder does.
    return data().importFiles(files, noProgress, src.paths);
  }
  if ('sample' in src) {
    const sample = SAMPLES.find((s) => s.id === src.sample);
    if (sample === undefined) throw new WorkbenchError('INVALID_INPUT', `No sample named “${src.sample}”.`);
    const urls = ('paths' in sample ? sample.paths : [sample.path]).map(
      (p) => new URL(p, document.baseURI).href,
    );
    return urls.length === 1 ? data().importUrl(urls[0]!, noProgress) : data().importUrls(urls, noProgress);
  }
  if ('url' in src) {
    const url = new URL(src.url, document.baseURI).href;
    if (src.sha256 === undefined) return data().importUrl(url, noProgress);
    const res = await fetch(url).catch((e: unknown) => {
      throw new WorkbenchError('REMOTE_UNAVAILABLE', `Could not fetch ${url}: ${String(e)}`);
    });
    if (!res.ok) throw new WorkbenchError('REMOTE_UNAVAILABLE', `${url} answered ${res.status}.`);
    const blob = await res.blob();
    await checkHash(blob, src.sha256, `The data at ${url}`);
    return data().importFile(fileFromBlob(blob, url.split('/').at(-1) || 'data'), noProgress);
  }
  if ('inline' in src) {
    return data().importFile(new File([src.inline.text], `${cell.id}.csv`, { type: 'text/csv' }), noProgress);
  }
  throw new WorkbenchError(
    'INVALID_INPUT',
    `The dataset “${src.missing.name}” is not included in this project: supply the file (${src.missing.rows} rows, columns ${src.missing.columns.join(', ')}).`,
  );
}

function datasetOf(p: Produced, id: string): DatasetMeta {
  const d = p.datasets.get(id);
  if (d === undefined) throw new WorkbenchError('INVALID_INPUT', `Cell “${id}” has produced no dataset.`);
  return d;
}

function runOf(p: Produced, id: string): RunRecord {
  const r = p.runs.get(id);
  if (r === undefined) throw new WorkbenchError('INVALID_INPUT', `Cell “${id}” has trained no model.`);
  return r;
}

async function runCell(cell: Cell, p: Produced, io: ProjectIo): Promise<Outcome> {
  const out: Outcome = { metrics: {}, artifacts: [], notes: [] };
  switch (cell.kind) {
    case 'markdown':
      return out;
    case 'dataset': {
      let meta = await importDataset(cell, io);
      if (cell.target !== undefined) meta = await data().setTarget(meta.id, cell.target);
      p.datasets.set(cell.id, meta);
      out.metrics = { rows: meta.rows, columns: meta.columns.length };
      return out;
    }
    case 'preprocess': {
      const input = datasetOf(p, cell.input);
      const run = await computeClient(applyWorkerEvent).runRecipe(input.id, recipeOf(cell), {
        backend: 'auto',
        save: true,
        name: `${input.name} · ${cell.title ?? cell.id}`,
      });
      if (run.output === null) throw new WorkbenchError('INTERNAL', 'The recipe saved no dataset.');
      p.datasets.set(cell.id, run.output);
      out.backend = run.backend;
      if (run.fallbackReason !== null) out.fallbackReason = run.fallbackReason;
      const split = run.output.split;
      out.metrics = {
        rows: run.rows,
        columns: run.output.columns.length,
        ...(split
          ? { train_rows: split.train, validation_rows: split.validation, test_rows: split.test }
          : {}),
      };
      return out;
    }
    case 'train': {
      const input = datasetOf(p, cell.input);
      if (!input.columns.some((c) => c.name === cell.target)) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `The target “${cell.target}” is not a column of “${cell.input}” (its columns: ${input.columns.map((c) => c.name).join(', ')}).`,
        );
      }
      const record = await trainClient().start(trainConfigOf(cell, input.id), noProgress);
      if (record.status === 'failed' || record.status === 'cancelled') {
        throw new WorkbenchError('INTERNAL', `Training ${record.status}.`, record.notices);
      }
      p.runs.set(cell.id, record);
      out.backend = record.backend;
      if (record.fallbackReason !== null) out.fallbackReason = record.fallbackReason;
      out.metrics = runMetrics(record);
      out.notes = [...record.notices];
      return out;
    }
    case 'evaluate': {
      const record = runOf(p, cell.model);
      if (record.evaluation === null) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `The model of “${cell.model}” has no test rows to evaluate on.`,
        );
      }
      out.backend = record.backend;
      out.metrics = evaluationMetrics(record.evaluation);
      return out;
    }
    case 'export': {
      const record = runOf(p, cell.model);
      if (cell.onnx !== undefined) {
        const bytes = await trainClient().exportOnnx(record.id);
        await io.writeArtifact(
          cell.onnx,
          new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }),
        );
        out.artifacts.push(cell.onnx);
        out.metrics['onnx_bytes'] = bytes.byteLength;
      }
      if (cell.predictions !== undefined) {
        const ds = datasetOf(p, cell.predictions.dataset);
        const blob = await trainClient().predictions(record.id, ds.id, cell.predictions.format ?? 'csv');
        await io.writeArtifact(cell.predictions.file, blob);
        out.artifacts.push(cell.predictions.file);
        out.metrics['prediction_rows'] = ds.rows;
      }
      out.backend = 'wasm';
      return out;
    }
    case 'chart': {
      const record = runOf(p, cell.model);
      const file = cell.file ?? `${cell.id}.png`;
      await io.writeArtifact(file, await historyChartPng(record, cell.series ?? ['loss', 'val_loss']));
      out.artifacts.push(file);
      return out;
    }
    case 'infer':
      return runInfer(cell, p, io, out);
  }
}

async function importModelOf(cell: InferCell, io: ProjectIo): Promise<ModelMeta> {
  const m = cell.model;
  if ('path' in m) {
    const blob = await io.readFile(m.path);
    return data().importModel(fileFromBlob(blob, m.path.split('/').at(-1)!));
  }
  return data().importModelUrl(new URL(m.url, document.baseURI).href);
}

/** Batch or streaming inference of an ONNX model in the inference worker (under its watchdog). */
async function runInfer(cell: InferCell, p: Produced, io: ProjectIo, out: Outcome): Promise<Outcome> {
  const model = await importModelOf(cell, io);
  const ep = cell.ep ?? 'auto';
  try {
    if (cell.batch !== undefined) {
      const ds = datasetOf(p, cell.batch.dataset);
      const r = await inferCall(
        (api, alive) =>
          api.batch(
            model.id,
            ep,
            ds.id,
            proxy(() => alive()),
          ),
        timeoutFor('run'),
        `Batch inference with ${model.name}`,
      );
      p.datasets.set(cell.id, r.dataset);
      out.backend = r.ep;
      out.notes.push(r.reason, r.mapping);
      out.metrics = { rows: r.rows, blocks: r.blocks, run_ms: r.runMs };
      if (cell.batch.file !== undefined) {
        await io.writeArtifact(cell.batch.file, await data().exportDataset(r.dataset.id, 'csv'));
        out.artifacts.push(cell.batch.file);
      }
      return out;
    }
    const stream = cell.stream!;
    const ds = datasetOf(p, stream.dataset);
    const r = await inferCall(
      (api, alive) =>
        api.stream(
          model.id,
          ep,
          ds.id,
          stream.row ?? 0,
          stream.frame !== undefined ? { frameSamples: stream.frame } : {},
          proxy(() => alive()),
        ),
      timeoutFor('run'),
      `Streaming with ${model.name}`,
    );
    const scores = r.frames.map((f) => f.score);
    out.backend = r.ep;
    out.notes.push(r.reason);
    out.metrics = {
      frames: scores.length,
      speech_frames: scores.filter((s) => s > r.threshold).length,
      max_score: scores.length > 0 ? Math.max(...scores) : 0,
      mean_score: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : 0,
      segments: r.segments.length,
      seconds: r.seconds,
    };
    return out;
  } finally {
    await releaseInferClient();
  }
}

/** Runs every cell in order; stops at the first failure (later cells: skipped). */
export async function executeProject(project: Project, io: ProjectIo): Promise<CellResult[]> {
  const produced: Produced = { datasets: new Map(), runs: new Map() };
  const results: CellResult[] = [];
  let failed: string | null = null;
  for (const cell of project.cells) {
    if (failed !== null) {
      const skipped: CellResult = {
        id: cell.id,
        kind: cell.kind,
        status: 'skipped',
        durationMs: 0,
        metrics: {},
        artifacts: [],
        notes: [`Not run: cell “${failed}” failed.`],
      };
      results.push(skipped);
      io.onCell?.(cell.id, skipped);
      continue;
    }
    io.onCell?.(cell.id, 'running');
    const t0 = performance.now();
    let result: CellResult;
    try {
      const o = await runCell(cell, produced, io);
      result = {
        id: cell.id,
        kind: cell.kind,
        status: 'ok',
        durationMs: performance.now() - t0,
        ...(o.backend !== undefined ? { backend: o.backend } : {}),
        ...(o.fallbackReason !== undefined ? { fallbackReason: o.fallbackReason } : {}),
        metrics: o.metrics,
        artifacts: o.artifacts,
        notes: o.notes,
      };
    } catch (e) {
      const err = toWorkbenchError(e);
      failed = cell.id;
      result = {
        id: cell.id,
        kind: cell.kind,
        status: 'failed',
        durationMs: performance.now() - t0,
        metrics: {},
        artifacts: [],
        notes: [...err.details],
        error: { code: err.code, message: err.message },
      };
    }
    results.push(result);
    io.onCell?.(cell.id, result);
  }
  return results;
}
