import { useId, useState, type ChangeEvent } from 'react';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { feedsFromJson, mergeInputFile, randomJson, zerosJson, type Pins } from '../../engine/infer/feeds';
import type { PlainTensor } from '../../engine/infer/tensors';

/**
 * Inputs of any model as JSON ({name: array, flat or nested; null = NaN}), filled by hand, with random values,
 * with zeros, or from a file (.json {name: array} or .npy for one input).
 */
export function TensorEditor({
  model,
  pins,
  busy,
  onRun,
  onError,
}: {
  model: ModelMeta;
  pins: Pins;
  busy: boolean;
  onRun: (feeds: Record<string, PlainTensor>) => void;
  onError: (e: unknown) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const names = model.inspection.inputs.map((t) => t.name);
  const [target, setTarget] = useState(names[0] ?? '');
  const [fileNote, setFileNote] = useState<string | null>(null);

  const fill = (make: () => string): void => {
    try {
      setText(make());
    } catch (e) {
      onError(e);
    }
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (file === undefined) return;
    file
      .arrayBuffer()
      .then((buf) => {
        // Merged outside a state updater: a file that cannot be read throws here, into onError.
        setText(mergeInputFile(model, file.name, new Uint8Array(buf), target, text));
        setFileNote(
          `${file.name} read${file.name.toLowerCase().endsWith('.npy') ? ` into “${target}”` : ''}.`,
        );
      })
      .catch(onError);
  };
  const run = (): void => {
    try {
      onRun(feedsFromJson(model, text, pins));
    } catch (e) {
      onError(e);
    }
  };

  return (
    <div className="tensor-editor" data-testid="tensor-editor">
      <h3>Tensor inputs</h3>
      <div className="toolbar">
        <button type="button" onClick={() => fill(() => randomJson(model, pins))} disabled={busy}>
          Random inputs
        </button>
        <button
          type="button"
          data-testid="infer-zeros"
          onClick={() => fill(() => zerosJson(model, pins))}
          disabled={busy}
        >
          Zeros
        </button>
        <label className="button">
          From a file (.json, .npy)…
          <input type="file" accept=".json,.npy" data-testid="infer-file" disabled={busy} onChange={onFile} />
        </label>
        {names.length > 1 && (
          <>
            <label htmlFor={`${id}-target`}>.npy into</label>
            <select
              id={`${id}-target`}
              data-testid="infer-file-target"
              value={target}
              onChange={(e) => setTarget(e.currentTarget.value)}
              disabled={busy}
            >
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="button" data-testid="infer-run" onClick={run} disabled={busy}>
          Run
        </button>
      </div>
      {fileNote !== null && (
        <p className="muted" data-testid="infer-file-note">
          {fileNote}
        </p>
      )}
      <label htmlFor={`${id}-inputs`}>
        Inputs (JSON: each input name → an array, flat or nested; null = NaN)
      </label>
      <textarea
        id={`${id}-inputs`}
        data-testid="infer-inputs"
        rows={4}
        value={text}
        placeholder='{"x": [1, 2, 3]}'
        onChange={(e) => setText(e.currentTarget.value)}
        disabled={busy}
      />
    </div>
  );
}
