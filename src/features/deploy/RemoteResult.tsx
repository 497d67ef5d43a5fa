import type { ConnectionReport } from '../../engine/remote/diagnose';
import { numbersOf } from '../../engine/infer/tensors';
import type { RouteResult } from './remoteActions';

/** Values shown per output (the rest is left out). */
const SHOWN = 1000;

/** The connection test's checks, each with its status and what to do. */
export function ConnectionChecks({ report }: { report: ConnectionReport }) {
  return (
    <ul className="remote-checks" data-testid="remote-checks" data-ok={report.ok ? 'true' : 'false'}>
      {report.checks.map((c) => (
        <li key={c.id} data-check={c.id} data-status={c.status}>
          <strong>{c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✗'}</strong> {c.message}
        </li>
      ))}
    </ul>
  );
}

/** Where a run went, why, how long it took, a fallback's cause, and its outputs. */
export function RemoteResultView({ result }: { result: RouteResult }) {
  return (
    <div
      data-testid="remote-result"
      data-ran={result.ran}
      data-transport={result.transport ?? ''}
      data-attempts={result.attempts}
    >
      <p>
        Ran{' '}
        {result.ran === 'remote'
          ? `remotely (${result.transport}, ${result.attempts} attempt(s))`
          : `locally on ${result.ran}`}{' '}
        in {result.ms.toFixed(1)} ms — {result.why}
      </p>
      {result.fallback !== null && (
        <p className="error" data-testid="remote-fallback-note">
          Remote failed: {result.fallback}
        </p>
      )}
      {Object.entries(result.outputs).map(([name, t]) => (
        <div key={name}>
          <h4>
            {name} {t.type} [{t.dims.join(', ')}]
          </h4>
          <pre data-testid={`remote-output-${name}`}>
            {JSON.stringify(
              t.type === 'string' ? (t.data as string[]).slice(0, SHOWN) : numbersOf(t.data, SHOWN),
            )}
          </pre>
        </div>
      ))}
    </div>
  );
}
