import type { SchemaColumn } from '../../engine/preprocess/fitted';
import type { RecipeStep } from '../../engine/preprocess/recipe';
import type { RecipeIssue } from '../../engine/preprocess/validate';
import { moveStep, removeStep, updateStep } from '../../state/recipeStore';
import { stepLabel } from './labels';
import { StepEditor } from './StepEditor';

/** Puts focus back on a control of a step after the list re-renders (moving a node drops its focus). */
function refocus(selector: string, fallback: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el !== null && !(el as HTMLButtonElement).disabled) el.focus();
    else document.querySelector<HTMLElement>(fallback)?.focus();
  });
}

/** The recipe's steps in order, each with its form, its problems, and move / remove buttons. */
export function StepList({
  steps,
  before,
  source,
  issues,
}: {
  steps: readonly RecipeStep[];
  /** Columns present just before each step. */
  before: readonly (readonly SchemaColumn[])[];
  source: readonly SchemaColumn[];
  issues: readonly RecipeIssue[];
}) {
  if (steps.length === 0) {
    return <p className="muted">No steps yet: add one below. An empty recipe copies the dataset as is.</p>;
  }
  return (
    <ol className="recipe-steps" aria-label="Recipe steps">
      {steps.map((step, i) => (
        <StepCard
          key={step.id}
          step={step}
          index={i}
          last={i === steps.length - 1}
          available={before[i] ?? source}
          source={source}
          issues={issues.filter((x) => x.stepId === step.id)}
        />
      ))}
    </ol>
  );
}

function StepCard({
  step,
  index,
  last,
  available,
  source,
  issues,
}: {
  step: RecipeStep;
  index: number;
  last: boolean;
  available: readonly SchemaColumn[];
  source: readonly SchemaColumn[];
  issues: readonly RecipeIssue[];
}) {
  const n = index + 1;
  const here = `[data-step-id="${step.id}"]`;
  const move = (by: -1 | 1, testId: string, other: string): void => {
    moveStep(step.id, by);
    refocus(`${here} [data-testid="${testId}"]`, `${here} [data-testid="${other}"]`);
  };
  return (
    <li
      className={issues.length > 0 ? 'step has-issues' : 'step'}
      data-testid={`step-${index}`}
      data-step-id={step.id}
      data-kind={step.kind}
    >
      <div className="step-head">
        <h3>
          <span className="muted">Step {n}:</span>{' '}
          <span data-testid="step-kind" data-kind={step.kind}>
            {stepLabel(step.kind)}
          </span>
        </h3>
        <div className="toolbar" role="group" aria-label={`Step ${n} order`}>
          <button
            type="button"
            className="small"
            data-testid="step-up"
            aria-label={`Move step ${n} up`}
            disabled={index === 0}
            onClick={() => move(-1, 'step-up', 'step-down')}
          >
            ↑ Up
          </button>
          <button
            type="button"
            className="small"
            data-testid="step-down"
            aria-label={`Move step ${n} down`}
            disabled={last}
            onClick={() => move(1, 'step-down', 'step-up')}
          >
            ↓ Down
          </button>
          <button
            type="button"
            className="small danger"
            data-testid="step-remove"
            aria-label={`Remove step ${n}`}
            onClick={() => {
              removeStep(step.id);
              refocus('[data-testid="add-step"]', '[data-testid="add-step"]');
            }}
          >
            Remove
          </button>
        </div>
      </div>
      <StepEditor
        step={step}
        available={available}
        source={source}
        onChange={(patch) => updateStep(step.id, patch)}
      />
      {issues.length > 0 && (
        <ul className="step-issues" data-testid="step-issues">
          {issues.map((x, i) => (
            <li key={i}>{x.message}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
