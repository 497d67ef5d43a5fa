import { useStore } from 'zustand';
import { dataStore } from '../../state/dataStore';
import { selectDataset } from './actions';
import { formatBytes } from './format';

/** The stored datasets, newest first; choosing one shows it. */
export function DatasetList() {
  const { datasets, selectedId } = useStore(dataStore);
  return (
    <nav aria-label="Datasets" className="panel dataset-list">
      <h2>Datasets ({datasets.length})</h2>
      {datasets.length === 0 && <p>No datasets yet.</p>}
      <ul data-testid="dataset-list">
        {datasets.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className="link"
              aria-current={d.id === selectedId ? 'true' : undefined}
              onClick={() => void selectDataset(d.id)}
            >
              <strong>{d.name}</strong>
              <span className="muted">
                {d.rows.toLocaleString('en-US')} rows · {d.columns.length} columns · {formatBytes(d.bytes)} ·{' '}
                {new Date(d.createdAt).toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
