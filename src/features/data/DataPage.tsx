import { useStore } from 'zustand';
import type { StatsRun } from '../../bridge/contracts';
import { maxRelativeDifference } from '../../engine/data/compare';
import { USER_MESSAGES } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { backendFromUrl, computeStats } from './actions';
import { StatsTable } from './StatsTable';

function where(run: StatsRun): string {
  if (run.backend === 'cpu') return run.fallbackReason ? `CPU (fallback: ${run.fallbackReason})` : 'CPU';
  const a = run.adapter;
  return `WebGPU (${a?.vendor ?? '?'} / ${a?.architecture ?? '?'}), device #${run.deviceGeneration ?? '?'}`;
}

/** The Data stage: the loaded data set, a preview, and its column statistics. */
export function DataPage() {
  const { dataset, status, run, reference, error } = useStore(dataStore);
  const busy = status === 'loading' || status === 'computing';
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data</h1>
      {dataset === null ? (
        <p>{status === 'loading' ? 'Loading the built-in sample…' : 'No data set loaded.'}</p>
      ) : (
        <>
          <p data-testid="dataset-summary">
            <strong>{dataset.name}</strong>: {dataset.rows} rows, {dataset.numericColumns.length} numeric
            columns
            {dataset.textColumns.length > 0
              ? ` and ${dataset.textColumns.length} text columns (${dataset.textColumns.join(', ')})`
              : ''}
            .
          </p>
          <div className="toolbar">
            <button type="button" onClick={() => void computeStats(backendFromUrl())} disabled={busy}>
              Compute statistics
            </button>
            <span role="status" data-testid="stats-status" data-status={status}>
              {status === 'computing' ? 'Computing…' : ''}
            </span>
          </div>
        </>
      )}
      {error !== null && (
        <div role="alert" className="panel error" data-testid="data-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {run !== null && (
        <div
          className="panel"
          data-testid="stats-run"
          data-backend={run.backend}
          data-generation={run.deviceGeneration ?? ''}
        >
          <p>
            Computed on <strong data-testid="stats-backend">{where(run)}</strong> in {run.wallMs.toFixed(1)}{' '}
            ms · {run.counters.dispatches} dispatches · {run.counters.readbacks} readback
            {run.counters.readbacks === 1 ? '' : 's'}
          </p>
          {reference !== null && (
            <p data-testid="stats-agreement">
              Largest relative difference from the CPU reference:{' '}
              <span data-testid="stats-maxdiff">
                {maxRelativeDifference(run.stats, reference.stats).toExponential(2)}
              </span>
            </p>
          )}
          <StatsTable stats={run.stats} caption="Column statistics" testId="stats-table" />
        </div>
      )}
      {dataset !== null && dataset.preview.length > 0 && (
        <table className="preview">
          <caption>First {dataset.preview.length} rows</caption>
          <thead>
            <tr>
              {dataset.header.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dataset.preview.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
