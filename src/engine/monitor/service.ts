/**
 * Drift checks in the compute worker: a training run's stored reference against a stored dataset, the run's
 * own test split, or a model's logged inference inputs; on the GPU for large inputs (or when asked), the
 * CPU reference otherwise. The training values come from the run's dataset when it is still stored (exact
 * KS); without it, the stored histograms are used (binned KS, said in the report).
 */
import type { IDBPDatabase } from 'idb';
import type { BackendChoice } from '../../bridge/contracts';
import { DatasetRepo } from '../../db/datasets.repo';
import { InferLogRepo, type InferLogSummary } from '../../db/inferLog.repo';
import { RunRepo } from '../../db/runs.repo';
import type { WorkbenchDB } from '../../db/schema';
import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import { newCounters, type GpuCounters } from '../gpu/buffers';
import { CPU_FALLBACK_CODES, type GpuContext } from '../gpu/context';
import type { AdapterSummary } from '../gpu/probe';
import type { RunRecord } from '../train/run';
import { driftCountsGpu } from './driftGpu';
import { predictionDrift, type PredictionDrift } from './predictionDrift';
import {
  assembleDrift,
  countsCpu,
  DRIFT_SETTINGS,
  type DriftSettings,
  type DriftVerdict,
  type FeatureDrift,
  type FeatureInput,
} from './report';
import { comparedValues, trainingValues, type Compared } from './sources';

/** What to compare the run's reference with. */
export type DriftSource =
  | { readonly kind: 'dataset'; readonly datasetId: string }
  | { readonly kind: 'test-split' }
  | { readonly kind: 'log'; readonly modelId: string };

export interface DriftRequest {
  readonly runId: string;
  readonly source: DriftSource;
  readonly backend: BackendChoice;
}

/** A drift report with where it ran. */
export interface DriftRun {
  readonly runId: string;
  readonly runName: string;
  readonly sourceName: string;
  readonly features: readonly FeatureDrift[];
  readonly overall: DriftVerdict;
  readonly warnings: readonly string[];
  /** The predicted classes of a logged classifier against its test-split predictions, when available. */
  readonly prediction: PredictionDrift | null;
  readonly settings: DriftSettings;
  readonly ksMethod: 'exact' | 'binned';
  readonly rows: { readonly reference: number; readonly compared: number };
  readonly backend: 'webgpu' | 'cpu';
  readonly adapter: AdapterSummary | null;
  readonly fallbackReason: string | null;
  readonly counters: GpuCounters;
  readonly wallMs: number;
}

/** A run as the monitor lists it. */
export interface ReferenceRunSummary {
  readonly id: string;
  readonly name: string;
  readonly datasetId: string;
  readonly datasetName: string;
  readonly features: readonly string[];
  readonly rows: RunRecord['rows'];
  readonly createdAt: number;
  /** Why a drift check cannot use it (no stored reference, image features), or null. */
  readonly unusable: string | null;
}

/** The monitor's part of the compute worker's API. */
export interface MonitorService {
  /** Drift of a source against a training run's reference, per feature and overall. */
  driftReport(request: DriftRequest): Promise<DriftRun>;
  /** Stored training runs with what a drift check needs to know, newest first. */
  listReferenceRuns(): Promise<ReferenceRunSummary[]>;
  /** Models with a sampled input log, newest first (without the rows). */
  listInferLogs(): Promise<InferLogSummary[]>;
  /** Forgets a model's input log. */
  deleteInferLog(modelId: string): Promise<void>;
}

/** On 'auto', the GPU runs when the values to bin and compare reach this many (smaller inputs: the CPU). */
export const AUTO_GPU_MIN_VALUES = 100_000;

