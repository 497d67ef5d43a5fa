import { useId, useState, type ReactNode } from 'react';

/**
 * A labelled number input. The text being typed is kept locally ("0.", "-") and committed whenever it parses;
 * a change from outside (undo, redo) replaces it.
 */
export function NumberField({
  label,
  value,
  onChange,
  testId,
  min,
  max,
  step,
  integer = false,
}: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  testId: string;
  min?: number;
  max?: number;
  step?: number;
  integer?: boolean;
}) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    if (Number(text) !== value) setText(String(value));
  }
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={integer ? 'numeric' : 'decimal'}
        data-testid={testId}
        value={text}
        min={min}
        max={max}
        step={step ?? (integer ? 1 : 'any')}
        onChange={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const n = Number(t);
          if (t.trim() !== '' && Number.isFinite(n) && n !== value) {
            setShown(n);
            onChange(n);
          }
        }}
      />
    </span>
  );
}

/** A labelled select over fixed options. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: T;
  options: readonly { readonly value: T; readonly label: string }[];
  onChange: (v: T) => void;
  testId: string;
}) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A labelled checkbox. */
export function CheckField({
  label,
  checked,
  onChange,
  testId,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  testId: string;
}) {
  return (
    <label className="field check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      {label}
    </label>
  );
}

/** "0.5, 0.25" → [0.5, 0.25]; '' → []; null when an entry is not a number. */
function parseList(text: string): number[] | null {
  if (text.trim() === '') return [];
  const nums = text.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  return nums.every(Number.isFinite) ? nums : null;
}

/**
 * Numbers separated by commas, or empty (undefined: the step fits them). Committed only when every entry
 * parses; until then a hint says what is wrong.
 */
export function NumberListField({
  label,
  value,
  onChange,
  testId,
  hint,
}: {
  label: string;
  value: readonly number[] | undefined;
  onChange: (v: readonly number[] | undefined) => void;
  testId: string;
  hint: ReactNode;
}) {
  const id = useId();
  const join = (v: readonly number[] | undefined): string => (v ?? []).join(', ');
  const [text, setText] = useState(join(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(join(value));
  }
  const bad = parseList(text) === null;
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        data-testid={testId}
        value={text}
        aria-invalid={bad}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          const t = e.currentTarget.value;
          setText(t);
          const nums = parseList(t);
          if (nums !== null) {
            const next = nums.length === 0 ? undefined : nums;
            setShown(next);
            onChange(next);
          }
        }}
      />
      <span id={`${id}-hint`} className="muted">
        {bad ? 'Numbers separated by commas' : hint}
      </span>
    </span>
  );
}
