import { proxy } from 'comlink';
import { useEffect, useId, useMemo, useState } from 'react';
import { inferCall, inferClient, releaseInferClient } from '../../bridge/clients';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { ModelMeta } from '../../engine/deploy/inspect';
import type { InferEpChoice } from '../../engine/infer/inferApi';
import type { StreamFrame, StreamOptions } from '../../engine/infer/stream';
import type { StreamResult } from '../../engine/infer/streamService';
import { timeoutFor } from '../../engine/infer/timeouts';
import { toWorkbenchError, USER_MESSAGES, WorkbenchError, type SerializedError } from '../../lib/errors';
import { Chart, type ChartData, type SeriesDef } from '../train/Chart';
import { data } from './actions';

const SERIES: readonly SeriesDef[] = [
  { label: 'score', color: '#2563eb', digits: 4 },
  { label: 'threshold', color: '#dc2626', dash: [6, 4], digits: 2 },
];

/** An optional whole number from a text field: '' → undefined; anything else must parse. */
function optionalInt(label: string, text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new WorkbenchError('INVALID_INPUT', `${label} must be a whole number.`);
  return n;
}

const audioOf = (d: DatasetMeta) => d.columns.find((c) => c.type === 'audio');

/**
 * Streams one clip of an audio dataset through the selected stateful model (e.g. Silero VAD), frame by
 * frame with its state fed forward; charts the per-frame score with the threshold and lists the segments.
 */
