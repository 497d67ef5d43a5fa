import type { ColumnStats } from '../../engine/data/runningStat';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { CategoryCounts } from '../../state/dataStore';
import { RETYPE_TARGETS } from '../../engine/data/retype';
import { retypeColumn, setTarget } from './actions';
import { formatNumber } from './format';

/** The schema: each column's type, missing count, summary and whether it is the target. */
export function ColumnsTable({
  meta,
  stats,
  categories,
}: {
  meta: DatasetMeta;
  stats: readonly ColumnStats[] | null;
  categories: CategoryCounts | null;
}) {
  return (
    <table data-testid="columns-table">
      <caption>Columns</caption>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Type</th>
          <th scope="col">Missing</th>
          <th scope="col">Summary</th>
          <th scope="col">Target</th>
        </tr>
      </thead>
      <tbody>
        {meta.columns.map((c) => {
          const s = stats?.find((x) => x.name === c.name);
          const top = categories?.[c.name];
          const isDate = c.type === 'date';
          const when = (v: number | null) => (v === null ? '—' : new Date(v).toISOString().slice(0, 10));
          return (
            <tr key={c.name} data-column={c.name} data-type={c.type} data-missing={c.missing}>
              <th scope="row">{c.name}</th>
              <td>
                {c.type === 'image' || c.type === 'audio' ? (
                  c.type
                ) : (
                  <select
                    aria-label={`Type of ${c.name}`}
                    value={c.type}
                    onChange={(e) => void retypeColumn(meta.id, c.name, e.currentTarget.value)}
                  >
                    {RETYPE_TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                )}
                {c.shape ? ` ${c.shape.join('×')}` : ''}
                {c.samples !== undefined && c.sampleRate !== undefined
                  ? ` ${(c.samples / c.sampleRate).toFixed(2)} s @ ${c.sampleRate / 1000} kHz`
                  : ''}
                {c.dateFormat ? ` (${c.dateFormat})` : ''}
              </td>
              <td>{c.missing}</td>
              <td className="summary">
                {s !== undefined &&
                  (isDate
                    ? `${when(s.min)} … ${when(s.max)}`
                    : `${formatNumber(s.min)} … ${formatNumber(s.max)}, mean ${formatNumber(s.mean)}`)}
                {top !== undefined &&
                  top
                    .slice(0, 5)
                    .map((t) => `${t.value} (${t.count})`)
                    .join(', ')}
                {top !== undefined && top.length > 5 ? `, … ${top.length - 5} more` : ''}
              </td>
              <td>
                <input
                  type="radio"
                  name="target"
                  aria-label={`Use ${c.name} as the target`}
                  checked={meta.target === c.name}
                  onChange={() => void setTarget(meta.id, c.name)}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
