import type { InferLoad } from '../../engine/infer/inferApi';
import type { RunResult } from './runOnce';

/** "N of M nodes on WebGPU; on CPU: ops…" when onnxruntime said where it placed the graph's nodes. */
export function PlacementLine({ placement }: { placement: InferLoad['placement'] }) {
  if (placement === null || placement === undefined) return null;
  const ops = [...new Set(placement.cpuNodes)];
  return (
    <p data-testid="infer-placement" data-on-webgpu={placement.onWebgpu} data-total={placement.total}>
      {placement.onWebgpu} of {placement.total} nodes on WebGPU
      {ops.length > 0 ? `; on CPU: ${ops.join(', ')}` : '; none on CPU'}
    </p>
  );
}

/** A run's outputs: where it ran, the readable prediction (label, probabilities) and every output's values. */
export function RunResultView({ result }: { result: RunResult }) {
  const { readable } = result;
  return (
    <div data-testid="infer-outputs" data-ep={result.ep}>
      <p>
        Ran on <strong>{result.ep === 'webgpu' ? 'WebGPU' : 'WASM'}</strong> ({result.reason}) · load{' '}
        {result.loadMs.toFixed(1)} ms · run {result.runMs.toFixed(2)} ms
      </p>
      <PlacementLine placement={result.placement} />
      {readable.label !== null && (
        <p>
          Prediction: <strong data-testid="predict-label">{readable.label}</strong>
        </p>
      )}
      {readable.probabilities.length > 0 && (
        <table className="predict-probs" data-testid="predict-probs">
          <caption>Probability per class</caption>
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col">probability</th>
            </tr>
          </thead>
          <tbody>
            {readable.probabilities.map((p) => (
              <tr key={p.name} data-class={p.name} data-p={p.p}>
                <th scope="row">{p.name}</th>
                <td>
                  <meter min={0} max={1} value={Number.isFinite(p.p) ? p.p : 0} aria-label={`p(${p.name})`} />{' '}
                  {p.p.toFixed(4)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.outputs.map((o) => (
        <figure key={o.name}>
          <figcaption>
            {o.name}: {o.type} [{o.dims.join(', ')}]
          </figcaption>
          <pre data-testid={`infer-output-${o.name}`}>{JSON.stringify(o.values)}</pre>
        </figure>
      ))}
    </div>
  );
}
