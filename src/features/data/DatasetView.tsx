import { useState } from 'react';
import { useStore } from 'zustand';
import type { StatsRun } from '../../bridge/contracts';
import { maxRelativeDifference } from '../../engine/data/compare';
import type { DatasetMeta } from '../../engine/data/dataset';
import { dataStore } from '../../state/dataStore';
import { backendFromUrl, computeStats, deleteDataset, exportDataset, renameDataset } from './actions';
import { ColumnsTable } from './ColumnsTable';
import { formatBytes } from './format';
import { RowsTable } from './RowsTable';
import { StatsTable } from './StatsTable';

/** A lineage recipe in words, e.g. "year → categorical". */
function describeRecipe(recipe: unknown): string {
  if (!Array.isArray(recipe)) return 'derived';
  return recipe
    .map((step: { op?: string; column?: string; to?: string }) =>
      step.op === 'retype' ? `${step.column ?? '?'} → ${step.to ?? '?'}` : String(step.op),
    )
    .join(', ');
}

function where(run: StatsRun): string {
  if (run.backend === 'cpu') return run.fallbackReason ? `CPU (fallback: ${run.fallbackReason})` : 'CPU';
  const a = run.adapter;
  return `WebGPU (${a?.vendor ?? '?'} / ${a?.architecture ?? '?'}), device #${run.deviceGeneration ?? '?'}`;
}

/** One dataset: facts, actions, statistics from the GPU, schema and rows. */
export function DatasetView({ meta }: { meta: DatasetMeta }) {
  const { status, run, reference, categories, datasets } = useStore(dataStore);
  const [name, setName] = useState(meta.name);
  const [confirming, setConfirming] = useState(false);
  const categorical = meta.columns.filter((c) => c.type === 'categorical').length;
  return (
    <section aria-labelledby="dataset-title" className="dataset">
      <h2 id="dataset-title">{meta.name}</h2>
      <p data-testid="dataset-summary">
        {meta.rows.toLocaleString('en-US')} rows, {meta.columns.length} columns ({categorical} categorical) ·{' '}
        {formatBytes(meta.bytes)} stored · from {meta.source.name} ·{' '}
        {new Date(meta.createdAt).toLocaleString()} · hash{' '}
        <code title={meta.contentHash}>{meta.contentHash.slice(0, 12)}</code>
        {meta.target !== null ? ` · target: ${meta.target}` : ''}
        {meta.parent !== null && (
          <span data-testid="lineage">
            {' '}
            · derived from{' '}
            {datasets.find((d) => d.id === meta.parent?.datasetId)?.name ?? 'a deleted dataset'} (
            {describeRecipe(meta.parent.recipe)})
          </span>
        )}
      </p>
      <div className="toolbar">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void renameDataset(meta.id, name);
          }}
        >
          <label htmlFor="rename">Name</label>{' '}
          <input id="rename" value={name} onChange={(e) => setName(e.currentTarget.value)} />{' '}
          <button type="submit">Rename</button>
        </form>
        <button type="button" onClick={() => void exportDataset(meta.id, meta.name, 'csv')}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportDataset(meta.id, meta.name, 'jsonl')}>
          Export JSON Lines
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={() => void deleteDataset(meta.id)}>
              Delete {meta.name} for good
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
        <button
          type="button"
          onClick={() => void computeStats(backendFromUrl())}
          disabled={status === 'computing'}
        >
          Compute statistics
        </button>
        <span role="status" data-testid="stats-status" data-status={status}>
          {status === 'computing' ? 'Computing…' : ''}
        </span>
      </div>
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
          <StatsTable
            stats={run.stats}
            histograms={run.histograms}
            caption="Numeric column statistics"
            testId="stats-table"
          />
        </div>
      )}
      <ColumnsTable meta={meta} stats={run?.stats ?? null} categories={categories} />
      <RowsTable meta={meta} />
    </section>
  );
}
