import { hasFittedRecipe } from '../../engine/preprocess/fitted';
import { saveBlob as save } from '../download';
import { useId, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { trainClient } from '../../bridge/clients';
import type { RunRecord } from '../../engine/train/run';
import { toWorkbenchError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';

/** A file name from a run name (characters file systems refuse replaced). */
const fileName = (name: string): string => name.replace(/[\\/:*?"<>|]+/g, '_').trim() || 'model';

/** Downloads of a finished run: its ONNX model and the app's predictions for a dataset. */
export function ExportPanel({ record }: { record: RunRecord }) {
  const id = useId();
  const datasets = useStore(dataStore, (s) => s.datasets);
  const choices = useMemo(() => {
    const trained = datasets.find((d) => d.id === record.datasetId);
    const out = [{ id: record.datasetId, label: `${record.datasetName} (trained on)` }];
    const parentId = trained?.parent?.datasetId;
    if (hasFittedRecipe(trained) && parentId !== undefined) {
      const parent = datasets.find((d) => d.id === parentId);
      if (parent !== undefined) out.push({ id: parent.id, label: `${parent.name} (raw, recipe applied)` });
    }
    return out;
  }, [datasets, record.datasetId, record.datasetName]);
  const [datasetId, setDatasetId] = useState(record.datasetId);
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [busy, setBusy] = useState<'onnx' | 'predictions' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = choices.some((c) => c.id === datasetId) ? datasetId : record.datasetId;
  const finished = record.status === 'completed' || record.status === 'early-stopped';

  const go = async (what: 'onnx' | 'predictions'): Promise<void> => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'onnx') {
        const bytes = await trainClient().exportOnnx(record.id);
        const blob = new Blob([bytes.slice()], { type: 'application/octet-stream' });
        save(blob, `${fileName(record.name)}.onnx`);
      } else {
        const blob = await trainClient().predictions(record.id, chosen, format);
        const dataset = datasets.find((d) => d.id === chosen)?.name ?? chosen;
        save(blob, `${fileName(record.name)} · predictions · ${fileName(dataset)}.${format}`);
      }
    } catch (e) {
      setError(toWorkbenchError(e).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`} className="export-panel" data-testid="train-export">
      <h3 id={`${id}-title`}>Export</h3>
      <p>
        <button
          type="button"
          data-testid="export-onnx"
          disabled={!finished || busy !== null}
          onClick={() => void go('onnx')}
        >
          {busy === 'onnx' ? 'Exporting…' : 'Download ONNX'}
        </button>{' '}
        <span className="muted">
          with its preprocessing; inputs are the raw columns (docs/onnx-contract.md)
        </span>
      </p>
      <p>
        <label htmlFor={`${id}-dataset`}>Predictions for</label>{' '}
        <select
          id={`${id}-dataset`}
          data-testid="export-predictions-dataset"
          value={chosen}
          onChange={(e) => setDatasetId(e.target.value)}
        >
          {choices.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>{' '}
        <label htmlFor={`${id}-format`}>as</label>{' '}
        <select
          id={`${id}-format`}
          data-testid="export-predictions-format"
          value={format}
          onChange={(e) => setFormat(e.target.value === 'json' ? 'json' : 'csv')}
        >
          <option value="csv">CSV</option>
          <option value="json">JSON</option>
        </select>{' '}
        <button
          type="button"
          data-testid="export-predictions"
          disabled={busy !== null}
          onClick={() => void go('predictions')}
        >
          {busy === 'predictions' ? 'Predicting…' : 'Download predictions'}
        </button>
      </p>
      {error !== null && (
        <p role="alert" className="error" data-testid="export-error">
          {error}
        </p>
      )}
    </section>
  );
}
