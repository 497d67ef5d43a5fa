import { useStore } from 'zustand';
import { gpuStore } from '../../state/gpuStore';

/** Adapter info, features and limits: what this machine's GPU offers the workbench. */
export function DevicePage() {
  const { capabilities: caps, deviceGeneration, lossCount } = useStore(gpuStore);
  return (
    <section aria-labelledby="device-title">
      <h1 id="device-title">Device</h1>
      {caps === null && <p>Probing…</p>}
      {caps !== null && !caps.available && (
        <p data-testid="device-unavailable">
          WebGPU is not available: {caps.reason}. Every stage runs on the CPU instead. In Chrome, check
          chrome://gpu; on Linux, WebGPU may need <code>--enable-unsafe-webgpu</code>.
        </p>
      )}
      {caps?.available && (
        <>
          <dl className="facts" data-testid="adapter-info">
            <dt>Vendor</dt>
            <dd>{caps.adapter.vendor || '—'}</dd>
            <dt>Architecture</dt>
            <dd data-testid="adapter-architecture">{caps.adapter.architecture || '—'}</dd>
            <dt>Device</dt>
            <dd>{caps.adapter.device || '—'}</dd>
            <dt>Description</dt>
            <dd>{caps.adapter.description || '—'}</dd>
            <dt>Software (fallback) adapter</dt>
            <dd>{caps.adapter.isFallbackAdapter ? 'yes: GPU work is emulated on the CPU' : 'no'}</dd>
            <dt>Device generation / losses</dt>
            <dd>
              {deviceGeneration} / {lossCount}
            </dd>
          </dl>
          <h2>Features ({caps.features.length})</h2>
          <ul className="features">
            {caps.features.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
          <table>
            <caption>Limits</caption>
            <thead>
              <tr>
                <th scope="col">Limit</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(caps.limits)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">{k}</th>
                    <td>{v.toLocaleString('en-US')}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
