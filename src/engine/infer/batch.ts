/**
 * Batch inference over a stored dataset, in the inference worker: the dataset's columns are mapped to the
 * model's inputs (batchPlan), run through the core service in row blocks with progress and cancel, and the
 * outputs saved as a NEW dataset through the data layer's snapshot writer (all or nothing: a cancelled or
 * failed batch leaves nothing behind).
 */
import type { IDBPDatabase } from 'idb';
import { DatasetRepo } from '../../db/datasets.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError } from '../../lib/errors';
import type { ColumnChunk, DatasetMeta } from '../data/dataset';
import { writeSnapshot } from '../data/ingest/snapshot';
import { joinChunks, type LoadedColumn } from '../preprocess/load';
import {
  blockFeeds,
  DEFAULT_BLOCK_ROWS,
  OutputCollector,
  planBatch,
  planColumns,
  type OutColumn,
} from './batchPlan';
import type { InferEp, InferEpChoice, InferLoad, InferService } from './inferApi';
import { contractInfo, type ContractInfo } from './metadata';
import { logBatchInputs } from '../monitor/logBatch';

const MAX_BLOCK_ROWS = 65_536;

export interface BatchProgress {
  readonly rowsDone: number;
  readonly rows: number;
}

export interface BatchOptions {
  /** Rows per run (1…65536), 512 by default. */
  readonly blockRows?: number;
}

/** What a finished batch did and where its predictions are. */
export interface BatchResult {
  readonly dataset: DatasetMeta;
  readonly ep: InferEp;
  readonly reason: string;
  readonly placement: InferLoad['placement'];
  readonly rows: number;
  readonly blocks: number;
  /** How the dataset's columns fed the model's inputs. */
  readonly mapping: string;
  readonly loadMs: number;
  /** Time inside the runs, summed. */
  readonly runMs: number;
  /** From the start of the call to the saved dataset. */
  readonly wallMs: number;
}

/** The parent recipe recorded on a predictions dataset (lineage). */
export interface PredictStep {
  readonly op: 'predict';
  readonly modelId: string;
  readonly model: string;
  readonly ep: InferEp;
}

export interface BatchService {
  /** Predicts every row of a dataset and saves the predictions as a new dataset. */
  batch(
    modelId: string,
    ep: InferEpChoice,
    datasetId: string,
    onProgress: (p: BatchProgress) => void,
    options?: BatchOptions,
  ): Promise<BatchResult>;
  /** Stops the running batch after its current block: it fails CANCELLED and saves nothing. */
  cancelBatch(): Promise<void>;
  /** The workbench contract metadata of a stored model (class names for readable outputs). */
  contractInfo(modelId: string): Promise<ContractInfo>;
}

const newId = (): string => `pred-${crypto.randomUUID()}`;

