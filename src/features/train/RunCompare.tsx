import type { RunRecord } from '../../engine/train/run';
import { BACKEND_LABELS, configDiff, num, pct, when } from './format';

/** Test figures of a run by name ('—' where the run has none of that kind). */
function metrics(r: RunRecord): [string, string][] {
  const e = r.evaluation;
  const rows: [string, string][] = [
    ['Status', r.status.replace('-', ' ')],
    ['Backend', BACKEND_LABELS[r.backend]],
    ['Task', r.task],
    ['Epochs run', String(r.history.length)],
    ['Parameters', r.parameters.toLocaleString('en-US')],
    ['Duration', `${(r.durationMs / 1000).toFixed(1)} s`],
    ['Final train loss', r.history.length > 0 ? num(r.history.at(-1)!.trainLoss) : '—'],
  ];
  if (e?.kind === 'classification') {
    rows.push(['Test accuracy', pct(e.accuracy)], ['Macro F1', num(e.macroF1, 3)]);
    rows.push(['Baseline accuracy', pct(e.baseline.accuracy)]);
  }
  if (e?.kind === 'regression') {
    rows.push(['MAE', num(e.mae)], ['RMSE', num(e.rmse)], ['R²', num(e.r2, 3)]);
    rows.push(['Baseline RMSE', num(e.baseline.rmse)]);
  }
  return rows;
}

/** Two runs side by side: their test figures, and only the config fields where they differ. */
export function RunCompare({ a, b }: { a: RunRecord; b: RunRecord }) {
  const ma = new Map(metrics(a));
  const mb = new Map(metrics(b));
  const names = [...new Set([...ma.keys(), ...mb.keys()])];
  const diff = configDiff(a.config, b.config);
  return (
    <div data-testid="runs-compare" data-diff-count={diff.length} className="compare">
      <h3>
        A: {a.name} ({when(a.createdAt)}) vs B: {b.name} ({when(b.createdAt)})
      </h3>
      <table>
        <caption>Results</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">A: {a.name}</th>
            <th scope="col">B: {b.name}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((n) => (
            <tr key={n}>
              <th scope="row">{n}</th>
              <td>{ma.get(n) ?? '—'}</td>
              <td>{mb.get(n) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff.length === 0 ? (
        <p data-testid="runs-config-diff">The two runs have the same configuration.</p>
      ) : (
        <table data-testid="runs-config-diff">
          <caption>Configuration differences</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">A: {a.name}</th>
              <th scope="col">B: {b.name}</th>
            </tr>
          </thead>
          <tbody>
            {diff.map(([k, va, vb]) => (
              <tr key={k} data-field={k}>
                <th scope="row">{k}</th>
                <td>{va}</td>
                <td>{vb}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
