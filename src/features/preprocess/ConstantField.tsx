import { useId, useState } from 'react';
import type { StepPatch } from '../../state/recipeStore';

/** What the typed text stands for: a category, a number, or nothing (the check then asks for one). */
function parse(t: string, categorical: boolean): number | string | undefined {
  if (t === '') return undefined;
  if (categorical) return t;
  const n = Number(t);
  return t.trim() !== '' && Number.isFinite(n) ? n : t;
}

/**
 * The constant an impute step fills with: a category (text) when a chosen column is categorical, else a
 * number. The text typed is kept as is while it stands for the stored value; undo replaces it.
 */
export function ConstantField({
  value,
  categorical,
  onChange,
}: {
  value: number | string | undefined;
  categorical: boolean;
  onChange: (patch: StepPatch) => void;
}) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    if (parse(text, categorical) !== value) setText(value === undefined ? '' : String(value));
  }
  return (
    <span className="field">
      <label htmlFor={id}>{categorical ? 'Category' : 'Value'}</label>
      <input
        id={id}
        type="text"
        inputMode={categorical ? 'text' : 'decimal'}
        data-testid="step-value"
        value={text}
        onChange={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const next = parse(t, categorical);
          if (next !== value) {
            setShown(next);
            onChange({ value: next });
          }
        }}
      />
    </span>
  );
}
