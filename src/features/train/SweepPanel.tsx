import { useId } from 'react';
import { useStore } from 'zustand';
import type { TrainConfig } from '../../engine/train/spec';
import { MAX_SWEEP_RUNS, type SweepParam } from '../../engine/train/sweep';
import { sweepStore, type SweepRow } from '../../state/sweepStore';
import { BACKEND_LABELS, headline } from './format';
import { runSweep } from './sweepActions';

const PARAMS: readonly { value: SweepParam; label: string }[] = [
  { value: 'learningRate', label: 'Learning rate' },
  { value: 'hiddenUnits', label: 'Units of the first hidden layer' },
  { value: 'batchSize', label: 'Batch size' },
  { value: 'epochs', label: 'Epochs' },
  { value: 'seed', label: 'Seed' },
];

const LABEL: Readonly<Record<SweepParam, string>> = {
  learningRate: 'learning rate',
  hiddenUnits: 'hidden units',
  batchSize: 'batch size',
  epochs: 'epochs',
  seed: 'seed',
};

function setAxis(i: number, patch: { param?: SweepParam; text?: string }): void {
  const { axes } = sweepStore.getState();
  sweepStore.setState({ axes: axes.map((a, k) => (k === i ? { ...a, ...patch } : a)) });
}

/** A small grid search: up to two hyperparameters, every combination trained in turn, results in a table. */
export function SweepPanel({ config, disabled }: { config: TrainConfig; disabled: boolean }) {
  const { axes, rows, params, running, error } = useStore(sweepStore);
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="sweep-panel">
      <h2 id={`${id}-title`}>Hyperparameter sweep</h2>
      <p className="muted">
        Trains every combination of the values below (at most {MAX_SWEEP_RUNS} runs) with the settings above;
        leave a line empty to sweep one parameter only.
      </p>
      {axes.map((a, i) => (
        <div className="toolbar" key={i}>
          <label htmlFor={`${id}-p${i}`}>Parameter {i + 1}</label>
          <select
            id={`${id}-p${i}`}
            data-testid={`sweep-param-${i}`}
            value={a.param}
            disabled={running}
            onChange={(e) => setAxis(i, { param: e.currentTarget.value as SweepParam })}
          >
            {PARAMS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-v${i}`}>Values</label>
          <input
            id={`${id}-v${i}`}
            data-testid={`sweep-values-${i}`}
            value={a.text}
            disabled={running}
            placeholder="e.g. 0.1, 0.01"
            onChange={(e) => setAxis(i, { text: e.currentTarget.value })}
          />
        </div>
      ))}
      <button
        type="button"
        data-testid="sweep-run"
        disabled={disabled || running}
        onClick={() => void runSweep(config)}
      >
        {running ? 'Sweeping…' : 'Run sweep'}
      </button>
      {error !== null && (
        <p role="alert" className="panel error" data-testid="sweep-error">
          {error.message}
        </p>
      )}
      {rows.length > 0 && <SweepTable rows={rows} params={params} />}
    </section>
  );
}

function SweepTable({ rows, params }: { rows: readonly SweepRow[]; params: readonly SweepParam[] }) {
  return (
    <div className="chart-table" tabIndex={0} role="region" aria-label="Sweep results">
      <table data-testid="sweep-table" data-count={rows.length}>
        <caption>Sweep results (test split)</caption>
        <thead>
          <tr>
            {params.map((p) => (
              <th scope="col" key={p}>
                {LABEL[p]}
              </th>
            ))}
            <th scope="col">Status</th>
            <th scope="col">Test result</th>
            <th scope="col">Best validation loss</th>
            <th scope="col">Backend</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const vals = r.record?.history.flatMap((h) => (h.valLoss === null ? [] : [h.valLoss])) ?? [];
            return (
              <tr key={i} data-status={r.status}>
                {r.values.map((v, k) => (
                  <td key={k}>{v}</td>
                ))}
                <td className="text">{r.record?.status.replace('-', ' ') ?? r.status}</td>
                <td>{r.record ? headline(r.record) : '—'}</td>
                <td>{vals.length > 0 ? Math.min(...vals).toFixed(4) : '—'}</td>
                <td className="text">{r.record ? BACKEND_LABELS[r.record.backend] : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
