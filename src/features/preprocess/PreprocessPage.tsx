import { ApplyPanel } from './ApplyPanel';
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { dataStore } from '../../state/dataStore';
import { addStep, canRedo, canUndo, recipeStore, redo, setSource, undo } from '../../state/recipeStore';
import type { StepKind } from '../../engine/preprocess/recipe';
import { checkDraft } from './check';
import { STEP_KINDS } from './labels';
import { RunPanel } from './RunPanel';
import { RunResult } from './RunResult';
import { SourcePicker } from './SourcePicker';
import { StepList } from './StepList';
import { useUndoShortcuts } from '../useUndoShortcuts';

/** The Preprocess stage: a recipe of steps over a dataset, checked as it is edited, run in the worker. */
export function PreprocessPage() {
  const { datasets, selectedId, status } = useStore(dataStore);
  const state = useStore(recipeStore);
  const { recipe, run } = state;
  useUndoShortcuts(undo, redo);
  const ready = datasets.filter((d) => d.status === 'ready');
  const meta =
    ready.find((d) => d.id === state.sourceId) ?? ready.find((d) => d.id === selectedId) ?? ready[0] ?? null;
  const check = useMemo(() => (meta === null ? null : checkDraft(meta.columns, recipe)), [meta, recipe]);
  const issues = check?.issues ?? [];
  const steps = recipe.steps;
  const add = (kind: StepKind): void => {
    const image = (check?.output ?? []).find((c) => c.type === 'image');
    addStep(kind, { imageColumn: image?.name ?? '' });
  };
  const blocked =
    meta === null
      ? 'Choose a dataset first.'
      : issues.length > 0
        ? `Fix the ${issues.length === 1 ? 'problem' : `${issues.length} problems`} above to run the recipe.`
        : null;
  return (
    <section aria-labelledby="preprocess-title" data-testid="preprocess-page">
      <h1 id="preprocess-title">Preprocess</h1>
      <p className="panel note" data-testid="recipe-note">
        Every statistic a step learns (means, quantiles, categories…) is fitted on the training split only,
        whatever the order of the steps, then applied unchanged to validation and test rows. Image
        augmentation runs only while training.
      </p>
      <SourcePicker
        datasets={ready}
        value={meta?.id ?? null}
        loading={status === 'loading' || status === 'importing'}
        onChange={setSource}
      />
      <section aria-labelledby="recipe-title" className="panel">
        <h2 id="recipe-title">Recipe</h2>
        <div className="toolbar">
          <button type="button" data-testid="recipe-undo" disabled={!canUndo(state)} onClick={undo}>
            Undo
          </button>
          <button type="button" data-testid="recipe-redo" disabled={!canRedo(state)} onClick={redo}>
            Redo
          </button>
          <span className="muted">Ctrl+Z / Ctrl+Shift+Z outside text fields</span>
        </div>
        <StepList steps={steps} before={check?.before ?? []} source={check?.source ?? []} issues={issues} />
        <div className="toolbar">
          <label htmlFor="add-step">Add step</label>
          <select
            id="add-step"
            data-testid="add-step"
            value=""
            disabled={meta === null}
            onChange={(e) => {
              const kind = STEP_KINDS.find((k) => k.kind === e.currentTarget.value)?.kind;
              if (kind !== undefined) add(kind);
            }}
          >
            <option value="">Choose a step to add…</option>
            {STEP_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        {issues.length > 0 && (
          <div role="alert" className="step-issues" data-testid="recipe-issues" data-count={issues.length}>
            <p>{issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix before running:</p>
            <ul>
              {issues.map((x, i) => {
                const at = steps.findIndex((s) => s.id === x.stepId);
                return <li key={i}>{at < 0 ? x.message : `Step ${at + 1}: ${x.message}`}</li>;
              })}
            </ul>
          </div>
        )}
        {check !== null && (
          <p data-testid="recipe-output-columns" data-count={check.output.length}>
            <strong>Output: {check.output.length} columns</strong>{' '}
            <span className="muted">{check.output.map((c) => `${c.name} (${c.type})`).join(', ')}</span>
          </p>
        )}
      </section>
      <RunPanel datasetId={meta?.id ?? null} sourceName={meta?.name ?? 'dataset'} blocked={blocked} />
      {run !== null && <RunResult run={run} />}
      <ApplyPanel />
    </section>
  );
}
