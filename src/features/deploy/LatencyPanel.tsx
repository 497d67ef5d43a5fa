import { proxy } from 'comlink';
import { useId, useMemo, useState } from 'react';
import { inferCall, releaseInferClient } from '../../bridge/clients';
import type { ModelMeta } from '../../engine/deploy/inspect';
import type { InferEp } from '../../engine/infer/inferApi';
import { MIN_RUNS, MIN_WARMUPS, type LatencyProgress, type LatencyReport } from '../../engine/infer/latency';
import { timeoutFor } from '../../engine/infer/timeouts';
import { toWorkbenchError, USER_MESSAGES, WorkbenchError, type SerializedError } from '../../lib/errors';
import { Chart, type ChartData, type SeriesDef } from '../train/Chart';
import type { Pins } from './ModelInspector';

const EP_NAME: Readonly<Record<InferEp, string>> = { webgpu: 'WebGPU', wasm: 'WASM' };
const EP_SERIES: Readonly<Record<InferEp, SeriesDef>> = {
  webgpu: { label: 'WebGPU', color: '#7c3aed', digits: 3 },
  wasm: { label: 'WASM', color: '#059669', dash: [6, 4], digits: 3 },
};

/** Every input's dims with its symbolic dimensions pinned (the inspector's pin keys); unpinned ones left out. */
function pinnedInputDims(model: ModelMeta, pins: Pins): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const t of model.inspection.inputs) {
    if (t.shape === null) continue;
    const dims = t.shape.map((d, i) => {
      if (typeof d === 'number') return d;
      return Number(pins[typeof d === 'string' ? `${model.id}:${d}` : `${model.id}:${t.name}#${i}`]);
    });
    if (dims.every((d) => Number.isInteger(d) && d > 0)) out[t.name] = dims;
  }
  return out;
}

const ms = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : '—');

/**
 * The latency benchmark: the selected model on WebGPU and WASM in turn (session creation, first run, warm-ups,
 * timed runs on seeded random inputs of its pinned shapes) with p50/p95/p99 and a chart of every timed run.
 */
export function LatencyPanel({ model, pins }: { model: ModelMeta; pins: Pins }) {
  const id = useId();
  const [eps, setEps] = useState<Record<InferEp, boolean>>({ webgpu: true, wasm: true });
  const [warmups, setWarmups] = useState(String(MIN_WARMUPS));
  const [runs, setRuns] = useState(String(MIN_RUNS));
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<LatencyProgress | null>(null);
  const [report, setReport] = useState<LatencyReport | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  const onRun = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    try {
      const chosen = (['webgpu', 'wasm'] as const).filter((e) => eps[e]);
      if (chosen.length === 0)
        throw new WorkbenchError('INVALID_INPUT', 'Choose at least one execution provider.');
      const options = {
        eps: chosen,
        warmups: Number(warmups),
        runs: Number(runs),
        dims: pinnedInputDims(model, pins),
      };
      const out = await inferCall(
        (api, alive) =>
          api.latency(
            model.id,
            options,
            proxy((p: LatencyProgress) => {
              alive();
              setProgress(p);
            }),
          ),
        timeoutFor('load'),
        'The latency benchmark',
      );
      setReport(out);
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    } finally {
      await releaseInferClient().catch(() => undefined);
      setBusy(false);
      setProgress(null);
    }
  };

  const series = useMemo(() => report?.results.map((r) => EP_SERIES[r.ep]) ?? [], [report]);
  const chart = useMemo<ChartData>(() => {
    const n = report?.runs ?? 0;
    return [Array.from({ length: n }, (_, i) => i + 1), ...(report?.results.map((r) => [...r.runsMs]) ?? [])];
  }, [report]);

  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="latency-panel">
      <h2 id={`${id}-title`}>Latency</h2>
      <p className="muted">
        Times the model in the inference worker: session creation, the first run, warm-ups, then timed runs on
        random inputs of its (pinned) shapes. Each run feeds plain tensors and reads every output back.
      </p>
      <div className="toolbar">
        <fieldset className="latency-eps">
          <legend>Execution providers</legend>
          {(['webgpu', 'wasm'] as const).map((e) => (
            <label key={e}>
              <input
                type="checkbox"
                data-testid={`latency-ep-${e}`}
                checked={eps[e]}
                onChange={(ev) => {
                  const on = ev.currentTarget.checked;
                  setEps((cur) => ({ ...cur, [e]: on }));
                }}
                disabled={busy}
              />{' '}
              {EP_NAME[e]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-warm`}>Warm-ups (≥ {MIN_WARMUPS})</label>
        <input
          id={`${id}-warm`}
          data-testid="latency-warmups"
          type="number"
          min={MIN_WARMUPS}
          value={warmups}
          onChange={(e) => setWarmups(e.currentTarget.value)}
          disabled={busy}
        />
        <label htmlFor={`${id}-runs`}>Timed runs (≥ {MIN_RUNS})</label>
        <input
          id={`${id}-runs`}
          data-testid="latency-runs"
          type="number"
          min={MIN_RUNS}
          value={runs}
          onChange={(e) => setRuns(e.currentTarget.value)}
          disabled={busy}
        />
        <button type="button" data-testid="latency-run" onClick={() => void onRun()} disabled={busy}>
          Measure
        </button>
      </div>
      {busy && (
        <p role="status" className="muted" data-testid="latency-progress">
          {progress === null
            ? 'Starting…'
            : `${EP_NAME[progress.ep]}: ${progress.phase} ${progress.done}/${progress.total}`}
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="latency-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {report !== null && (
        <>
          <table data-testid="latency-table" className="latency-table">
            <caption>
              Latency per execution provider in milliseconds ({report.warmups} warm-ups, {report.runs} timed
              runs each)
            </caption>
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">Load</th>
                <th scope="col">First run</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">p99</th>
                <th scope="col">Mean</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">Timed runs</th>
              </tr>
            </thead>
            <tbody>
              {report.results.map((r) => (
                <tr
                  key={r.ep}
                  data-ep={r.ep}
                  data-runs={r.runsMs.length}
                  data-warmups={r.warmupMs.length}
                  data-p50={r.summary.p50}
                  data-p95={r.summary.p95}
                  data-p99={r.summary.p99}
                >
                  <th scope="row">{EP_NAME[r.ep]}</th>
                  <td>{ms(r.loadMs, 1)}</td>
                  <td>{ms(r.firstMs)}</td>
                  <td>{ms(r.summary.p50)}</td>
                  <td>{ms(r.summary.p95)}</td>
                  <td>{ms(r.summary.p99)}</td>
                  <td>{ms(r.summary.mean)}</td>
                  <td>{ms(r.summary.min)}</td>
                  <td>{ms(r.summary.max)}</td>
                  <td>{r.runsMs.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Chart
            key={series.map((s) => s.label).join(',')}
            testId="latency-chart"
            title="Latency of each timed run (ms)"
            axes={{ x: 'run', y: 'ms' }}
            series={series}
            data={chart}
          />
        </>
      )}
    </section>
  );
}
