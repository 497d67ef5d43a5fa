import { useMemo } from 'react';
import type { ClassificationEval, RegressionEval, RunRecord } from '../../engine/train/run';
import { Boundary } from './Boundary';
import { Chart, type ChartData, type SeriesDef } from './Chart';
import { Confusion } from './Confusion';
import { Curves } from './Curves';
import { ExportPanel } from './ExportPanel';
import { BACKEND_LABELS, DASHED, PALETTE, modelSummary, num, pct } from './format';
import { Importance } from './Importance';
import { ThresholdSlider } from './ThresholdSlider';

/** The evaluation of a finished run on its test rows, with where it ran and how it was configured. */
export function EvalPanel({ record }: { record: RunRecord }) {
  const e = record.evaluation;
  const c = record.config;
  return (
    <section
      aria-labelledby="eval-title"
      className="panel"
      data-testid="train-eval"
      data-run-id={record.id}
      data-status={record.status}
      data-backend={record.backend}
      data-accuracy={e?.kind === 'classification' ? e.accuracy : undefined}
      data-rmse={e?.kind === 'regression' ? e.rmse : undefined}
    >
      <h2 id="eval-title">Evaluation: {record.name}</h2>
      <p>
        <strong className="badge">{record.status.replace('-', ' ')}</strong>{' '}
        <span>
          on {BACKEND_LABELS[record.backend]}
          {record.fallbackReason !== null ? ` (${record.fallbackReason})` : ''} ·{' '}
          {(record.durationMs / 1000).toFixed(1)} s · {record.history.length} epoch
          {record.history.length === 1 ? '' : 's'}
        </span>
      </p>
      <p className="muted" data-testid="train-eval-config">
        {record.datasetName} → {c.target} ({record.task}) · {modelSummary(record)} ·{' '}
        {record.parameters.toLocaleString('en-US')} parameters · {c.optimizer.kind} lr{' '}
        {c.optimizer.learningRate}
        {c.optimizer.momentum !== undefined ? ` momentum ${c.optimizer.momentum}` : ''} · batch {c.batchSize}{' '}
        · {c.epochs} epochs
        {c.earlyStopping !== null ? ` (early stopping, patience ${c.earlyStopping.patience})` : ''} · class
        weights {c.classWeights} · seed {c.seed}
      </p>
      {e === null ? (
        <p>No evaluation: the run stopped before it could be evaluated on test rows.</p>
      ) : e.kind === 'classification' ? (
        <ClassificationView e={e} classes={record.classes} />
      ) : (
        <RegressionView e={e} />
      )}
      {e !== null && <Extras e={e} record={record} />}
      <ExportPanel record={record} />
    </section>
  );
}

/** Permutation importance, what was not computed and why, and the reference distributions kept. */
function Extras({ e, record }: { e: ClassificationEval | RegressionEval; record: RunRecord }) {
  const ref = record.reference;
  const channels = ref?.some((r) => r.channel !== undefined) === true;
  return (
    <>
      {e.importance !== undefined && e.importance.length > 0 && (
        <Importance importance={e.importance} task={e.kind} rows={e.importanceRows} />
      )}
      {e.skipped !== undefined && e.skipped.length > 0 && (
        <ul className="muted eval-skipped" data-testid="train-eval-skipped" aria-label="Not computed">
          {e.skipped.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      {ref !== undefined && ref.length > 0 && (
        <p className="muted" data-testid="train-reference" data-count={ref.length}>
          Kept for drift checks: training-row distributions (20-bin histogram, count, mean, std) of{' '}
          {channels
            ? `${ref.length} image channel${ref.length === 1 ? '' : 's'} (pixel values)`
            : `${ref.length} feature${ref.length === 1 ? '' : 's'}`}
          .
        </p>
      )}
    </>
  );
}

function ClassificationView({ e, classes }: { e: ClassificationEval; classes: readonly string[] }) {
  const labels = classes.length > 0 ? classes : e.perClass.map((k) => k.label);
  return (
    <>
      <dl className="facts">
        <dt>Test accuracy</dt>
        <dd data-testid="train-accuracy">{pct(e.accuracy)}</dd>
        <dt>Macro F1</dt>
        <dd>{num(e.macroF1, 3)}</dd>
        <dt>Baseline accuracy</dt>
        <dd>
          {pct(e.baseline.accuracy)} <span className="muted">(always “{e.baseline.label}”)</span>
        </dd>
        <dt>Test rows</dt>
        <dd>{e.testRows.toLocaleString('en-US')}</dd>
      </dl>
      <table data-testid="train-per-class">
        <caption>Per class on the test rows</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">F1</th>
            <th scope="col">Support</th>
          </tr>
        </thead>
        <tbody>
          {e.perClass.map((k) => (
            <tr key={k.label}>
              <th scope="row">{k.label}</th>
              <td>{num(k.precision, 3)}</td>
              <td>{num(k.recall, 3)}</td>
              <td>{num(k.f1, 3)}</td>
              <td>{k.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Confusion evaluation={e} classes={labels} />
      {e.curves !== undefined && (
        <>
          <Curves curves={e.curves} />
          <ThresholdSlider curves={e.curves} negative={labels[0] ?? '0'} />
        </>
      )}
      {e.boundary !== undefined && <Boundary boundary={e.boundary} classes={labels} />}
    </>
  );
}

const RESIDUALS: readonly SeriesDef[] = [
  { label: 'Predicted', color: PALETTE.blue, points: true },
  { label: 'Perfect (predicted = actual)', color: PALETTE.vermillion, dash: DASHED },
];

function RegressionView({ e }: { e: RegressionEval }) {
  const data = useMemo<ChartData>(() => {
    const pts = [...e.residuals].sort((a, b) => a.actual - b.actual);
    return [pts.map((p) => p.actual), pts.map((p) => p.predicted), pts.map((p) => p.actual)];
  }, [e]);
  return (
    <>
      <dl className="facts">
        <dt>MAE</dt>
        <dd>{num(e.mae)}</dd>
        <dt>RMSE</dt>
        <dd data-testid="train-rmse">{num(e.rmse)}</dd>
        <dt>R²</dt>
        <dd>{num(e.r2, 3)}</dd>
        <dt>Baseline RMSE</dt>
        <dd>
          {num(e.baseline.rmse)}{' '}
          <span className="muted">(always the training mean, {num(e.baseline.mean)})</span>
        </dd>
        <dt>Test rows</dt>
        <dd>{e.testRows.toLocaleString('en-US')}</dd>
      </dl>
      <Chart
        testId="chart-residuals"
        title="Predicted vs actual on the test rows"
        axes={{ x: 'Actual', y: 'Predicted' }}
        series={RESIDUALS}
        data={data}
      />
    </>
  );
}
