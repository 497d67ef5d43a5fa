import { proxy } from 'comlink';
import { useEffect, useId, useState } from 'react';
import { useStore } from 'zustand';
import { inferCall, releaseInferClient } from '../../bridge/clients';
import type { ModelMeta } from '../../engine/deploy/inspect';
import type { BatchProgress, BatchResult } from '../../engine/infer/batch';
import { DEFAULT_BLOCK_ROWS } from '../../engine/infer/batchPlan';
import type { InferEpChoice } from '../../engine/infer/inferApi';
import { timeoutFor } from '../../engine/infer/timeouts';
import { toWorkbenchError, USER_MESSAGES, type SerializedError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { refreshDatasets, selectDataset } from '../data/actions';
import { saveBlob } from '../download';
import { data } from './actions';
import { PlacementLine } from './RunResultView';

/** Predicts every row of a stored dataset in the inference worker and saves the predictions as a new dataset. */
export function BatchPanel({ model }: { model: ModelMeta }) {
  const id = useId();
  const datasets = useStore(dataStore, (s) => s.datasets);
  const [datasetId, setDatasetId] = useState('');
  const [ep, setEp] = useState<InferEpChoice>('auto');
  const [blockRows, setBlockRows] = useState(String(DEFAULT_BLOCK_ROWS));
  const [progress, setProgress] = useState<BatchProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BatchResult | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  useEffect(() => {
    refreshDatasets().catch((e: unknown) => setError(toWorkbenchError(e).toJSON()));
  }, []);
  const chosen = datasets.some((d) => d.id === datasetId) ? datasetId : (datasets[0]?.id ?? '');

  const start = async (): Promise<void> => {
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      const rows = Number(blockRows);
      const done = await inferCall(
        (api, alive) =>
          api.batch(
            model.id,
            ep,
            chosen,
            proxy((p: BatchProgress) => {
              alive();
              setProgress(p);
            }),
            { blockRows: rows },
          ),
        timeoutFor('load'),
        'The batch',
      );
      setResult(done);
      await refreshDatasets();
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    } finally {
      await releaseInferClient().catch(() => undefined);
      setRunning(false);
    }
  };
  const cancel = (): void => {
    inferCall((api) => api.cancelBatch(), timeoutFor('run'), 'Cancelling').catch((e: unknown) =>
      setError(toWorkbenchError(e).toJSON()),
    );
  };
  const open = (): void => {
    if (result === null) return;
    void selectDataset(result.dataset.id);
    window.location.hash = '#/data';
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="batch-panel">
      <h2 id={`${id}-title`}>Batch: predict a dataset</h2>
      <p className="muted">
        Columns feed inputs of the same name (workbench models), or a single [N, F] input takes the dataset’s
        numeric columns in order. The predictions are saved as a new dataset.
      </p>
      <div className="toolbar">
        <label htmlFor={`${id}-dataset`}>Dataset</label>
        <select
          id={`${id}-dataset`}
          data-testid="batch-dataset"
          value={chosen}
          onChange={(e) => setDatasetId(e.currentTarget.value)}
          disabled={running}
        >
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} ({d.rows} rows)
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-ep`}>Execution provider</label>
        <select
          id={`${id}-ep`}
          data-testid="batch-ep"
          value={ep}
          onChange={(e) => setEp(e.currentTarget.value as InferEpChoice)}
          disabled={running}
        >
          <option value="auto">auto</option>
          <option value="webgpu">WebGPU</option>
          <option value="wasm">WASM</option>
        </select>
        <label htmlFor={`${id}-block`}>Rows per run</label>
        <input
          id={`${id}-block`}
          data-testid="batch-block"
          type="number"
          min={1}
          max={65536}
          value={blockRows}
          onChange={(e) => setBlockRows(e.currentTarget.value)}
          disabled={running}
        />
        <button
          type="button"
          data-testid="batch-start"
          onClick={() => void start()}
          disabled={running || chosen === ''}
        >
          Predict dataset
        </button>
        <button type="button" data-testid="batch-cancel" onClick={cancel} disabled={!running}>
          Cancel
        </button>
      </div>
      {running && (
        <p
          role="status"
          data-testid="batch-progress"
          data-done={progress?.rowsDone ?? 0}
          data-rows={progress?.rows ?? 0}
        >
          <progress max={progress?.rows ?? 1} value={progress?.rowsDone ?? 0} aria-label="Rows predicted" />{' '}
          {progress === null ? 'Loading the model…' : `${progress.rowsDone} of ${progress.rows} rows`}
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="batch-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {result !== null && (
        <div
          data-testid="batch-result"
          data-ep={result.ep}
          data-dataset-id={result.dataset.id}
          data-rows={result.rows}
        >
          <p>
            Saved <strong>{result.dataset.name}</strong>: {result.rows} rows in {result.blocks} run(s) on{' '}
            <strong>{result.ep === 'webgpu' ? 'WebGPU' : 'WASM'}</strong> ({result.reason}) · load{' '}
            {result.loadMs.toFixed(0)} ms · runs {result.runMs.toFixed(0)} ms · total{' '}
            {result.wallMs.toFixed(0)} ms
          </p>
          <p className="muted">Inputs: {result.mapping}</p>
          <PlacementLine placement={result.placement} />
          <div className="toolbar">
            <button type="button" data-testid="batch-open" onClick={open}>
              Open in Data
            </button>
            <button
              type="button"
              data-testid="batch-download"
              onClick={() =>
                void data()
                  .exportDataset(result.dataset.id, 'csv')
                  .then((blob) => saveBlob(blob, `${result.dataset.name}.csv`))
                  .catch((e: unknown) => setError(toWorkbenchError(e).toJSON()))
              }
            >
              Download CSV
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
