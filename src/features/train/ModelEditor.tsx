import { useId } from 'react';
import type { ConvBlockSpec, ModelSpec } from '../../engine/train/spec';
import { updateDraft } from '../../state/trainStore';
import { NumberField } from '../preprocess/fields';
import { DenseLayers } from './DenseLayers';

type Kind = ModelSpec['kind'];

const KINDS: readonly { value: Kind; label: string }[] = [
  { value: 'linear', label: 'Linear (regression)' },
  { value: 'logistic', label: 'Logistic (classification)' },
  { value: 'mlp', label: 'MLP (dense layers)' },
  { value: 'cnn', label: 'CNN (images)' },
];

function defaultModel(kind: Kind, from: ModelSpec): ModelSpec {
  const dense = from.kind === 'mlp' ? from.hidden : from.kind === 'cnn' ? from.dense : null;
  switch (kind) {
    case 'linear':
    case 'logistic':
      return { kind };
    case 'mlp':
      return { kind, hidden: dense ?? [{ units: 16, activation: 'relu' }] };
    case 'cnn':
      return {
        kind,
        conv: [
          { filters: 8, kernel: 3, pool: 2 },
          { filters: 16, kernel: 3, pool: 2 },
        ],
        dense: dense ?? [{ units: 32, activation: 'relu' }],
      };
  }
}

const setModel = (model: ModelSpec): void => updateDraft({ model });

/** The model: its kind, then hidden layers (MLP) or conv blocks and dense layers (CNN). */
export function ModelEditor({ model, imageColumn }: { model: ModelSpec; imageColumn: boolean }) {
  const kindId = useId();
  return (
    <fieldset className="panel">
      <legend>
        <h2>Model</h2>
      </legend>
      <div className="toolbar">
        <span className="field">
          <label htmlFor={kindId}>Model</label>
          <select
            id={kindId}
            data-testid="train-model-kind"
            value={model.kind}
            aria-describedby={imageColumn ? undefined : `${kindId}-hint`}
            onChange={(e) => {
              const kind = KINDS.find((k) => k.value === e.currentTarget.value)?.value;
              if (kind !== undefined && kind !== model.kind) setModel(defaultModel(kind, model));
            }}
          >
            {KINDS.map((k) => (
              <option key={k.value} value={k.value} disabled={k.value === 'cnn' && !imageColumn}>
                {k.label}
              </option>
            ))}
          </select>
        </span>
        {!imageColumn && (
          <span id={`${kindId}-hint`} className="muted">
            CNN needs a dataset with an image column.
          </span>
        )}
      </div>
      {model.kind === 'mlp' && (
        <DenseLayers
          title="Hidden layers"
          testId="train-hidden"
          layers={model.hidden}
          onChange={(hidden) => setModel({ ...model, hidden })}
        />
      )}
      {model.kind === 'cnn' && (
        <>
          <ConvBlocks blocks={model.conv} onChange={(conv) => setModel({ ...model, conv })} />
          <DenseLayers
            title="Dense layers after the conv blocks"
            testId="train-dense"
            layers={model.dense}
            onChange={(dense) => setModel({ ...model, dense })}
          />
        </>
      )}
    </fieldset>
  );
}

/** Conv blocks: filters, kernel size and pooling; add and remove. */
function ConvBlocks({
  blocks,
  onChange,
}: {
  blocks: readonly ConvBlockSpec[];
  onChange: (blocks: readonly ConvBlockSpec[]) => void;
}) {
  const set = (i: number, patch: Partial<ConvBlockSpec>): void =>
    onChange(blocks.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  return (
    <div data-testid="train-conv" data-count={blocks.length}>
      <h3>Conv blocks (convolution, ReLU, max-pooling)</h3>
      <ol className="layer-list">
        {blocks.map((b, i) => (
          <li key={i} className="toolbar">
            {(['filters', 'kernel', 'pool'] as const).map((f) => (
              <NumberField
                key={f}
                label={`Block ${i + 1} ${f}`}
                testId={`train-conv-${f}-${i}`}
                value={b[f]}
                min={1}
                integer
                onChange={(v) => set(i, { [f]: v })}
              />
            ))}
            <button
              type="button"
              className="small"
              aria-label={`Remove block ${i + 1}`}
              onClick={() => onChange(blocks.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        className="small"
        data-testid="train-conv-add"
        onClick={() =>
          onChange([...blocks, { filters: (blocks.at(-1)?.filters ?? 8) * 2, kernel: 3, pool: 2 }])
        }
      >
        Add block
      </button>
    </div>
  );
}
