import type { ColumnStats } from '../../engine/data/runningStat';
import { formatNumber as fmt } from './format';

/** Per-column statistics as an accessible table; raw values ride in data attributes for tests. */
export function StatsTable({
  stats,
  caption,
  testId,
}: {
  stats: readonly ColumnStats[];
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
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr key={s.name} data-stats={JSON.stringify(s)}>
            <th scope="row">{s.name}</th>
            <td>{s.count}</td>
            <td>{s.missing}</td>
            <td>{fmt(s.min)}</td>
            <td>{fmt(s.max)}</td>
            <td>{fmt(s.mean)}</td>
            <td>{fmt(s.variance === null ? null : Math.sqrt(s.variance))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
