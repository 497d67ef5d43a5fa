import { useId } from 'react';
import type { SchemaColumn } from '../../engine/preprocess/fitted';

/**
 * Chooses columns by name: one checkbox per column the step can act on (label = the column's name, its type
 * beside). Chosen columns no longer present at this step stay listed so they can be unchosen.
 */
export function ColumnPicker({
  available,
  selected,
  onChange,
  legend = 'Columns',
}: {
  available: readonly SchemaColumn[];
  selected: readonly string[];
  onChange: (columns: readonly string[]) => void;
  legend?: string;
}) {
  const base = useId();
  const missing = selected.filter((n) => !available.some((c) => c.name === n));
  const rows = [
    ...available.map((c) => ({ name: c.name, type: c.type })),
    ...missing.map((name) => ({ name, type: 'not available here' })),
  ];
  const toggle = (name: string, on: boolean): void => {
    const chosen = new Set(selected);
    if (on) chosen.add(name);
    else chosen.delete(name);
    onChange(rows.map((r) => r.name).filter((n) => chosen.has(n)));
  };
  const allChosen = available.length > 0 && available.every((c) => selected.includes(c.name));
  return (
    <fieldset className="column-picker" data-testid="step-columns">
      <legend>{legend}</legend>
      {rows.length === 0 ? (
        <p className="muted">No column of a suitable type at this step.</p>
      ) : (
        <>
          <div className="toolbar">
            <button
              type="button"
              className="small"
              disabled={allChosen}
              onClick={() => onChange([...available.map((c) => c.name), ...missing])}
            >
              Choose all {available.length}
            </button>
            <button
              type="button"
              className="small"
              disabled={selected.length === 0}
              onClick={() => onChange([])}
            >
              Clear
            </button>
          </div>
          <ul>
            {rows.map((r, i) => (
              <li key={r.name}>
                <input
                  id={`${base}-${i}`}
                  type="checkbox"
                  checked={selected.includes(r.name)}
                  onChange={(e) => toggle(r.name, e.currentTarget.checked)}
                />
                <label htmlFor={`${base}-${i}`}>{r.name}</label>{' '}
                <span className={missing.includes(r.name) ? 'issue-text' : 'muted'}>{r.type}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
