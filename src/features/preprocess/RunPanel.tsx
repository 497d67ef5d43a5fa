import { useId, useState } from 'react';
import { useStore } from 'zustand';
import type { BackendChoice } from '../../bridge/contracts';
import { USER_MESSAGES } from '../../lib/errors';
import { recipeStore, setBackend } from '../../state/recipeStore';
import { backendFromUrl } from '../data/actions';
import { runRecipe } from './actions';
import { SelectField } from './fields';

const BACKENDS: readonly { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic (WebGPU, else the CPU)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'cpu', label: 'CPU' },
];

/** Where to run, Preview / Apply & save, the running state and errors. */
export function RunPanel({
  datasetId,
  sourceName,
  blocked,
}: {
  datasetId: string | null;
  sourceName: string;
  /** Why the recipe cannot run now, or null. */
  blocked: string | null;
}) {
  const { busy, error, backend: chosen } = useStore(recipeStore);
  const backend = chosen ?? backendFromUrl();
  const [name, setName] = useState('');
  const nameId = useId();
  const disabled = busy || datasetId === null || blocked !== null;
  const go = (save: boolean): void => {
    if (datasetId !== null) void runRecipe(datasetId, backend, save, name);
  };
  return (
    <section aria-labelledby="run-title" className="panel" aria-busy={busy}>
      <h2 id="run-title">Run</h2>
      <div className="toolbar">
        <SelectField
          label="Backend"
          testId="recipe-backend"
          value={backend}
          options={BACKENDS}
          onChange={setBackend}
        />
        <button type="button" data-testid="recipe-preview" disabled={disabled} onClick={() => go(false)}>
          Preview
        </button>
      </div>
      <div className="toolbar">
        <span className="field">
          <label htmlFor={nameId}>New dataset name (optional)</label>
          <input
            id={nameId}
            data-testid="recipe-name"
            value={name}
            placeholder={`${sourceName} · prepared`}
            onChange={(e) => setName(e.currentTarget.value)}
          />
        </span>
        <button type="button" data-testid="recipe-apply" disabled={disabled} onClick={() => go(true)}>
          Apply &amp; save
        </button>
        <span role="status" data-testid="recipe-status" data-busy={busy}>
          {busy ? 'Running the recipe…' : ''}
        </span>
      </div>
      {blocked !== null && !busy && <p className="muted">{blocked}</p>}
      {error !== null && (
        <div role="alert" className="panel error" data-testid="recipe-error" data-code={error.code}>
          <p>{error.message}</p>
          {(error.details ?? []).length > 0 && <p>{error.details?.join(' · ')}</p>}
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
    </section>
  );
}
