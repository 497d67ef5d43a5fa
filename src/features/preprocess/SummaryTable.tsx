import type { ColumnSummary, SplitStats } from '../../engine/preprocess/fitted';
import { formatNumber as fmt } from '../data/format';
import { Sparkbars } from '../data/Sparkbars';

/** Columns before or after the recipe: missing, mean, std, min, max and a histogram (or top categories). */
export function SummaryTable({
  summaries,
  caption,
  testId,
}: {
  summaries: readonly ColumnSummary[];
  caption: string;
  testId: string;
}) {
  return (
    <table data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
          <th scope="col">Missing</th>
          <th scope="col">Mean</th>
          <th scope="col">Std dev</th>
          <th scope="col">Min</th>
          <th scope="col">Max</th>
          <th scope="col">Distribution</th>
        </tr>
      </thead>
      <tbody>
        {summaries.map((s) => (
          <tr
            key={s.name}
            data-column={s.name}
            data-summary={JSON.stringify({ ...s, histogram: s.histogram?.counts ?? null })}
          >
            <th scope="row">{s.name}</th>
            <td>{s.type}</td>
            <td>{s.missing}</td>
            <td>{fmt(s.mean)}</td>
            <td>{fmt(s.std)}</td>
            <td>{fmt(s.min)}</td>
            <td>{fmt(s.max)}</td>
            <td className="summary">
              {s.histogram !== null && (
                <Sparkbars counts={s.histogram.counts} label={`Histogram of ${s.name}`} />
              )}
              {s.topCategories !== null &&
                s.topCategories
                  .slice(0, 4)
                  .map((t) => `${t.value} (${t.count})`)
                  .join(', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Numeric columns' mean, std and missing count in each split: the no-leakage view. */
export function SplitStatsTable({ stats }: { stats: readonly SplitStats[] }) {
  if (stats.length === 0) return null;
  return (
    <table data-testid="recipe-split-stats">
      <caption>Per split (parameters come from the training rows only)</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Split</th>
          <th scope="col">Mean</th>
          <th scope="col">Std dev</th>
          <th scope="col">Missing</th>
        </tr>
      </thead>
      <tbody>
        {stats.map((s) => (
          <tr
            key={`${s.column}/${s.split}`}
            data-column={s.column}
            data-split={s.split}
            data-stats={JSON.stringify(s)}
          >
            <th scope="row">{s.column}</th>
            <td>{s.split}</td>
            <td>{fmt(s.mean)}</td>
            <td>{fmt(s.std)}</td>
            <td>{s.missing}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
