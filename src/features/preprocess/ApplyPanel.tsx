import { useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { AppliedRecipeRun } from '../../bridge/contracts';
import { computeClient } from '../../bridge/clients';
import { hasFittedRecipe } from '../../engine/preprocess/fitted';
import { toWorkbenchError, type SerializedError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { applyWorkerEvent } from '../../state/gpuStore';
import { recipeStore } from '../../state/recipeStore';
import { backendFromUrl, refreshDatasets } from '../data/actions';
import { openOnDataPage } from './actions';

declare global {
  interface Window {
    /** The last fitted recipe applied to another dataset, for the e2e tests. */
    __WORKBENCH_LAST_APPLIED__?: AppliedRecipeRun;
  }
}

/**
 * Applies the fitted recipe of a prepared dataset, unchanged, to another dataset with the same columns (new
 * data to predict on): the training split's parameters, no refit, no split, no augmentation.
 */
export function ApplyPanel() {
  const datasets = useStore(dataStore, (s) => s.datasets).filter((d) => d.status === 'ready');
  const chosenBackend = useStore(recipeStore, (s) => s.backend);
  const prepared = useMemo(() => datasets.filter(hasFittedRecipe), [datasets]);
  const [from, setFrom] = useState<string>('');
  const [to, setTo] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AppliedRecipeRun | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);
  const id = useId();
  const fromId = from || prepared[0]?.id || '';
  const toId = to || datasets.find((d) => !hasFittedRecipe(d))?.id || '';
  if (prepared.length === 0) return null;
  const apply = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const run = await computeClient(applyWorkerEvent).applyRecipe(fromId, toId, {
        backend: chosenBackend ?? backendFromUrl(),
      });
      window.__WORKBENCH_LAST_APPLIED__ = run;
      setResult(run);
      await refreshDatasets();
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    }
    setBusy(false);
  };
  return (
    <section aria-labelledby={`${id}-t`} className="panel" data-testid="apply-panel">
      <h2 id={`${id}-t`}>Apply a fitted recipe to other data</h2>
      <p className="muted">
        Prepares new data exactly as the training data was: the parameters fitted on the training split are
        reused as they are. Categories never seen in training are handled as documented (one-hot: all zeros).
      </p>
      <div className="toolbar">
        <label htmlFor={`${id}-from`}>Recipe of</label>
        <select
          id={`${id}-from`}
          data-testid="apply-from"
          value={fromId}
          onChange={(e) => setFrom(e.currentTarget.value)}
        >
          {prepared.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-to`}>Apply to</label>
        <select
          id={`${id}-to`}
          data-testid="apply-to"
          value={toId}
          onChange={(e) => setTo(e.currentTarget.value)}
        >
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="apply-run"
          disabled={busy || fromId === '' || toId === ''}
          onClick={() => void apply()}
        >
          {busy ? 'Applying…' : 'Apply & save'}
        </button>
      </div>
      {error !== null && (
        <p role="alert" className="panel error" data-testid="apply-error" data-code={error.code}>
          {error.message}
        </p>
      )}
      {result !== null && (
        <p data-testid="apply-result" data-backend={result.backend}>
          Saved <strong>{result.output.name}</strong> ({result.output.rows.toLocaleString('en-US')} rows) —{' '}
          {result.backend === 'webgpu'
            ? `ran on WebGPU · ${result.adapter?.vendor ?? ''} ${result.adapter?.architecture ?? ''}: ${result.usage.dispatches} dispatches, ${result.usage.readbacks} readback${result.usage.readbacks === 1 ? '' : 's'}`
            : `ran on the CPU${result.fallbackReason ? ` (${result.fallbackReason})` : ''}`}
          .{' '}
          <button type="button" onClick={() => openOnDataPage(result.output.id)}>
            Open it on the Data page
          </button>
        </p>
      )}
    </section>
  );
}
