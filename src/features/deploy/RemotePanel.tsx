import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ModelMeta } from '../../engine/deploy/inspect';
import { feedsFromJson, randomJson, zerosJson, type Pins } from '../../engine/infer/feeds';
import {
  browserLocalNetworkPermission,
  browserProbe,
  testConnection,
  type ConnectionReport,
} from '../../engine/remote/diagnose';
import { OipClient, type Transport } from '../../engine/remote/oipClient';
import { RemoteError, type RetryPolicy } from '../../engine/remote/retry';
import { toWorkbenchError, USER_MESSAGES, type SerializedError } from '../../lib/errors';
import { RemoteLedger, ShadowTable, type ShadowRow } from './RemoteLedger';
import { ConnectionChecks, RemoteResultView } from './RemoteResult';
import { breakerFor, remoteLedger, runRouted, type Route, type RouteResult } from './remoteActions';
import { loadSettings, loadToken, saveSettings, storeToken, type TransportChoice } from './remoteSettings';

/** The connection test: one attempt per step, answers within 5 s. */
const TEST_POLICY: RetryPolicy = {
  maxAttempts: 1,
  baseDelayMs: 0,
  maxDelayMs: 0,
  budgetMs: 8000,
  timeoutMs: 5000,
};

const stem = (name: string): string => name.replace(/\.onnx$/i, '');

/**
 * Remote inference on a server speaking the Open Inference Protocol (Triton, KServe, MLServer, OVMS, the
 * reference server): settings, a connection test with precise diagnostics, runs routed locally, remotely,
 * automatically or side by side (shadow), with fallback to local and an egress ledger.
 */
