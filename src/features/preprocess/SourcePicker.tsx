import type { DatasetMeta } from '../../engine/data/dataset';

/** Chooses the dataset the recipe reads (ready datasets, newest first). */
export function SourcePicker({
  datasets,
  value,
  loading,
  onChange,
}: {
  datasets: readonly DatasetMeta[];
  value: string | null;
  loading: boolean;
  onChange: (id: string) => void;
}) {
  const meta = datasets.find((d) => d.id === value);
  return (
    <section aria-labelledby="source-title" className="panel">
      <h2 id="source-title">Source dataset</h2>
      {datasets.length === 0 ? (
        <p>{loading ? 'Loading datasets…' : 'No datasets yet: import one on the Data page.'}</p>
      ) : (
        <div className="toolbar">
          <label htmlFor="recipe-source">Dataset</label>
          <select
            id="recipe-source"
            data-testid="recipe-source"
            value={value ?? ''}
            onChange={(e) => onChange(e.currentTarget.value)}
          >
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
          {meta !== undefined && (
            <span className="muted" data-testid="recipe-source-summary">
              {meta.rows.toLocaleString('en-US')} rows ·{' '}
              {meta.columns.map((c) => `${c.name} (${c.type})`).join(', ')}
            </span>
          )}
        </div>
      )}
    </section>
  );
}
