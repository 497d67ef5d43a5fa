import { useSyncExternalStore } from 'react';
import { Chart, type SeriesDef } from '../train/Chart';
import type { EgressLedger } from '../../engine/remote/egress';

export interface ShadowRow {
  readonly at: number;
  readonly localMs: number;
  readonly remoteMs: number;
  readonly maxAbsDiff: number;
  readonly transport: string;
}

const SHADOW_SERIES: readonly SeriesDef[] = [
  { label: 'local WASM (ms)', color: '#1f77b4', digits: 2 },
  { label: 'remote (ms)', color: '#d62728', dash: [6, 4], digits: 2 },
  { label: 'max |Δ|', color: '#2ca02c', dash: [2, 3], points: true, right: true, digits: 8 },
];

const kib = (n: number): string => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);

/** Shadow runs: local vs remote latency and the largest output difference, newest last. */
export function ShadowTable({ rows }: { rows: readonly ShadowRow[] }) {
  if (rows.length === 0) return null;
  return (
    <>
      <Chart
        testId="remote-shadow-chart"
        title="Shadow runs: latency and output difference"
        axes={{ x: 'shadow run', y: 'ms', y2: 'max |Δ|' }}
        series={SHADOW_SERIES}
        data={[
          rows.map((_, i) => i + 1),
          rows.map((r) => r.localMs),
          rows.map((r) => r.remoteMs),
          rows.map((r) => r.maxAbsDiff),
        ]}
      />
      <table className="remote-table" data-testid="remote-shadow">
        <caption>Shadow runs (local WASM vs remote)</caption>
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col">local ms</th>
            <th scope="col">remote ms</th>
            <th scope="col">tensors</th>
            <th scope="col">max |Δ|</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.at} data-testid="remote-shadow-row" data-max-diff={r.maxAbsDiff}>
              <td>{new Date(r.at).toLocaleTimeString()}</td>
              <td>{r.localMs.toFixed(2)}</td>
              <td>{r.remoteMs.toFixed(2)}</td>
              <td>{r.transport}</td>
              <td>{r.maxAbsDiff.toExponential(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The data-egress ledger: every inference request sent to a remote server, what it carried and where. */
export function RemoteLedger({ ledger }: { ledger: EgressLedger }) {
  // Re-render on every ledger change; the version number is the snapshot.
  useSyncExternalStore(
    (fn) => ledger.subscribe(fn),
    () => ledger.version,
  );
  const list = ledger.entries();
  return (
    <details className="remote-ledger" open={list.length > 0}>
      <summary>Data sent to remote servers ({list.length})</summary>
      <table className="remote-table" data-testid="remote-ledger">
        <thead>
          <tr>
            <th scope="col">time</th>
            <th scope="col">to</th>
            <th scope="col">tensors</th>
            <th scope="col">body</th>
            <th scope="col">sent</th>
            <th scope="col">outcome</th>
          </tr>
        </thead>
        <tbody>
          {list.map((e, i) => (
            <tr key={i} data-testid="remote-ledger-row" data-sends={e.sends} data-transport={e.transport}>
              <td>{new Date(e.at).toLocaleTimeString()}</td>
              <td>
                {e.origin}
                {e.path}
              </td>
              <td>
                {e.tensors
                  .map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}] ${kib(t.bytes)}`)
                  .join('; ')}
              </td>
              <td>
                {kib(e.bodyBytes)} ({e.transport})
              </td>
              <td>{e.sends}×</td>
              <td>{e.outcome}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
