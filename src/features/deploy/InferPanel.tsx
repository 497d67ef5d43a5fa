import { useId, useState } from 'react';
import { inferClient, releaseInferClient } from '../../bridge/clients';
import type { Dim, ModelMeta } from '../../engine/deploy/inspect';
import type { InferEp, InferEpChoice } from '../../engine/infer/inferApi';
import {
  elementCount,
  flattenJson,
  isInferElemType,
  typedFromNumbers,
  type PlainTensor,
} from '../../engine/infer/tensors';
import { toWorkbenchError, USER_MESSAGES, WorkbenchError, type SerializedError } from '../../lib/errors';
import type { Pins } from './ModelInspector';

/** Values shown per output (the rest is summarised). */
const SHOWN = 1000;

interface Result {
  readonly ep: InferEp;
  readonly reason: string;
  readonly loadMs: number;
  readonly runMs: number;
  readonly outputs: readonly { name: string; type: string; dims: readonly number[]; values: number[] }[];
}

/** The model's dims with pinned symbolic dimensions filled in; null where one is still unknown. */
function pinnedDims(
  model: ModelMeta,
  tensor: string,
  shape: readonly Dim[] | null,
  pins: Pins,
): number[] | null {
  if (shape === null) return null;
  const dims: number[] = [];
  for (const [i, d] of shape.entries()) {
    if (typeof d === 'number') {
      dims.push(d);
      continue;
    }
    const key = typeof d === 'string' ? `${model.id}:${d}` : `${model.id}:${tensor}#${i}`;
    const n = Number(pins[key]);
    if (!Number.isInteger(n) || n <= 0) return null;
    dims.push(n);
  }
  return dims;
}

/** Random inputs (uniform in [-1, 1), or small integers) for every input whose shape is known or pinned. */
function randomInputs(model: ModelMeta, pins: Pins): string {
  const out: Record<string, number[]> = {};
  for (const t of model.inspection.inputs) {
    const dims = pinnedDims(model, t.name, t.shape, pins);
    if (dims === null) continue;
    const float = t.elemType.startsWith('float');
    out[t.name] = Array.from({ length: elementCount(dims) }, () =>
      float ? Number((Math.random() * 2 - 1).toFixed(4)) : Math.floor(Math.random() * 4),
    );
  }
  return JSON.stringify(out);
}

/** The typed JSON ({name: array}) as plain tensors: dims from the model (pinned) or from the nested array. */
function parseInputs(model: ModelMeta, text: string, pins: Pins): Record<string, PlainTensor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WorkbenchError('INVALID_INPUT', `The inputs are not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      'The inputs must be a JSON object: {"input name": [numbers…]}.',
    );
  }
  const given = parsed as Record<string, unknown>;
  const feeds: Record<string, PlainTensor> = {};
  for (const t of model.inspection.inputs) {
    if (!(t.name in given)) throw new WorkbenchError('INVALID_INPUT', `Input “${t.name}” is missing.`);
    if (!isInferElemType(t.elemType)) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Input “${t.name}” has type ${t.elemType}, not supported yet.`,
      );
    }
    const { values, shape } = flattenJson(t.name, given[t.name]);
    const pinned = pinnedDims(model, t.name, t.shape, pins);
    const dims = pinned ?? shape;
    if (elementCount(dims) !== values.length) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Input “${t.name}” has ${values.length} values; its shape [${dims.join(', ')}] needs ${elementCount(dims)}.`,
      );
    }
    feeds[t.name] = { type: t.elemType, dims, data: typedFromNumbers(t.elemType, values) };
  }
  return feeds;
}

/** Runs the selected model in a fresh, disposable inference worker on the chosen execution provider. */
export function InferPanel({ model, pins }: { model: ModelMeta; pins: Pins }) {
  const id = useId();
  const [ep, setEp] = useState<InferEpChoice>('auto');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  const onRun = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const feeds = parseInputs(model, text, pins);
      const api = inferClient();
      try {
        const loaded = await api.load(model.id, ep);
        const ran = await api.run(feeds);
        setResult({
          ep: ran.ep,
          reason: loaded.reason,
          loadMs: loaded.loadMs,
          runMs: ran.runMs,
          outputs: Object.entries(ran.outputs).map(([name, t]) => ({
            name,
            type: t.type,
            dims: t.dims,
            values: Array.from(t.data.subarray(0, SHOWN), Number),
          })),
        });
      } finally {
        await releaseInferClient();
      }
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    } finally {
      setBusy(false);
    }
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
        <button type="button" onClick={() => setText(randomInputs(model, pins))} disabled={busy}>
          Random inputs
        </button>
        <button type="button" data-testid="infer-run" onClick={() => void onRun()} disabled={busy}>
          Run
        </button>
      </div>
      <label htmlFor={`${id}-inputs`}>Inputs (JSON: each input name → an array, flat or nested)</label>
      <textarea
        id={`${id}-inputs`}
        data-testid="infer-inputs"
        rows={4}
        value={text}
        placeholder='{"x": [1, 2, 3]}'
        onChange={(e) => setText(e.currentTarget.value)}
        disabled={busy}
      />
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
      {result !== null && (
        <div data-testid="infer-outputs" data-ep={result.ep}>
          <p>
            Ran on <strong>{result.ep === 'webgpu' ? 'WebGPU' : 'WASM'}</strong> ({result.reason}) · load{' '}
            {result.loadMs.toFixed(1)} ms · run {result.runMs.toFixed(2)} ms
          </p>
          {result.outputs.map((o) => (
            <figure key={o.name}>
              <figcaption>
                {o.name}: {o.type} [{o.dims.join(', ')}]
              </figcaption>
              <pre data-testid={`infer-output-${o.name}`}>{JSON.stringify(o.values)}</pre>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
