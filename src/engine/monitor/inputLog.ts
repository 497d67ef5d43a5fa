/**
 * The sampled inference-input log of a model, for drift checks: a bounded, seeded reservoir (Vitter's
 * algorithm R) of the numeric input rows the app ran through the model, so after any number of rows every
 * row seen has had the same chance (capacity / seen) to be kept. Pure; stored by db/inferLog.repo.ts.
 */
import { mulberry32 } from '../../lib/random';

/** Rows kept per model. */
export const LOG_CAPACITY = 10_000;

/** A model's logged input sample (plain data, one IndexedDB record per model). */
export interface InferLogRecord {
  readonly modelId: string;
  readonly modelName: string;
  /** The training run named by the model's workbench metadata (`workbench.run`), when it is one of ours. */
  readonly runId: string | null;
  /** Feature names, in the order of each row's values. */
  readonly features: readonly string[];
  readonly capacity: number;
  /** Complete rows offered to the log so far (kept or not). */
  readonly seen: number;
  /** Rows skipped because a value was missing or not finite. */
  readonly skipped: number;
  /** Kept rows, row-major (rows × features.length), f32 as the model saw them. */
  readonly rows: Float32Array;
  readonly seed: number;
  readonly updatedAt: number;
  /** Predicted-label counts over every logged row (a classifier following the contract), not sampled. */
  readonly predictions?: Readonly<Record<string, number>>;
}

/** A new, empty log. */
export function emptyLog(
  modelId: string,
  modelName: string,
  runId: string | null,
  features: readonly string[],
  capacity = LOG_CAPACITY,
  seed = seedOf(modelId),
): InferLogRecord {
  return {
    modelId,
    modelName,
    runId,
    features: [...features],
    capacity,
    seen: 0,
    skipped: 0,
    rows: new Float32Array(0),
    seed,
    updatedAt: Date.now(),
  };
}

/** A stable 32-bit seed from the model id (FNV-1a). */
export function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Offers `count` rows (row-major `values`, width = features) to the reservoir. Rows with a non-finite value
 * are skipped (counted). The generator is seeded from (seed, seen), so the same rows offered in the same
 * calls give the same sample.
 */
export function offerRows(log: InferLogRecord, values: Float32Array, count: number): InferLogRecord {
  const width = log.features.length;
  const kept = log.rows.length / width;
  const room = Math.max(kept, Math.min(log.capacity, kept + count));
  const rows = new Float32Array(room * width);
  rows.set(log.rows);
  const random = mulberry32((log.seed + Math.imul(log.seen, 0x9e3779b1)) >>> 0);
  let seen = log.seen;
  let size = kept;
  let skipped = log.skipped;
  for (let r = 0; r < count; r++) {
    const row = values.subarray(r * width, (r + 1) * width);
    if (!row.every(Number.isFinite)) {
      skipped++;
      continue;
    }
    if (size < log.capacity) rows.set(row, size++ * width);
    else {
      const j = Math.floor(random() * (seen + 1));
      if (j < log.capacity) rows.set(row, j * width);
    }
    seen++;
  }
  return { ...log, rows: rows.slice(0, size * width), seen, skipped, updatedAt: Date.now() };
}

/** Column j of the kept rows. */
export function logColumn(log: InferLogRecord, j: number): Float32Array {
  const width = log.features.length;
  const n = log.rows.length / width;
  return Float32Array.from({ length: n }, (_, r) => log.rows[r * width + j]!);
}

/** Label counts added together. */
export function addCounts(
  a: Readonly<Record<string, number>> | undefined,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
