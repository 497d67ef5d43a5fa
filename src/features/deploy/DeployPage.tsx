import { useCallback, useEffect, useState, type ChangeEvent, type DragEvent, type FormEvent } from 'react';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { toWorkbenchError, USER_MESSAGES, type SerializedError } from '../../lib/errors';
import { BatchPanel } from './BatchPanel';
import { InferPanel } from './InferPanel';
import { LatencyPanel } from './LatencyPanel';
import { StreamPanel } from './StreamPanel';
import { deleteModel, importModelFile, importModelUrl, listModels } from './actions';
import { ModelInspector, type Pins } from './ModelInspector';
import { ModelList } from './ModelList';
import { RemotePanel } from './RemotePanel';

/** Deploy: import ONNX models (file, drop, URL), list them, and inspect the selected one. */
export function DeployPage() {
  const [models, setModels] = useState<ModelMeta[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SerializedError | null>(null);
  const [url, setUrl] = useState('');
  const [dragging, setDragging] = useState(false);
  const [pins, setPins] = useState<Pins>({});

  const refresh = useCallback(async (select?: string) => {
    const list = await listModels();
    setModels(list);
    setSelectedId((cur) => select ?? (list.some((m) => m.id === cur) ? cur : (list[0]?.id ?? null)));
  }, []);

  useEffect(() => {
    listModels().then(
      (list) => {
        setModels(list);
        setSelectedId(list[0]?.id ?? null);
      },
      (e: unknown) => setError(toWorkbenchError(e).toJSON()),
    );
  }, []);

  const run = async (job: () => Promise<ModelMeta>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const m = await job();
      await refresh(m.id);
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    } finally {
      setBusy(false);
    }
  };

  const onPick = (e: ChangeEvent<HTMLInputElement>): void => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = '';
    if (file) void run(() => importModelFile(file));
  };
  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !busy) void run(() => importModelFile(file));
  };
  const onUrl = (e: FormEvent): void => {
    e.preventDefault();
    const u = url.trim();
    if (u !== '') void run(() => importModelUrl(u));
  };
  const onDelete = (m: ModelMeta): void => {
    setError(null);
    deleteModel(m.id)
      .then(() => refresh())
      .catch((e: unknown) => setError(toWorkbenchError(e).toJSON()));
  };
  const onPin = (key: string, value: string): void => setPins((p) => ({ ...p, [key]: value }));

  const selected = models.find((m) => m.id === selectedId) ?? null;
  return (
    <section aria-labelledby="deploy-title" data-testid="deploy-page">
      <h1 id="deploy-title">Deploy</h1>
      <p className="muted">
        Import ONNX models, inspect what they expect, and run them in a disposable worker with onnxruntime-web
        on WebGPU or WASM.
      </p>
      <section aria-labelledby="model-import-title" className="panel">
        <h2 id="model-import-title">Import a model</h2>
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          data-testid="model-dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label className="button">
            Choose an .onnx file…
            <input type="file" accept=".onnx" data-testid="model-file" disabled={busy} onChange={onPick} />
          </label>
          <span>or drop an .onnx file here (up to 512 MiB)</span>
        </div>
        <form onSubmit={onUrl} className="toolbar">
          <label htmlFor="model-url">From a URL</label>
          <input
            id="model-url"
            data-testid="model-url"
            type="url"
            placeholder="https://example.org/model.onnx"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            disabled={busy}
          />
          <button type="submit" disabled={busy || url.trim() === ''}>
            Import URL
          </button>
        </form>
        {busy && (
          <p role="status" className="muted">
            Reading the model…
          </p>
        )}
      </section>
      {error !== null && (
        <div role="alert" className="panel error" data-testid="model-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      <ModelList models={models} selectedId={selectedId} onSelect={setSelectedId} onDelete={onDelete} />
      {selected !== null && <ModelInspector model={selected} pins={pins} onPin={onPin} />}
      {selected !== null && <InferPanel key={selected.id} model={selected} pins={pins} />}
      {selected !== null && <StreamPanel key={`stream-${selected.id}`} model={selected} />}
      {selected !== null && <LatencyPanel key={`latency-${selected.id}`} model={selected} pins={pins} />}
      {selected !== null && <BatchPanel key={`batch-${selected.id}`} model={selected} />}
      {selected !== null && <RemotePanel key={`remote-${selected.id}`} model={selected} pins={pins} />}
    </section>
  );
}