export function createBatchService(
  core: InferService,
  db: Promise<IDBPDatabase<WorkbenchDB>>,
  makeId: () => string = newId,
): BatchService {
  let cancelled = false;
  let running = false;
  const checkCancel = (): void => {
    if (cancelled) throw new WorkbenchError('CANCELLED', 'The batch was cancelled; nothing was saved.');
  };

  return {
    async batch(modelId, choice, datasetId, onProgress, options = {}) {
      if (running) throw new WorkbenchError('INVALID_INPUT', 'A batch is already running in this worker.');
      const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
      if (!Number.isInteger(blockRows) || blockRows < 1 || blockRows > MAX_BLOCK_ROWS) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `Rows per block must be a whole number from 1 to ${MAX_BLOCK_ROWS}.`,
        );
      }
      running = true;
      cancelled = false;
      const t0 = performance.now();
      try {
        const idb = await db;
        const repo = new DatasetRepo(idb);
        const [meta, model, bytes] = await Promise.all([
          repo.getDataset(datasetId),
          idb.get('models', modelId),
          idb.get('modelBytes', modelId),
        ]);
        if (meta?.status !== 'ready')
          throw new WorkbenchError('INVALID_INPUT', `Dataset ${datasetId} is not stored.`);
        if (model === undefined || bytes === undefined) {
          throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
        }
        const plan = planBatch(model.inspection.inputs, meta);
        const columns = new Map<number, LoadedColumn>();
        for (const c of planColumns(plan)) {
          columns.set(c, joinChunks(meta.columns[c]!, meta.rows, await repo.readColumn(meta.id, c)));
        }
        checkCancel();
        const loaded = await core.load(modelId, choice);
        const collector = new OutputCollector();
        let runMs = 0;
        let blocks = 0;
        for (let start = 0; start < meta.rows; start += blockRows) {
          checkCancel();
          const end = Math.min(meta.rows, start + blockRows);
          const ran = await core.run(blockFeeds(plan, columns, start, end));
          collector.add(ran.outputs, end - start);
          runMs += ran.runMs;
          blocks++;
          await Promise.resolve(onProgress({ rowsDone: end, rows: meta.rows })).catch(() => undefined);
        }
        checkCancel();
        const out = collector.columns(contractInfo(bytes.data).classes);
        const step: PredictStep = { op: 'predict', modelId, model: model.name, ep: loaded.ep };
        const dataset = await savePredictions(
          repo,
          meta,
          out,
          makeId(),
          `${meta.name} · predictions (${model.name})`,
          step,
        );
        await logBatchInputs(idb, modelId, model.name, bytes.data, meta, columns, out); // drift log; never throws
        return {
          dataset,
          ep: loaded.ep,
          reason: loaded.reason,
          placement: loaded.placement ?? null,
          rows: meta.rows,
          blocks,
          mapping: plan.summary,
          loadMs: loaded.loadMs,
          runMs,
          wallMs: performance.now() - t0,
        };
      } finally {
        running = false;
        cancelled = false;
        await core.release().catch(() => undefined);
      }
    },

    async contractInfo(modelId) {
      const bytes = await (await db).get('modelBytes', modelId);
      if (bytes === undefined) throw new WorkbenchError('MODEL_REJECTED', `Model ${modelId} is not stored.`);
      return contractInfo(bytes.data);
    },

    cancelBatch() {
      if (running) cancelled = true;
      return Promise.resolve();
    },
  };
}

/** Chunk size of a predictions dataset (rows). */
const CHUNK_ROWS = 65_536;

/** Writes the predictions as a new snapshot whose parent is the dataset they were made for. */
async function savePredictions(
  repo: DatasetRepo,
  source: DatasetMeta,
  columns: readonly OutColumn[],
  id: string,
  name: string,
  step: PredictStep,
): Promise<DatasetMeta> {
  const rows = source.rows;
  const base: DatasetMeta = {
    id,
    name,
    rows,
    columns: columns.map((c) => c.meta),
    target: null,
    chunkRows: CHUNK_ROWS,
    chunkCount: 0,
    bytes: 0,
    createdAt: Date.now(),
    contentHash: '',
    source: source.source,
    parent: { datasetId: source.id, recipe: [step] },
    stats: null,
    status: 'importing',
  };
  return writeSnapshot(repo, base, async (put) => {
    for (let index = 0, start = 0; start < rows; index++, start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      await put(columns.map((c, column): ColumnChunk => chunkOf(c, id, column, index, start, end)));
    }
  });
}

function chunkOf(
  c: OutColumn,
  datasetId: string,
  column: number,
  index: number,
  start: number,
  end: number,
): ColumnChunk {
  const n = end - start;
  const validity = new Uint32Array(Math.ceil(n / 32));
  for (let r = 0; r < n; r++) {
    const s = start + r;
    if ((((c.validity[s >>> 5] ?? 0) >>> (s & 31)) & 1) === 1) validity[r >>> 5]! |= 1 << (r & 31);
  }
  return { datasetId, column, index, rows: n, data: c.data.slice(start, end), validity };
}
