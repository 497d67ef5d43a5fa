import type { IDBPDatabase } from 'idb';
import { newDatasetId } from '../../lib/ids';
import type { DataApi, ImportProgress, RowCell } from '../../bridge/contracts';
import { DatasetRepo } from '../../db/datasets.repo';
import { ModelRepo } from '../../db/models.repo';
import type { WorkbenchDB } from '../../db/schema';
import { storageEstimate } from '../../db/storage';
import { WorkbenchError } from '../../lib/errors';
import { inspectOnnx, MAX_MODEL_BYTES, type ModelMeta } from '../deploy/inspect';
import { audioThumb } from './audio';
import type { ColumnChunk, DatasetMeta, ImageSource } from './dataset';
import { download } from './download';
import { cellValue, exportCsv, exportJsonl } from './export';
import { thumbnail } from './images';
import { saveCaptured } from './ingest/capture';
import { ingestPlanned, planFiles } from './ingest/files';
import { browserImageDecoder } from './ingest/imageDecode';
import type { InputFile } from './ingest/imageStore';
import { ingest, type IngestOptions, type IngestSource } from './ingest/ingest';
import { deriveRetyped } from './derive';
import { categoryCounts } from './numericTable';

/** Largest file imported; bigger ones are refused up front with a clear message. */
export const MAX_IMPORT_BYTES = 2 * 2 ** 30;

