import type { DriftRun } from '../../engine/monitor/service';
import { fmtP } from '../../engine/monitor/report';
import { DriftChart } from './DriftChart';
import { PredictionTable } from './PredictionTable';

const VERDICT_TEXT = { ok: 'no drift', warn: 'warning', drift: 'drift' } as const;

/** A drift report: verdict, where it ran, warnings, the per-feature chart and table. */
export function DriftPanel({ run }: { run: DriftRun }) {
  const flagged = run.features.filter((f) => f.verdict !== 'ok');
  const s = run.settings;
  return (
    <section
      className="panel"
      aria-labelledby="drift-title"
      data-testid="drift-report"
      data-backend={run.backend}
      data-overall={run.overall}
      data-flagged={flagged.map((f) => f.feature).join(',')}
    >
      <h2 id="drift-title">
        Drift of {run.sourceName} against run “{run.runName}”: {VERDICT_TEXT[run.overall]}
      </h2>
      <p data-testid="drift-backend">
        Computed on <strong>{run.backend === 'webgpu' ? 'WebGPU' : 'the CPU'}</strong>
        {run.adapter !== null ? ` (${run.adapter.vendor} ${run.adapter.architecture})` : ''}
        {run.fallbackReason !== null ? ` — ${run.fallbackReason}` : ''} in {run.wallMs.toFixed(0)} ms ·{' '}
        {run.rows.reference} training rows vs {run.rows.compared} rows · KS{' '}
        {run.ksMethod === 'exact' ? 'exact on values' : 'between binned CDFs (training values gone)'}.
      </p>
      <p className="muted">
        {flagged.length} of {run.features.length} features flagged. A feature drifts when its KS p-value,
        Benjamini–Hochberg corrected across the features, is below {s.alpha} and its PSI is at least{' '}
        {s.psiDrift} (warning from {s.psiWarn}); empty bins count as {s.psiEpsilon}.
      </p>
      {run.warnings.length > 0 && (
        <ul className="notices" data-testid="drift-warnings">
          {run.warnings.map((w) => (
            <li key={w} className="notice warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <DriftChart features={run.features} />
      {run.prediction !== null && <PredictionTable drift={run.prediction} />}
      <table data-testid="drift-table">
        <caption>Per-feature drift</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col">PSI</th>
            <th scope="col">KS D</th>
            <th scope="col">p</th>
            <th scope="col">Corrected p</th>
            <th scope="col">Mean shift (σ)</th>
            <th scope="col">Outside range</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {run.features.map((f) => (
            <tr
              key={f.feature}
              data-feature={f.feature}
              data-verdict={f.verdict}
              data-psi={f.psi}
              data-ks={f.ks}
              data-p-adjusted={f.pAdjusted}
            >
              <th scope="row">{f.feature}</th>
              <td>{f.psi.toFixed(3)}</td>
              <td>{f.ks.toFixed(3)}</td>
              <td>{fmtP(f.p)}</td>
              <td>{fmtP(f.pAdjusted)}</td>
              <td>{f.meanShift.toFixed(2)}</td>
              <td>{(f.outOfRange * 100).toFixed(1)} %</td>
              <td className={`verdict-${f.verdict}`}>{VERDICT_TEXT[f.verdict]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
