import type { IDBPDatabase } from 'idb';
import type { DataApi, ImportProgress } from '../../bridge/contracts';
import { DatasetRepo } from '../../db/datasets.repo';
import type { WorkbenchDB } from '../../db/schema';
import { storageEstimate } from '../../db/storage';
import { WorkbenchError } from '../../lib/errors';
import type { DatasetMeta } from './dataset';
import { cellValue, exportCsv, exportJsonl } from './export';
import { ingest, type IngestSource } from './ingest/ingest';
import { categoryCounts } from './numericTable';

/** Largest file imported; bigger ones are refused up front with a clear message. */
export const MAX_IMPORT_BYTES = 2 * 2 ** 30;

function newId(): string {
  return `ds-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

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

  async function run(src: IngestSource, onProgress: (p: ImportProgress) => void): Promise<DatasetMeta> {
    if (src.bytes > MAX_IMPORT_BYTES) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `${src.name} is larger than 2 GiB; split it and import the parts`,
      );
    }
    if (running !== null)
      throw new WorkbenchError('INVALID_INPUT', 'Another import is running; wait or cancel it');
    const controller = new AbortController();
    running = controller;
    let last = 0;
    try {
      return await ingest(src, await ready(), {
        id: newId(),
        signal: controller.signal,
        // Progress crosses to the page at most ~10 times a second.
        onProgress: (p) => {
          const now = performance.now();
          if (now - last < 100) return;
          last = now;
          onProgress({ ...p, name: src.name });
        },
      });
    } finally {
      running = null;
    }
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
    async importUrl(url, onProgress) {
      const parsed = new URL(url, self.location.href);
      if (parsed.protocol !== 'https:' && parsed.origin !== self.location.origin) {
        throw new WorkbenchError('INVALID_INPUT', 'Only https URLs (or this site) can be imported');
      }
      let blob: Blob;
      try {
        const res = await fetch(parsed);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        blob = await res.blob();
      } catch (e) {
        throw new WorkbenchError(
          'REMOTE_UNAVAILABLE',
          `Could not download ${parsed.href}: ${(e as Error).message}. The server may be down or not allow cross-origin requests (CORS).`,
        );
      }
      const name = decodeURIComponent(parsed.pathname.split('/').pop() || 'download.csv');
      const kind = parsed.origin === self.location.origin ? 'sample' : 'url';
      return run({ name, kind, bytes: blob.size, open: () => blob.stream() }, onProgress);
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
      const rows: (string | number | null)[][] = [];
      for (let index = Math.floor(start / m.chunkRows); index * m.chunkRows < end; index++) {
        const chunks = await Promise.all(m.columns.map((_, c) => read(c, index)));
        const from = Math.max(start, index * m.chunkRows);
        const to = Math.min(end, (index + 1) * m.chunkRows);
        for (let row = from; row < to; row++) {
          const r0 = row - index * m.chunkRows;
          rows.push(chunks.map((c, k) => cellValue(m.columns[k]!, c, r0)));
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
  };
}