/** The data worker's API over an open workbench database. */
export function createDataApi(db: Promise<IDBPDatabase<WorkbenchDB>>): DataApi {
  const repo = db.then((d) => new DatasetRepo(d));
  const swept = repo.then((r) => r.sweepIncomplete());
  swept.catch(() => undefined); // each call that needs storage reports the failure itself
  let running: AbortController | null = null;

  async function ready(): Promise<DatasetRepo> {
    await swept;
    return repo;
  }

  async function meta(id: string): Promise<DatasetMeta> {
    const m = await (await ready()).getDataset(id);
    if (m === undefined || m.status !== 'ready')
      throw new WorkbenchError('INVALID_INPUT', `No dataset ${id}`);
    return m;
  }

  /** Runs one import at a time, cancellable, with progress sent at most ~10 times a second. */
  async function exclusive(
    name: string,
    bytes: number,
    onProgress: (p: ImportProgress) => void,
    job: (sink: DatasetRepo, opts: IngestOptions & { signal: AbortSignal }) => Promise<DatasetMeta>,
  ): Promise<DatasetMeta> {
    if (bytes > MAX_IMPORT_BYTES) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `${name} is larger than 2 GiB; split it and import the parts`,
      );
    }
    if (running !== null)
      throw new WorkbenchError('INVALID_INPUT', 'Another import is running; wait or cancel it');
    const controller = new AbortController();
    running = controller;
    let last = 0;
    try {
      return await job(await ready(), {
        id: newDatasetId(),
        signal: controller.signal,
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < 100) return;
          last = now;
          onProgress({ ...p, name });
        },
      });
    } finally {
      running = null;
    }
  }

  function run(src: IngestSource, onProgress: (p: ImportProgress) => void): Promise<DatasetMeta> {
    return exclusive(src.name, src.bytes, onProgress, (sink, opts) => ingest(src, sink, opts));
  }

  /** Several files as one dataset (images, zips, an IDX pair); a single text file takes the text path. */
  async function runFiles(
    files: readonly InputFile[],
    kind: Exclude<ImageSource['kind'], 'capture'>,
    onProgress: (p: ImportProgress) => void,
  ): Promise<DatasetMeta> {
    const plan = await planFiles(files);
    if (plan.kind === 'text') {
      const { name, blob } = plan.file;
      return run({ name, kind, bytes: blob.size, open: () => blob.stream() }, onProgress);
    }
    const bytes = files.reduce((n, f) => n + f.blob.size, 0);
    const name = files.length === 1 ? files[0]!.name : `${files.length} files`;
    const decoder = browserImageDecoder();
    return exclusive(name, bytes, onProgress, (sink, opts) =>
      ingestPlanned(plan, decoder, sink, { ...opts, kind }),
    );
  }

  const models = db.then((d) => new ModelRepo(d));
  models.catch(() => undefined); // each call that needs storage reports the failure itself

  /** Inspects (MODEL_REJECTED when unreadable) and stores an imported .onnx; nothing is stored on failure. */
  async function addModel(name: string, blob: Blob, source: ModelMeta['source']): Promise<ModelMeta> {
    if (blob.size > MAX_MODEL_BYTES) {
      throw new WorkbenchError('MODEL_REJECTED', `${name} is larger than ${MAX_MODEL_BYTES / 2 ** 20} MiB`);
    }
    const data = new Uint8Array(await blob.arrayBuffer());
    const inspection = inspectOnnx(data);
    const id = `mdl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const meta: ModelMeta = { id, name, bytes: data.byteLength, createdAt: Date.now(), source, inspection };
    await (await models).putModel(meta, data);
    return meta;
  }

  const reader = (r: DatasetRepo, id: string) => async (column: number, index: number) => {
    const c = await r.readChunk(id, column, index);
    if (c === undefined)
      throw new WorkbenchError('INTERNAL', `Dataset ${id} is missing chunk ${column}/${index}`);
    return c;
  };

  return {
    async listDatasets() {
      return (await ready()).listDatasets();
    },
    importFile(file, onProgress) {
      return run({ name: file.name, kind: 'file', bytes: file.size, open: () => file.stream() }, onProgress);
    },
    importFiles(files, onProgress, paths) {
      const inputs = files.map((file, i) => ({ name: file.name, path: paths?.[i] || file.name, blob: file }));
      return runFiles(inputs, 'file', onProgress);
    },
    async importUrl(url, onProgress) {
      const { name, blob, kind } = await download(url);
      return run({ name, kind, bytes: blob.size, open: () => blob.stream() }, onProgress);
    },
    async importUrls(urls, onProgress) {
      const got = await Promise.all(urls.map(download));
      const inputs = got.map(({ name, blob }) => ({ name, path: name, blob }));
      return runFiles(inputs, got.every((d) => d.kind === 'sample') ? 'sample' : 'url', onProgress);
    },
    saveCaptured(set, onProgress) {
      const bytes =
        (set.images ?? []).reduce((n, i) => n + i.pixels.byteLength, 0) +
        (set.clips ?? []).reduce((n, c) => n + c.samples.byteLength, 0);
      return exclusive('captured examples', bytes, onProgress, (sink, opts) => saveCaptured(set, sink, opts));
    },
    cancelImport() {
      running?.abort();
      return Promise.resolve();
    },
    async deleteDataset(id) {
      await (await ready()).deleteDataset(id);
    },
    async renameDataset(id, name) {
      const clean = name.trim();
      if (clean === '') throw new WorkbenchError('INVALID_INPUT', 'A dataset needs a name');
      return (await ready()).renameDataset(id, clean.slice(0, 200));
    },
    async retypeColumn(id, column, to) {
      return deriveRetyped(await ready(), await meta(id), column, to, newDatasetId());
    },
    async setTarget(id, column) {
      const m = await meta(id);
      if (column !== null && !m.columns.some((c) => c.name === column)) {
        throw new WorkbenchError('INVALID_INPUT', `No column ${column}`);
      }
      return (await ready()).setTarget(id, column);
    },
    async readRows(id, start, count) {
      const m = await meta(id);
      const r = await ready();
      const read = reader(r, id);
      const end = Math.min(m.rows, start + count);
      const rows: RowCell[][] = [];
      // Image and audio cells travel as small thumbnails, never as whole images or clips.
      const cell = (k: number, c: ColumnChunk, r0: number): RowCell => {
        const col = m.columns[k]!;
        const v = cellValue(col, c, r0);
        if (v === null) return v;
        if (col.type === 'image' && col.shape !== undefined) return thumbnail(c, r0, col.shape);
        if (col.type === 'audio') return audioThumb(c, r0, col);
        return v;
      };
      for (let index = Math.floor(start / m.chunkRows); index * m.chunkRows < end; index++) {
        const chunks = await Promise.all(m.columns.map((_, c) => read(c, index)));
        const from = Math.max(start, index * m.chunkRows);
        const to = Math.min(end, (index + 1) * m.chunkRows);
        for (let row = from; row < to; row++) {
          const r0 = row - index * m.chunkRows;
          rows.push(chunks.map((c, k) => cell(k, c, r0)));
        }
      }
      return { start, rows };
    },
    async categoryCounts(id) {
      const m = await meta(id);
      const r = await ready();
      const out: Record<string, { value: string; count: number }[]> = {};
      for (const [i, c] of m.columns.entries()) {
        if (c.type === 'categorical')
          out[c.name] = categoryCounts(c.dictionary ?? [], await r.readColumn(id, i));
      }
      return out;
    },
    async exportDataset(id, format) {
      const m = await meta(id);
      const parts: string[] = [];
      const gen =
        format === 'csv'
          ? exportCsv(m, reader(await ready(), id))
          : exportJsonl(m, reader(await ready(), id));
      for await (const p of gen) parts.push(p);
      return new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
    },
    async storageInfo() {
      const e = await storageEstimate();
      return { usage: e?.usage ?? null, quota: e?.quota ?? null };
    },
    importModel(file) {
      return addModel(file.name, file, 'file');
    },
    async importModelUrl(url) {
      const { name, blob } = await download(url);
      return addModel(name, blob, 'url');
    },
    async listModels() {
      return (await models).listModels();
    },
    async deleteModel(id) {
      await (await models).deleteModel(id);
    },
  };
}
