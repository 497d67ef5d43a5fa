/**
 * What a project run produces (`results.json` of the headless runner, and the notebook's cell statuses):
 * per cell its kind, status, duration, the backend that ran and metrics under fixed names. Documented in
 * docs/project-format.md; keep the names stable (scripts compare them).
 */
import type { Evaluation, RunRecord } from '../train/run';
import type { CellKind } from './format';

export const RESULTS_FORMAT = 'webgpu-workbench/results';
export const RESULTS_VERSION = 1;

export type CellStatus = 'ok' | 'failed' | 'skipped';

export interface CellResult {
  readonly id: string;
  readonly kind: CellKind;
  readonly status: CellStatus;
  readonly durationMs: number;
  /** Where the work ran: 'webgpu', 'wasm' or 'cpu' (absent for cells that compute nothing). */
  readonly backend?: string;
  /** Why the backend is not the one asked for, when it is not. */
  readonly fallbackReason?: string;
  /** Fixed names: rows, columns, train_rows, validation_rows, test_rows, accuracy, macro_f1, log_loss, mae… */
  readonly metrics: Readonly<Record<string, number>>;
  /** Files written under the output folder. */
  readonly artifacts: readonly string[];
  /** Things the user should know (columns left out, early stopping...). */
  readonly notes: readonly string[];
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ProjectResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  readonly project: string;
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly environment: {
    readonly userAgent: string;
    readonly webgpu: boolean;
    readonly adapter: string | null;
  };
  readonly cells: readonly CellResult[];
  /** Set when the document itself could not be loaded (then no cell ran). */
  readonly error?: { readonly code: string; readonly message: string; readonly details: readonly string[] };
}

/** Test-split metrics of an evaluation under the fixed names. */
export function evaluationMetrics(e: Evaluation): Record<string, number> {
  if (e.kind === 'regression') {
    return { test_rows: e.testRows, mae: e.mae, rmse: e.rmse, r2: e.r2, baseline_rmse: e.baseline.rmse };
  }
  return {
    test_rows: e.testRows,
    accuracy: e.accuracy,
    macro_f1: e.macroF1,
    ...(e.logLoss !== undefined ? { log_loss: e.logLoss } : {}),
    baseline_accuracy: e.baseline.accuracy,
  };
}

/** A finished training run's figures under the fixed names. */
export function runMetrics(r: RunRecord): Record<string, number> {
  const last = r.history.at(-1);
  const m: Record<string, number> = {
    train_rows: r.rows.train,
    validation_rows: r.rows.validation,
    test_rows: r.rows.test,
    epochs: r.history.length,
    parameters: r.parameters,
  };
  if (last !== undefined) {
    m['final_loss'] = last.trainLoss;
    if (last.valLoss !== null) m['final_val_loss'] = last.valLoss;
    m['samples_per_sec'] = last.samplesPerSec;
  }
  return m;
}
