import type { IDBPDatabase } from 'idb';
import { DatasetRepo } from '../../src/db/datasets.repo';
import { deleteWorkbenchDb, openWorkbenchDb } from '../../src/db/open';
import type { WorkbenchDB } from '../../src/db/schema';
import type { DatasetMeta } from '../../src/engine/data/dataset';
import { csvRows } from '../../src/engine/data/ingest/csvRows';
import { ingest, type IngestSource } from '../../src/engine/data/ingest/ingest';
import { decodeUtf8 } from '../../src/engine/data/ingest/textStream';
import { intParam, randomCsv, type RandomCsv } from '../data';
import { defineCase } from '../runner';

/** Its own database, so the bench never touches the app's 'workbench' one (same origin or not). */
const DB_NAME = 'bench-ingest';

interface State {
  readonly csv: RandomCsv;
  readonly source: IngestSource;
  readonly db: IDBPDatabase<WorkbenchDB>;
  readonly repo: DatasetRepo;
  runs: number;
  last: DatasetMeta | null;
}

/** Parse-only: decode and split into rows, counting them (header included). */
async function parseOnly(file: File): Promise<number> {
  let rows = 0;
  for await (const batch of csvRows(decodeUtf8(file.stream(), file.name), { fileName: file.name })) {
    rows += batch.rows.length;
  }
  return rows;
}

/**
 * Row 2: importing a generated CSV (8 numeric columns, 1 categorical) into IndexedDB, on the page's main
 * thread. Ours is the whole import: two streamed passes (type inference, then conversion, SHA-256 of each
 * chunk and the IndexedDB writes); the peer is one parse-only pass over the same bytes (UTF-8 decode and
 * Papa Parse rows), so the ratio is what inference, conversion, hashing and storage cost on top of parsing.
 * Each import is deleted after its run, outside the timing. Query: `?ingestMb=5` (10^6 bytes; 5 MB is
 * ~71,000 rows, two 65,536-row chunks, and keeps the 36+ runs PERFORMANCE.md asks within ~1–2 minutes).
 */
export const ingestCsvCase = defineCase<State, DatasetMeta, number>({
  id: 'ingest-csv',
  description:
    'CSV import into IndexedDB (2 passes: infer, convert + hash + store) vs parse-only (decode + csvRows); delete untimed',
  labels: {
    ours: 'ingest() → DatasetRepo (IndexedDB)',
    peer: 'decodeUtf8 + csvRows, counting rows',
  },
  params: ['ingestMb'],
  async setup({ params }) {
    const csv = randomCsv({
      bytes: intParam(params, 'ingestMb', 5) * 1e6,
      seed: 20_261_130,
      name: 'bench-ingest.csv',
    });
    const file = csv.file;
    await deleteWorkbenchDb({ name: DB_NAME });
    const db = await openWorkbenchDb({ name: DB_NAME });
    return {
      csv,
      source: { name: file.name, kind: 'file', bytes: file.size, open: () => file.stream() },
      db,
      repo: new DatasetRepo(db),
      runs: 0,
      last: null,
    };
  },
  async ours(state) {
    const meta = await ingest(state.source, state.repo, { id: `bench-ingest-${state.runs++}` });
    state.last = meta;
    return meta;
  },
  async afterOurs(state, meta) {
    await state.repo.deleteDataset(meta.id);
  },
  peer: ({ csv }) => parseOnly(csv.file),
  check(meta, peerRows) {
    if (meta.rows + 1 !== peerRows) {
      throw new Error(`ingest stored ${meta.rows} rows; the parser saw ${peerRows} (header included)`);
    }
    const types = meta.columns.map((c) => c.type).join(',');
    if (types !== 'number,number,number,number,number,number,number,number,categorical') {
      throw new Error(`unexpected column types ${types}`);
    }
  },
  counts: ({ csv, last }) => ({
    inputBytes: csv.file.size,
    rows: csv.rows,
    cols: csv.cols,
    storedBytes: last?.bytes ?? NaN,
    chunks: last === null ? NaN : last.chunkCount * last.columns.length,
  }),
  throughputBytes: ({ csv }) => csv.file.size,
  async teardown({ db }) {
    db.close();
    await deleteWorkbenchDb({ name: DB_NAME });
  },
});
