import type { ModelMeta } from '../../engine/deploy/inspect';
import { formatBytes } from '../data/format';

/** Stored models: name, size, opset, parameters; select one to inspect it, or delete it. */
export function ModelList({
  models,
  selectedId,
  onSelect,
  onDelete,
}: {
  models: readonly ModelMeta[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onDelete: (m: ModelMeta) => void;
}) {
  return (
    <section aria-labelledby="models-title" className="panel">
      <h2 id="models-title">Models</h2>
      {models.length === 0 ? (
        <p className="muted">No models imported yet.</p>
      ) : (
        <ul className="model-list" data-testid="model-list">
          {models.map((m) => (
            <li key={m.id} className={m.id === selectedId ? 'selected' : undefined}>
              <button
                type="button"
                className="model-name"
                aria-pressed={m.id === selectedId}
                onClick={() => onSelect(m.id)}
              >
                {m.name}
              </button>
              <span className="muted">
                {formatBytes(m.bytes)} · opset {m.inspection.opset ?? '—'} ·{' '}
                {m.inspection.parameterCount.toLocaleString('en-US')} parameters
              </span>
              <button type="button" aria-label={`Delete ${m.name}`} onClick={() => onDelete(m)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
