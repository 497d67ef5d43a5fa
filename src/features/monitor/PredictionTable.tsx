import type { PredictionDrift } from '../../engine/monitor/predictionDrift';
import { fmtP } from '../../engine/monitor/report';

const VERDICT_TEXT = { ok: 'no drift', warn: 'warning', drift: 'drift' } as const;

/** Predicted classes of the logged rows against the run's test-split predictions. */
export function PredictionTable({ drift }: { drift: PredictionDrift }) {
  const share = (xs: readonly number[], j: number): string => {
    const n = xs.reduce((a, b) => a + b, 0);
    return `${((xs[j]! / n) * 100).toFixed(1)} %`;
  };
  return (
    <table data-testid="drift-predictions" data-verdict={drift.verdict} data-psi={drift.psi} data-p={drift.p}>
      <caption>
        Predictions: PSI {drift.psi.toFixed(3)}, χ² {drift.chi2.toFixed(2)} ({drift.df} df), p {fmtP(drift.p)}{' '}
        — {VERDICT_TEXT[drift.verdict]}
      </caption>
      <thead>
        <tr>
          <th scope="col">Predicted class</th>
          <th scope="col">Test split (run)</th>
          <th scope="col">Logged</th>
        </tr>
      </thead>
      <tbody>
        {drift.classes.map((c, j) => (
          <tr key={c}>
            <th scope="row">{c}</th>
            <td>
              {drift.reference[j]} ({share(drift.reference, j)})
            </td>
            <td>
              {drift.current[j]} ({share(drift.current, j)})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
