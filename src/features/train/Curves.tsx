import { useMemo } from 'react';
import type { BinaryCurves } from '../../engine/train/run';
import { Chart, type ChartData, type SeriesDef } from './Chart';
import { DASHED, PALETTE, num } from './format';

const ROC: readonly SeriesDef[] = [
  { label: 'True positive rate', color: PALETTE.blue, digits: 3 },
  { label: 'Chance (random guess)', color: PALETTE.vermillion, dash: DASHED, digits: 3 },
];
const PR: readonly SeriesDef[] = [
  { label: 'Precision', color: PALETTE.blue, digits: 3 },
  { label: 'Always positive (positive rate)', color: PALETTE.vermillion, dash: DASHED, digits: 3 },
];

/**
 * ROC and precision–recall curves of a binary classifier on the test rows, with AUC and average precision.
 * Each starts where no row is predicted positive: ROC at (0, 0), PR at recall 0, precision 1.
 */
export function Curves({ curves }: { curves: BinaryCurves }) {
  const { roc, pr } = useMemo(() => {
    const { tp, fp, positives, negatives } = curves;
    const fpr = [0, ...fp.map((v) => v / negatives)];
    const tpr = [0, ...tp.map((v) => v / positives)];
    const rate = positives / (positives + negatives);
    const precision = [1, ...tp.map((v, k) => v / (v + fp[k]!))];
    return {
      roc: [fpr, tpr, fpr] as ChartData,
      pr: [tpr, precision, tpr.map(() => rate)] as ChartData,
    };
  }, [curves]);
  return (
    <section aria-labelledby="eval-curves-title" className="eval-section">
      <h3 id="eval-curves-title">ROC and precision–recall (positive class “{curves.positive}”)</h3>
      <p data-testid="train-auc" data-auc={curves.auc} data-ap={curves.averagePrecision}>
        ROC AUC <strong>{num(curves.auc, 3)}</strong> · average precision{' '}
        <strong>{num(curves.averagePrecision, 3)}</strong>{' '}
        <span className="muted">
          ({curves.positives} positive and {curves.negatives} negative test rows; 0.5 is a random guess for
          AUC)
        </span>
      </p>
      <div className="charts">
        <Chart
          testId="train-roc"
          title="ROC curve on the test rows"
          axes={{ x: 'False positive rate', y: 'True positive rate' }}
          series={ROC}
          data={roc}
        />
        <Chart
          testId="train-pr"
          title="Precision–recall curve on the test rows"
          axes={{ x: 'Recall', y: 'Precision' }}
          series={PR}
          data={pr}
        />
      </div>
    </section>
  );
}
