import { useStore } from 'zustand';
import { runHistoryCsv, runMetricsJson } from '../../engine/train/metricsExport';
import { showRun, toggleCompare, trainStore } from '../../state/trainStore';
import { saveBlob } from '../download';
import { deleteRun } from './actions';
import { BACKEND_LABELS, headline, when } from './format';
import { RunCompare } from './RunCompare';

/** Stored runs, newest first: show one, download its metrics (CSV, JSON), tick two to compare, delete. */
export function RunsList() {
  const runs = useStore(trainStore, (s) => s.runs);
  const compare = useStore(trainStore, (s) => s.compare);
  const shown = useStore(trainStore, (s) => s.last?.id ?? null);
  const picked = compare.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined);
  return (
    <section aria-labelledby="runs-title" className="panel">
      <h2 id="runs-title">Runs</h2>
      {runs.length === 0 ? (
        <p className="muted" data-testid="runs-empty">
          No stored runs yet.
        </p>
      ) : (
        <div className="chart-table" tabIndex={0} role="region" aria-label="Stored runs">
          <table data-testid="runs-table" data-count={runs.length}>
            <caption>Stored runs, newest first (tick two to compare)</caption>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Run</th>
                <th scope="col">Dataset</th>
                <th scope="col">Status</th>
                <th scope="col">Backend</th>
                <th scope="col">Test result</th>
                <th scope="col">Date</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-run-id={r.id} data-status={r.status}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare ${r.name}`}
                      data-testid="runs-compare-toggle"
                      checked={compare.includes(r.id)}
                      onChange={() => toggleCompare(r.id)}
                    />
                  </td>
                  <th scope="row">{r.name}</th>
                  <td className="text">{r.datasetName}</td>
                  <td className="text">{r.status.replace('-', ' ')}</td>
                  <td className="text">{BACKEND_LABELS[r.backend]}</td>
                  <td>{headline(r)}</td>
                  <td>{when(r.createdAt)}</td>
                  <td className="text">
                    <button
                      type="button"
                      className="small"
                      aria-label={`Show ${r.name}`}
                      aria-pressed={shown === r.id}
                      onClick={() => showRun(r)}
                    >
                      Show
                    </button>{' '}
                    <button
                      type="button"
                      className="small"
                      aria-label={`Download the metrics of ${r.name} as CSV`}
                      data-testid="runs-metrics-csv"
                      onClick={() =>
                        saveBlob(new Blob([runHistoryCsv(r)], { type: 'text/csv' }), `${r.name}.metrics.csv`)
                      }
                    >
                      CSV
                    </button>{' '}
                    <button
                      type="button"
                      className="small"
                      aria-label={`Download the metrics of ${r.name} as JSON`}
                      data-testid="runs-metrics-json"
                      onClick={() =>
                        saveBlob(
                          new Blob([runMetricsJson(r)], { type: 'application/json' }),
                          `${r.name}.metrics.json`,
                        )
                      }
                    >
                      JSON
                    </button>{' '}
                    <button
                      type="button"
                      className="small danger"
                      aria-label={`Delete ${r.name}`}
                      data-testid="runs-delete"
                      onClick={() => void deleteRun(r.id)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {picked.length === 2 ? (
        <RunCompare a={picked[0]!} b={picked[1]!} />
      ) : (
        runs.length > 1 && <p className="muted">Tick two runs to compare them side by side.</p>
      )}
    </section>
  );
}