export function RemotePanel({ model, pins }: { model: ModelMeta; pins: Pins }) {
  const id = useId();
  const [initial] = useState(loadSettings);
  const [endpoint, setEndpoint] = useState(initial.endpoint);
  const [token, setToken] = useState(() => loadToken(initial.endpoint).token);
  const [remember, setRemember] = useState(() => loadToken(initial.endpoint).remembered);
  const mapped = initial.mapping[model.id];
  const [remoteName, setRemoteName] = useState(mapped?.name ?? stem(model.name));
  const [version, setVersion] = useState(mapped?.version ?? '');
  const [transport, setTransport] = useState<TransportChoice>(initial.transport);
  const [route, setRoute] = useState<Route>('remote');
  const [fallback, setFallback] = useState(true);
  const [text, setText] = useState('');
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [busy, setBusy] = useState<'test' | 'run' | null>(null);
  const [result, setResult] = useState<RouteResult | null>(null);
  const [error, setError] = useState<(SerializedError & { kind?: string }) | null>(null);
  const [shadow, setShadow] = useState<ShadowRow[]>([]);
  const [binaryKnown, setBinaryKnown] = useState<boolean | null>(null);
  const latency = useRef<{ local: number | null; remote: number | null }>({ local: null, remote: null });
  const abort = useRef<AbortController | null>(null);

  const client = useMemo(() => {
    try {
      const u = new URL(endpoint);
      return new OipClient({ baseUrl: endpoint, token, ledger: remoteLedger, breaker: breakerFor(u.origin) });
    } catch {
      return null;
    }
  }, [endpoint, token]);
  const breaker = client?.breaker ?? null;
  const breakerState = useSyncExternalStore(
    (fn) => breaker?.subscribe(fn) ?? (() => undefined),
    () => breaker?.state() ?? 'closed',
  );

  useEffect(() => {
    const s = loadSettings();
    saveSettings({
      endpoint,
      transport,
      mapping: { ...s.mapping, [model.id]: { name: remoteName, version } },
    });
  }, [endpoint, transport, remoteName, version, model.id]);

  const onEndpoint = (v: string): void => {
    setEndpoint(v);
    const t = loadToken(v);
    setToken(t.token);
    setRemember(t.remembered);
    setReport(null);
    setBinaryKnown(null);
  };
  const onToken = (v: string): void => {
    setToken(v);
    storeToken(endpoint, v, remember);
  };
  const onRemember = (v: boolean): void => {
    setRemember(v);
    storeToken(endpoint, token, v);
  };

  const fail = (e: unknown): void => {
    const w = toWorkbenchError(e);
    setError({ ...w.toJSON(), ...(e instanceof RemoteError ? { kind: e.kind } : {}) });
  };

  const onTest = (): void => {
    setBusy('test');
    setError(null);
    setReport(null);
    (async () => {
      const probeClient = new OipClient({ baseUrl: endpoint, token, policy: TEST_POLICY });
      const r = await testConnection(
        probeClient,
        { model: remoteName, version, hasToken: token !== '', localInputs: model.inspection.inputs },
        {
          pageOrigin: location.origin,
          probe: browserProbe,
          localNetworkPermission: browserLocalNetworkPermission,
        },
      );
      setReport(r);
      if (r.checks.some((c) => c.id === 'server')) setBinaryKnown(r.binary);
    })()
      .catch(fail)
      .finally(() => setBusy(null));
  };

  const pickTransport = async (): Promise<Transport> => {
    if (transport !== 'auto') return transport;
    if (binaryKnown !== null) return binaryKnown ? 'binary' : 'json';
    if (client === null) return 'json';
    try {
      const m = await client.serverMetadata();
      const b = Array.isArray(m.extensions) && m.extensions.includes('binary_tensor_data');
      setBinaryKnown(b);
      return b ? 'binary' : 'json';
    } catch {
      return 'json';
    }
  };

  const onRun = (): void => {
    let feeds;
    try {
      feeds = feedsFromJson(model, text, pins);
    } catch (e) {
      fail(e);
      return;
    }
    const ctrl = new AbortController();
    abort.current = ctrl;
    setBusy('run');
    setError(null);
    setResult(null);
    (async () => {
      const r = await runRouted(
        {
          route,
          modelId: model.id,
          modelBytes: model.bytes,
          remoteName,
          version,
          transport: route === 'wasm' || route === 'webgpu' ? 'json' : await pickTransport(),
          client,
          fallback,
          localMs: latency.current.local,
          remoteMs: latency.current.remote,
          signal: ctrl.signal,
        },
        feeds,
      );
      if (r.ran === 'remote') latency.current.remote = r.ms;
      else latency.current.local = r.ms;
      if (r.shadow !== null) {
        latency.current.local = r.shadow.localMs;
        const row = { at: Date.now(), ...r.shadow, transport: r.transport ?? 'json' };
        setShadow((s) => [...s.slice(-19), row]);
      }
      setResult(r);
    })()
      .catch(fail)
      .finally(() => {
        abort.current = null;
        setBusy(null);
      });
  };

  return (
    <section aria-labelledby={`${id}-title`} className="panel" data-testid="remote-panel">
      <h2 id={`${id}-title`}>Remote inference (Open Inference Protocol)</h2>
      <p className="muted">
        Run this model on Triton, KServe, MLServer, OpenVINO Model Server or the workbench’s reference server
        (docs/remote.md). The inputs you run here are sent to that server; the ledger below lists them.
      </p>
      <div className="remote-settings">
        <label htmlFor={`${id}-url`}>Endpoint</label>
        <input
          id={`${id}-url`}
          data-testid="remote-url"
          type="url"
          value={endpoint}
          onChange={(e) => onEndpoint(e.currentTarget.value)}
        />
        <label htmlFor={`${id}-token`}>Bearer token (optional)</label>
        <input
          id={`${id}-token`}
          data-testid="remote-token"
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => onToken(e.currentTarget.value)}
        />
        <label className="remote-remember">
          <input
            type="checkbox"
            data-testid="remote-remember"
            checked={remember}
            onChange={(e) => onRemember(e.currentTarget.checked)}
          />
          Remember the token in this tab (sessionStorage, for this endpoint only)
        </label>
        <label htmlFor={`${id}-model`}>Remote model name</label>
        <input
          id={`${id}-model`}
          data-testid="remote-model"
          value={remoteName}
          onChange={(e) => setRemoteName(e.currentTarget.value)}
        />
        <label htmlFor={`${id}-version`}>Version (optional)</label>
        <input
          id={`${id}-version`}
          data-testid="remote-version"
          value={version}
          onChange={(e) => setVersion(e.currentTarget.value)}
        />
        <label htmlFor={`${id}-transport`}>Tensors</label>
        <select
          id={`${id}-transport`}
          data-testid="remote-transport"
          value={transport}
          onChange={(e) => setTransport(e.currentTarget.value as TransportChoice)}
        >
          <option value="auto">auto (binary when the server offers it)</option>
          <option value="json">JSON</option>
          <option value="binary">binary</option>
        </select>
      </div>
      <div className="toolbar">
        <button
          type="button"
          data-testid="remote-test"
          onClick={onTest}
          disabled={busy !== null || client === null}
        >
          Test connection
        </button>
        <span className="muted" data-testid="remote-breaker" data-state={breakerState}>
          Circuit breaker: {breakerState}
        </span>
      </div>
      {busy === 'test' && (
        <p role="status" className="muted">
          Testing the connection…
        </p>
      )}
      {report !== null && <ConnectionChecks report={report} />}
      <h3>Run</h3>
      <div className="toolbar">
        <label htmlFor={`${id}-route`}>Where</label>
        <select
          id={`${id}-route`}
          data-testid="remote-route"
          value={route}
          onChange={(e) => setRoute(e.currentTarget.value as Route)}
          disabled={busy !== null}
        >
          <option value="remote">remote</option>
          <option value="auto">auto</option>
          <option value="wasm">local WASM</option>
          <option value="webgpu">local WebGPU</option>
          <option value="shadow">shadow (local and remote, compared)</option>
        </select>
        <label>
          <input
            type="checkbox"
            data-testid="remote-fallback"
            checked={fallback}
            onChange={(e) => setFallback(e.currentTarget.checked)}
          />
          Fall back to local when the remote fails
        </label>
        <button type="button" onClick={() => setText(zerosJson(model, pins))} disabled={busy !== null}>
          Zeros
        </button>
        <button type="button" onClick={() => setText(randomJson(model, pins))} disabled={busy !== null}>
          Random inputs
        </button>
        <button type="button" data-testid="remote-run" onClick={onRun} disabled={busy !== null}>
          Run
        </button>
        <button
          type="button"
          data-testid="remote-cancel"
          onClick={() => abort.current?.abort()}
          disabled={busy !== 'run'}
        >
          Cancel
        </button>
      </div>
      <label htmlFor={`${id}-inputs`}>Inputs (JSON: each input name → an array)</label>
      <textarea
        id={`${id}-inputs`}
        data-testid="remote-inputs"
        rows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {busy === 'run' && (
        <p role="status" className="muted" data-testid="remote-running">
          Running…
        </p>
      )}
      {error !== null && (
        <div
          role="alert"
          className="error"
          data-testid="remote-error"
          data-code={error.code}
          data-kind={error.kind}
        >
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      {result !== null && <RemoteResultView result={result} />}
      <ShadowTable rows={shadow} />
      <RemoteLedger ledger={remoteLedger} />
    </section>
  );
}
