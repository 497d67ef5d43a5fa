/**
 * A stored run's metrics as files: its per-epoch history as CSV (one row per epoch, empty cells where a
 * split has no validation rows) and everything measured as JSON (history, first batch losses, test metrics
 * under the fixed names of results.json).
 */
import { evaluationMetrics } from '../project/results';
import type { RunRecord } from './run';

const CSV_HEADER = 'epoch,train_loss,train_metric,val_loss,val_metric,samples_per_sec,ms_per_step';

export function runHistoryCsv(record: RunRecord): string {
  const cell = (v: number | null): string => (v === null ? '' : String(v));
  const lines = record.history.map((e) =>
    [e.epoch, e.trainLoss, e.trainMetric, e.valLoss, e.valMetric, e.samplesPerSec, e.msPerStep]
      .map(cell)
      .join(','),
  );
  return `${[CSV_HEADER, ...lines].join('\n')}\n`;
}

export function runMetricsJson(record: RunRecord): string {
  return `${JSON.stringify(
    {
      run: record.id,
      name: record.name,
      dataset: record.datasetName,
      status: record.status,
      backend: record.backend,
      task: record.task,
      config: record.config,
      rows: record.rows,
      parameters: record.parameters,
      durationMs: record.durationMs,
      test: record.evaluation === null ? null : evaluationMetrics(record.evaluation),
      history: record.history,
      firstSteps: record.firstSteps,
    },
    null,
    2,
  )}\n`;
}
