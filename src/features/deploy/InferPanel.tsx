import { useId, useState } from 'react';
import type { ModelMeta } from '../../engine/deploy/inspect';
import type { Pins } from '../../engine/infer/feeds';
import type { InferEpChoice } from '../../engine/infer/inferApi';
import type { PlainTensor } from '../../engine/infer/tensors';
import { toWorkbenchError, USER_MESSAGES, type SerializedError } from '../../lib/errors';
import { PredictForm } from './PredictForm';
import { runOnce, type RunResult } from './runOnce';
import { RunResultView } from './RunResultView';
import { TensorEditor } from './TensorEditor';

/**
 * Runs the selected model in a fresh, disposable inference worker on the chosen execution provider: one
 * prediction from a form built from its inputs, or any tensors from the editor.
 */
export function InferPanel({ model, pins }: { model: ModelMeta; pins: Pins }) {
  const id = useId();
  const [ep, setEp] = useState<InferEpChoice>('auto');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RunResult | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  const onError = (e: unknown): void => {
    setResult(null);
    setError(toWorkbenchError(e).toJSON());
  };
  const onRun = (feeds: Record<string, PlainTensor>, log = false): void => {
    setBusy(true);
    setError(null);
    setResult(null);
    runOnce(model.id, ep, feeds, log)
      .then(setResult, onError)
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="infer-panel">
      <h2 id={`${id}-title`}>Run</h2>
      <div className="toolbar">
        <label htmlFor={`${id}-ep`}>Execution provider</label>
        <select
          id={`${id}-ep`}
          data-testid="infer-ep"
          value={ep}
          onChange={(e) => setEp(e.currentTarget.value as InferEpChoice)}
          disabled={busy}
        >
          <option value="auto">auto</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM</option>
        </select>
      </div>
      <PredictForm model={model} busy={busy} onRun={(feeds) => onRun(feeds, true)} />
      <TensorEditor model={model} pins={pins} busy={busy} onRun={onRun} onError={onError} />
      {busy && (
        <p role="status" className="muted">
          Running…
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="infer-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {result !== null && <RunResultView result={result} />}
    </section>
  );
}
