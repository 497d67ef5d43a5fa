import { useId, useMemo, useState, type FormEvent } from 'react';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { checkForm, formFeeds, formPlan } from '../../engine/infer/form';
import type { PlainTensor } from '../../engine/infer/tensors';

/**
 * One prediction from a form built from the model's inputs: one field per column input ([N,1] / [N], the
 * workbench contract; empty = missing) or F numbered fields for a single [1, F] / [N, F] input.
 */
export function PredictForm({
  model,
  busy,
  onRun,
}: {
  model: ModelMeta;
  busy: boolean;
  onRun: (feeds: Record<string, PlainTensor>) => void;
}) {
  const id = useId();
  const plan = useMemo(() => formPlan(model.inspection.inputs), [model]);
  const initial = typeof plan === 'string' ? [] : plan.fields.map((f) => f.initial);
  const [values, setValues] = useState<string[]>(initial);
  const [touched, setTouched] = useState(false);
  if (typeof plan === 'string') {
    return (
      <p className="muted" data-testid="predict-none">
        No prediction form for this model: {plan}
      </p>
    );
  }
  const problems = checkForm(plan, values);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setTouched(true);
    if (problems.size === 0) onRun(formFeeds(plan, values));
  };
  return (
    <form
      onSubmit={submit}
      className="predict-form"
      data-testid="predict-form"
      data-kind={plan.kind}
      noValidate
    >
      <h3>Predict one row</h3>
      <p className="muted">
        {plan.kind === 'columns'
          ? 'One field per input column; leave a field empty for a missing value.'
          : `The ${plan.fields.length} values of input “${plan.fields[0]?.input ?? ''}”.`}
      </p>
      <div className="predict-fields">
        {plan.fields.map((f, i) => {
          const problem = touched || values[i] !== f.initial ? problems.get(i) : undefined;
          const fid = `${id}-f${i}`;
          return (
            <div key={f.label} className="predict-field">
              <label htmlFor={fid}>
                {f.label} <span className="muted">({plan.types[f.input]})</span>
              </label>
              <input
                id={fid}
                data-testid={`predict-field-${f.label}`}
                type="text"
                inputMode={f.kind === 'number' ? 'decimal' : 'text'}
                value={values[i] ?? ''}
                placeholder={f.optional ? 'missing' : ''}
                aria-invalid={problem !== undefined}
                aria-describedby={problem !== undefined ? `${fid}-err` : undefined}
                disabled={busy}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setValues((cur) => cur.map((x, j) => (j === i ? v : x)));
                }}
              />
              {problem !== undefined && (
                <span
                  id={`${fid}-err`}
                  className="field-error"
                  data-testid={`predict-field-error-${f.label}`}
                >
                  {problem}
                </span>
              )}
            </div>
          );
        })}
      </div>
      <div className="toolbar">
        <button type="submit" data-testid="predict-run" disabled={busy}>
          Predict
        </button>
        <button
          type="button"
          data-testid="predict-reset"
          disabled={busy}
          onClick={() => {
            setValues(initial);
            setTouched(false);
          }}
        >
          Reset
        </button>
      </div>
    </form>
  );
}
