import type { FeatureImportance } from '../../engine/train/run';
import { num } from './format';

/**
 * Permutation importance as a sorted table with bars: how much the test error rises (accuracy drops, or
 * RMSE rises) when one feature is shuffled. Bars scale to the largest mean; negative means draw none.
 */
export function Importance({
  importance,
  task,
  rows,
}: {
  importance: readonly FeatureImportance[];
  task: 'classification' | 'regression';
  rows: number | undefined;
}) {
  const sorted = [...importance].sort((a, b) => b.mean - a.mean);
  const top = Math.max(...sorted.map((f) => f.mean), 0);
  const what = task === 'classification' ? 'Drop in accuracy' : 'Rise in RMSE';
  const fmt = (v: number): string => (task === 'classification' ? num(v * 100, 2) + ' pts' : num(v, 4));
  return (
    <section aria-labelledby="eval-importance-title" className="eval-section">
      <h3 id="eval-importance-title">Permutation feature importance</h3>
      <p className="muted">
        Each feature’s column was shuffled 3 times over {rows ?? 'the'} test rows (seeded); the{' '}
        {what.toLowerCase()} is how much the model relied on it. Near 0: the model does not use it (or another
        feature carries the same information).
      </p>
      <div
        className="chart-table"
        tabIndex={0}
        role="region"
        aria-label="Permutation feature importance: table"
      >
        <table data-testid="train-importance" className="importance">
          <caption>{what} when the feature is shuffled (mean ± std over 3 shuffles), highest first</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">{what}</th>
              <th scope="col">± std</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((f) => (
              <tr key={f.feature} data-feature={f.feature} data-mean={f.mean}>
                <th scope="row">{f.feature}</th>
                <td className="bar-cell">
                  <span className="bar-track" aria-hidden="true">
                    <span
                      className="bar"
                      style={{ width: `${top > 0 ? Math.max(0, (f.mean / top) * 100) : 0}%` }}
                    />
                  </span>
                  {fmt(f.mean)}
                </td>
                <td>{fmt(f.std)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
