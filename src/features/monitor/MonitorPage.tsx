import { useEffect, useState, type FormEvent } from 'react';
import type { BackendChoice } from '../../bridge/contracts';
import type { DriftRun, DriftSource } from '../../engine/monitor/service';
import { toWorkbenchError, USER_MESSAGES, type SerializedError } from '../../lib/errors';
import { backendFromUrl, driftReport, loadChoices, type MonitorChoices } from './actions';
import { DriftPanel } from './DriftPanel';

type SourceKind = DriftSource['kind'];

const SOURCE_LABELS: Record<SourceKind, string> = {
  dataset: 'A stored dataset with the same columns',
  'test-split': "The run's own test split",
  log: "A model's logged inference inputs",
};

/** Monitor: drift of new data (a dataset, a model's logged inputs) against a training run's reference. */
export function MonitorPage() {
  const [choices, setChoices] = useState<MonitorChoices>({ runs: [], datasets: [], logs: [] });
  const [runId, setRunId] = useState('');
  const [kind, setKind] = useState<SourceKind>('dataset');
  const [datasetId, setDatasetId] = useState('');
  const [modelId, setModelId] = useState('');
  const [backend, setBackend] = useState<BackendChoice>(backendFromUrl);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DriftRun | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  useEffect(() => {
    loadChoices().then(
      (c) => {
        setChoices(c);
        const run = c.runs.find((r) => r.unusable === null);
        setRunId(run?.id ?? '');
        setDatasetId(c.datasets.find((d) => d.id !== run?.datasetId)?.id ?? c.datasets[0]?.id ?? '');
        setModelId(c.logs.find((l) => l.runId === run?.id)?.modelId ?? c.logs[0]?.modelId ?? '');
      },
      (e: unknown) => setError(toWorkbenchError(e).toJSON()),
    );
  }, []);

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const source: DriftSource =
        kind === 'dataset'
          ? { kind, datasetId }
          : kind === 'log'
            ? { kind, modelId }
            : { kind: 'test-split' };
      setResult(await driftReport({ runId, source, backend }));
    } catch (err) {
      setError(toWorkbenchError(err).toJSON());
    } finally {
      setBusy(false);
    }
  };

  const ready =
    runId !== '' && (kind === 'test-split' || (kind === 'dataset' ? datasetId !== '' : modelId !== ''));
  return (
    <section aria-labelledby="monitor-title" data-testid="monitor-page">
      <h1 id="monitor-title">Monitor</h1>
      <p className="muted">
        Drift detection: compare new inputs with the training data a run stored as its reference, feature by
        feature (PSI and Kolmogorov–Smirnov, corrected for testing many features at once).
      </p>
      <form className="panel monitor-form" onSubmit={(e) => void onSubmit(e)} aria-label="Drift check">
        <label>
          Training run (reference){' '}
          <select value={runId} onChange={(e) => setRunId(e.currentTarget.value)} data-testid="monitor-run">
            {choices.runs.length === 0 && <option value="">No training runs yet</option>}
            {choices.runs.map((r) => (
              <option key={r.id} value={r.id} disabled={r.unusable !== null}>
                {r.name} · {r.datasetName} · {r.features.length} features
                {r.unusable !== null ? ` (${r.unusable})` : ''}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Compare</legend>
          {(Object.keys(SOURCE_LABELS) as SourceKind[]).map((k) => (
            <label key={k}>
              <input
                type="radio"
                name="drift-source"
                value={k}
                checked={kind === k}
                onChange={() => setKind(k)}
              />{' '}
              {SOURCE_LABELS[k]}
            </label>
          ))}
        </fieldset>
        {kind === 'dataset' && (
          <label>
            Dataset{' '}
            <select
              value={datasetId}
              onChange={(e) => setDatasetId(e.currentTarget.value)}
              data-testid="monitor-dataset"
            >
              {choices.datasets.length === 0 && <option value="">No datasets</option>}
              {choices.datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} · {d.rows} rows
                </option>
              ))}
            </select>
          </label>
        )}
        {kind === 'log' && (
          <label>
            Model{' '}
            <select
              value={modelId}
              onChange={(e) => setModelId(e.currentTarget.value)}
              data-testid="monitor-log"
            >
              {choices.logs.length === 0 && (
                <option value="">No logged inputs yet: run a batch on Deploy</option>
              )}
              {choices.logs.map((l) => (
                <option key={l.modelId} value={l.modelId}>
                  {l.modelName} · {l.kept} of {l.seen} rows sampled
                  {l.runId !== null
                    ? ` · exported from run ${choices.runs.find((r) => r.id === l.runId)?.name ?? l.runId}`
                    : ''}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Backend{' '}
          <select
            value={backend}
            onChange={(e) => setBackend(e.currentTarget.value as BackendChoice)}
            data-testid="monitor-backend"
          >
            <option value="auto">Auto (GPU for large inputs)</option>
            <option value="webgpu">WebGPU</option>
            <option value="cpu">CPU</option>
          </select>
        </label>
        <button type="submit" disabled={busy || !ready}>
          {busy ? 'Checking…' : 'Check drift'}
        </button>
      </form>
      {error !== null && (
        <div role="alert" className="panel error" data-testid="monitor-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {result !== null && <DriftPanel run={result} />}
    </section>
  );
}