export function StreamPanel({ model }: { model: ModelMeta }) {
  const id = useId();
  const [datasets, setDatasets] = useState<DatasetMeta[]>([]);
  const [datasetId, setDatasetId] = useState('');
  const [row, setRow] = useState('1');
  const [ep, setEp] = useState<InferEpChoice>('wasm');
  const [rate, setRate] = useState('16000');
  const [frame, setFrame] = useState('');
  const [context, setContext] = useState('');
  const [threshold, setThreshold] = useState('0.5');
  const [busy, setBusy] = useState(false);
  const [frames, setFrames] = useState<readonly StreamFrame[]>([]);
  const [result, setResult] = useState<StreamResult | null>(null);
  const [error, setError] = useState<SerializedError | null>(null);

  useEffect(
    () => () => {
      void releaseInferClient().catch(() => undefined);
    },
    [],
  );

  useEffect(() => {
    data()
      .listDatasets()
      .then(
        (all) => {
          const audio = all.filter((d) => audioOf(d) !== undefined);
          setDatasets(audio);
          setDatasetId((cur) => (audio.some((d) => d.id === cur) ? cur : (audio[0]?.id ?? '')));
        },
        (e: unknown) => setError(toWorkbenchError(e).toJSON()),
      );
  }, []);

  const onRun = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    setFrames([]);
    try {
      const th = Number(threshold);
      if (!(th > 0 && th < 1))
        throw new WorkbenchError('INVALID_INPUT', 'The threshold must be between 0 and 1.');
      const r = Number(row);
      const rowCount = datasets.find((d) => d.id === datasetId)?.rows ?? 0;
      if (!Number.isInteger(r) || r < 1 || r > rowCount) {
        throw new WorkbenchError('INVALID_INPUT', `The row must be a whole number from 1 to ${rowCount}.`);
      }
      const modelRate = optionalInt('The model rate', rate);
      const frameSamples = optionalInt('The frame size', frame);
      const contextSamples = optionalInt('The context', context);
      const options: StreamOptions = {
        threshold: th,
        ...(modelRate !== undefined && { modelRate }),
        ...(frameSamples !== undefined && { frameSamples }),
        ...(contextSamples !== undefined && { contextSamples }),
      };
      const out = await inferCall(
        (api, alive) =>
          api.stream(
            model.id,
            ep,
            datasetId,
            r - 1,
            options,
            proxy((batch: readonly StreamFrame[]) => {
              alive();
              setFrames((f) => [...f, ...batch]);
            }),
          ),
        timeoutFor('load'),
        'The stream',
      );
      setFrames(out.frames);
      setResult(out);
    } catch (e) {
      setError(toWorkbenchError(e).toJSON());
    } finally {
      // The session is freed; the worker (onnxruntime initialised) stays for the next clip until unmount.
      await inferCall((api) => api.release(), timeoutFor('run'), 'Releasing the model').catch(
        () => undefined,
      );
      setBusy(false);
    }
  };

  const th = Number(threshold);
  const chart = useMemo<ChartData>(
    () => [frames.map((f) => f.startS), frames.map((f) => f.score), frames.map(() => (th > 0 ? th : 0.5))],
    [frames, th],
  );
  const dataset = datasets.find((d) => d.id === datasetId);
  const rows = dataset?.rows ?? 0;
  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="stream-panel">
      <h2 id={`${id}-title`}>Stream audio</h2>
      <p className="muted">
        Runs a stateful model (e.g. Silero VAD) over one clip frame by frame, feeding each frame's state
        outputs back as inputs. The clip is resampled to the model rate with a windowed-sinc filter.
      </p>
      {datasets.length === 0 ? (
        <p>No audio dataset yet: import WAV files on the Data page.</p>
      ) : (
        <div className="toolbar stream-fields">
          <label htmlFor={`${id}-ds`}>Audio dataset</label>
          <select
            id={`${id}-ds`}
            data-testid="stream-dataset"
            value={datasetId}
            onChange={(e) => setDatasetId(e.currentTarget.value)}
            disabled={busy}
          >
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.rows} clips)
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-row`}>Row (1–{rows})</label>
          <input
            id={`${id}-row`}
            data-testid="stream-row"
            type="number"
            min={1}
            max={rows}
            value={row}
            onChange={(e) => setRow(e.currentTarget.value)}
            disabled={busy}
          />
          <label htmlFor={`${id}-ep`}>Execution provider</label>
          <select
            id={`${id}-ep`}
            data-testid="stream-ep"
            value={ep}
            onChange={(e) => setEp(e.currentTarget.value as InferEpChoice)}
            disabled={busy}
          >
            <option value="wasm">WASM</option>
            <option value="webgpu">WebGPU</option>
            <option value="auto">auto</option>
          </select>
          <label htmlFor={`${id}-rate`}>Model rate (Hz)</label>
          <input
            id={`${id}-rate`}
            data-testid="stream-rate"
            inputMode="numeric"
            value={rate}
            onChange={(e) => setRate(e.currentTarget.value)}
            disabled={busy}
          />
          <label htmlFor={`${id}-frame`}>Frame (samples)</label>
          <input
            id={`${id}-frame`}
            data-testid="stream-frame"
            inputMode="numeric"
            placeholder="auto (32 ms)"
            value={frame}
            onChange={(e) => setFrame(e.currentTarget.value)}
            disabled={busy}
          />
          <label htmlFor={`${id}-ctx`}>Context (samples)</label>
          <input
            id={`${id}-ctx`}
            data-testid="stream-context"
            inputMode="numeric"
            placeholder="auto"
            value={context}
            onChange={(e) => setContext(e.currentTarget.value)}
            disabled={busy}
          />
          <label htmlFor={`${id}-th`}>Threshold</label>
          <input
            id={`${id}-th`}
            data-testid="stream-threshold"
            inputMode="decimal"
            value={threshold}
            onChange={(e) => setThreshold(e.currentTarget.value)}
            disabled={busy}
          />
          <button
            type="button"
            data-testid="stream-run"
            onClick={() => void onRun()}
            disabled={busy || datasetId === ''}
          >
            Stream
          </button>
          <button
            type="button"
            data-testid="stream-cancel"
            onClick={() => void inferClient().cancelStream()}
            disabled={!busy}
          >
            Cancel
          </button>
        </div>
      )}
      {busy && (
        <p role="status" className="muted" data-testid="stream-progress">
          Streaming… {frames.length} frames
        </p>
      )}
      {error !== null && (
        <div role="alert" className="error" data-testid="stream-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {frames.length > 0 && (
        <Chart
          testId="stream-chart"
          title={`Per-frame ${result?.scoreOutput ?? 'score'} over time`}
          axes={{ x: 'time (s)', y: 'score' }}
          series={SERIES}
          data={chart}
        />
      )}
      {result !== null && <StreamSummary result={result} />}
    </section>
  );
}

function StreamSummary({ result: r }: { result: StreamResult }) {
  return (
    <div
      data-testid="stream-result"
      data-ep={r.ep}
      data-frames={r.frames.length}
      data-cancelled={r.cancelled}
      data-scores={JSON.stringify(r.frames.map((f) => f.score))}
    >
      <p>
        {r.cancelled ? 'Cancelled after' : 'Streamed'} {r.frames.length} frames ({r.seconds.toFixed(2)} s) on{' '}
        <strong>{r.ep === 'webgpu' ? 'WebGPU' : 'WASM'}</strong> ({r.reason}) · load {r.loadMs.toFixed(1)} ms
        · per frame p50 {r.runMs.p50.toFixed(2)} ms, p95 {r.runMs.p95.toFixed(2)} ms · total{' '}
        {r.wallMs.toFixed(0)} ms
      </p>
      <p className="muted" data-testid="stream-plan">
        Audio “{r.audioInput}”: {r.frameSamples} samples a frame
        {r.contextSamples > 0 ? ` after ${r.contextSamples} of context` : ''} at {r.modelRate} Hz
        {r.sourceRate !== r.modelRate ? ` (resampled from ${r.sourceRate} Hz)` : ''}; state{' '}
        {r.states.length === 0
          ? 'none'
          : r.states.map((p) => `${p.output} → ${p.input} (by ${p.rule})`).join(', ')}
        {r.constants.map((c) => `; ${c.name} = ${c.value}`).join('')}; charted “{r.scoreOutput}”.
      </p>
      <h3>Segments above {r.threshold}</h3>
      {r.segments.length === 0 ? (
        <p data-testid="stream-segments">None.</p>
      ) : (
        <ul data-testid="stream-segments">
          {r.segments.map((s) => (
            <li key={s.startS}>
              {s.startS.toFixed(2)} s – {s.endS.toFixed(2)} s ({s.frames} frames)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
