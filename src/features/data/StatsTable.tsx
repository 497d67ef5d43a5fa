import type { ColumnHistogram } from '../../engine/data/histogram.ref';
import type { ColumnStats } from '../../engine/data/runningStat';
import { Sparkbars } from './Sparkbars';
import { formatNumber as fmt } from './format';

/** Per-column statistics as an accessible table; raw values ride in data attributes for tests. */
export function StatsTable({
  stats,
  histograms,
  caption,
  testId,
}: {
  stats: readonly ColumnStats[];
  histograms: readonly ColumnHistogram[];
  caption: string;
  testId: string;
}) {
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Count</th>
          <th scope="col">Missing</th>
          <th scope="col">Min</th>
          <th scope="col">Max</th>
          <th scope="col">Mean</th>
          <th scope="col">Std dev</th>
          <th scope="col">Histogram</th>
        </tr>
      </thead>
      <tbody>
        {stats.map((s, i) => (
          <tr key={s.name} data-stats={JSON.stringify(s)}>
            <th scope="row">{s.name}</th>
            <td>{s.count}</td>
            <td>{s.missing}</td>
            <td>{fmt(s.min)}</td>
            <td>{fmt(s.max)}</td>
            <td>{fmt(s.mean)}</td>
            <td>{fmt(s.variance === null ? null : Math.sqrt(s.variance))}</td>
            <td>
              <Sparkbars counts={histograms[i]?.counts ?? []} label={`Histogram of ${s.name}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
