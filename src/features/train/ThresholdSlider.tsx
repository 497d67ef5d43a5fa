import { useId, useState } from 'react';
import { figuresAt, GRID_STEPS } from '../../engine/train/curves';
import type { BinaryCurves } from '../../engine/train/run';
import { num, pct } from './format';

/**
 * A decision-threshold slider for a binary classifier: at threshold t, rows whose positive-class
 * probability is above t are predicted positive. Shows the confusion counts and figures there, from the
 * counts stored per 0.01 step (0.5 is the model's own rule, so it matches the confusion matrix).
 */
export function ThresholdSlider({
  curves,
  negative,
}: {
  curves: BinaryCurves;
  /** The negative class's label (classes[0]). */
  negative: string;
}) {
  const id = useId();
  const [t, setT] = useState(0.5);
  const f = figuresAt(curves, t);
  const pos = curves.positive;
  return (
    <section aria-labelledby={`${id}-title`} className="eval-section">
      <h3 id={`${id}-title`}>Decision threshold</h3>
      <div className="threshold">
        <label htmlFor={`${id}-t`}>
          Predict “{pos}” when its probability is above{' '}
          <output htmlFor={`${id}-t`}>{f.threshold.toFixed(2)}</output>
        </label>
        <input
          id={`${id}-t`}
          type="range"
          min={0}
          max={1}
          step={1 / GRID_STEPS}
          value={f.threshold}
          aria-valuetext={`${f.threshold.toFixed(2)}: precision ${num(f.precision, 3)}, recall ${num(f.recall, 3)}`}
          data-testid="train-threshold"
          onChange={(e) => setT(Number(e.currentTarget.value))}
        />
        <button type="button" className="link" onClick={() => setT(0.5)} disabled={f.threshold === 0.5}>
          Reset to 0.5
        </button>
      </div>
      <div
        className="threshold-figures"
        data-testid="train-threshold-figures"
        data-threshold={f.threshold}
        data-tp={f.tp}
        data-fp={f.fp}
        data-tn={f.tn}
        data-fn={f.fn}
        aria-live="polite"
      >
        <table className="confusion">
          <caption>Test rows at threshold {f.threshold.toFixed(2)}</caption>
          <thead>
            <tr>
              <td />
              <th scope="col">Predicted {negative}</th>
              <th scope="col">Predicted {pos}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Actual {negative}</th>
              <td className="hit">{f.tn} true negative</td>
              <td className={f.fp > 0 ? 'miss' : undefined}>{f.fp} false positive</td>
            </tr>
            <tr>
              <th scope="row">Actual {pos}</th>
              <td className={f.fn > 0 ? 'miss' : undefined}>{f.fn} false negative</td>
              <td className="hit">{f.tp} true positive</td>
            </tr>
          </tbody>
        </table>
        <dl className="facts">
          <dt>Precision</dt>
          <dd>{num(f.precision, 3)}</dd>
          <dt>Recall</dt>
          <dd>{num(f.recall, 3)}</dd>
          <dt>F1</dt>
          <dd>{num(f.f1, 3)}</dd>
          <dt>Accuracy</dt>
          <dd>{pct(f.accuracy)}</dd>
        </dl>
      </div>
    </section>
  );
}