export function createMonitorService(
  context: GpuContext,
  db: Promise<IDBPDatabase<WorkbenchDB>>,
): MonitorService {
  return {
    async driftReport({ runId, source, backend }) {
      const start = performance.now();
      const idb = await db;
      const run = await idb.get('runs', runId);
      if (run === undefined) throw new WorkbenchError('INVALID_INPUT', `No training run ${runId} is stored.`);
      const reference = run.reference;
      if (reference === undefined || reference.length === 0)
        throw new WorkbenchError(
          'INVALID_INPUT',
          `Run “${run.name}” has no stored reference distributions (it was trained before they were kept): train it again.`,
        );
      if (reference.some((r) => r.channel !== undefined))
        throw new WorkbenchError(
          'INVALID_INPUT',
          'Drift checks cover tabular features; this run trained on images.',
        );
      const repo = new DatasetRepo(idb);
      const training = await trainingValues(repo, run);
      const compared: Compared = await comparedValues(repo, new InferLogRepo(idb), run, source, training);
      const inputs: FeatureInput[] = reference.map((r, j) => ({
        reference: r,
        refValues: training.values?.[j] ?? null,
        curValues: compared.values[j]!,
      }));
      const total = inputs.reduce((n, f) => n + f.curValues.length + (f.refValues?.length ?? 0), 0);
      const useGpu = backend === 'webgpu' || (backend === 'auto' && total >= AUTO_GPU_MIN_VALUES);
      const counters = newCounters();
      let ran: 'webgpu' | 'cpu' = 'cpu';
      let adapter: AdapterSummary | null = null;
      let fallbackReason: string | null =
        backend === 'auto' && !useGpu
          ? `${total} values: below ${AUTO_GPU_MIN_VALUES}, the CPU is faster`
          : null;
      let counts = null;
      if (useGpu) {
        try {
          counts = await context.run(async (s) => {
            adapter = s.adapter;
            return driftCountsGpu(s, inputs, counters);
          });
          ran = 'webgpu';
        } catch (e) {
          const err = toWorkbenchError(e);
          if (backend === 'webgpu' || !CPU_FALLBACK_CODES.has(err.code)) throw err;
          fallbackReason = `${err.message} — computed on the CPU instead`;
          adapter = null;
        }
      }
      counts ??= inputs.map(countsCpu);
      const { features, overall, warnings } = assembleDrift(inputs, counts);
      const evaluation = run.evaluation;
      const prediction =
        compared.predictions !== undefined && evaluation?.kind === 'classification'
          ? predictionDrift(run.classes, evaluation.confusion, compared.predictions)
          : null;
      return {
        runId,
        runName: run.name,
        sourceName: compared.name,
        features,
        overall: worst(overall, prediction?.verdict ?? 'ok'),
        warnings: [...training.notes, ...compared.notes, ...warnings],
        prediction,
        settings: DRIFT_SETTINGS,
        ksMethod: training.values === null ? 'binned' : 'exact',
        rows: { reference: training.values?.[0]?.length ?? reference[0]!.n, compared: compared.rows },
        backend: ran,
        adapter,
        fallbackReason,
        counters,
        wallMs: performance.now() - start,
      };
    },
    async listReferenceRuns() {
      const runs = (await new RunRepo(await db).listRuns()).filter((r) => r.status !== 'failed');
      return runs.map((r) => ({
        id: r.id,
        name: r.name,
        datasetId: r.datasetId,
        datasetName: r.datasetName,
        features: r.features,
        rows: r.rows,
        createdAt: r.createdAt,
        unusable:
          r.reference === undefined || r.reference.length === 0
            ? 'no stored reference (trained before references were kept)'
            : r.reference.some((x) => x.channel !== undefined)
              ? 'image features'
              : null,
      }));
    },
    async listInferLogs() {
      return new InferLogRepo(await db).list();
    },
    async deleteInferLog(modelId) {
      await new InferLogRepo(await db).delete(modelId);
    },
  };
}

const RANK: Record<DriftVerdict, number> = { ok: 0, warn: 1, drift: 2 };

function worst(a: DriftVerdict, b: DriftVerdict): DriftVerdict {
  return RANK[a] >= RANK[b] ? a : b;
}
