import type { Activation, DenseLayerSpec } from '../../engine/train/spec';
import { NumberField, SelectField } from '../preprocess/fields';

const ACTIVATIONS: readonly { value: Activation; label: string }[] = [
  { value: 'relu', label: 'ReLU' },
  { value: 'tanh', label: 'tanh' },
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'elu', label: 'ELU' },
  { value: 'linear', label: 'linear' },
];

/** An editable list of dense layers: units, activation, dropout; add and remove. */
export function DenseLayers({
  title,
  testId,
  layers,
  onChange,
}: {
  title: string;
  testId: string;
  layers: readonly DenseLayerSpec[];
  onChange: (layers: readonly DenseLayerSpec[]) => void;
}) {
  const set = (i: number, patch: Partial<DenseLayerSpec>): void =>
    onChange(layers.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <div data-testid={testId} data-count={layers.length}>
      <h3>{title}</h3>
      {layers.length === 0 && <p className="muted">None.</p>}
      <ol className="layer-list">
        {layers.map((l, i) => (
          <li key={i} className="toolbar">
            <NumberField
              label={`Layer ${i + 1} units`}
              testId={`${testId}-units-${i}`}
              value={l.units}
              min={1}
              integer
              onChange={(units) => set(i, { units })}
            />
            <SelectField
              label={`Layer ${i + 1} activation`}
              testId={`${testId}-activation-${i}`}
              value={l.activation}
              options={ACTIVATIONS}
              onChange={(activation) => set(i, { activation })}
            />
            <NumberField
              label={`Layer ${i + 1} dropout`}
              testId={`${testId}-dropout-${i}`}
              value={l.dropout ?? 0}
              min={0}
              max={0.95}
              step={0.05}
              onChange={(dropout) => set(i, { dropout })}
            />
            <button
              type="button"
              className="small"
              aria-label={`Remove layer ${i + 1}`}
              onClick={() => onChange(layers.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="small"
        data-testid={`${testId}-add`}
        onClick={() => onChange([...layers, { units: layers.at(-1)?.units ?? 16, activation: 'relu' }])}
      >
        Add layer
      </button>
    </div>
  );
}
