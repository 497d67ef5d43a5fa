import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { ClassificationEval } from '../../engine/train/run';
import { trainStore } from '../../state/trainStore';
import { MissGallery } from './MissGallery';

/**
 * The confusion matrix as a table (rows: actual, columns: predicted). A non-diagonal cell with rows is a
 * button that lists those misclassified test rows.
 */
export function Confusion({
  evaluation,
  classes,
}: {
  evaluation: ClassificationEval;
  classes: readonly string[];
}) {
  const [pick, setPick] = useState<{ actual: string; predicted: string } | null>(null);
  const datasetId = useStore(trainStore, (s) => s.last?.datasetId ?? null);
  const misses = useMemo(
    () =>
      pick === null
        ? []
        : evaluation.misses.filter((m) => m.actual === pick.actual && m.predicted === pick.predicted),
    [evaluation.misses, pick],
  );
  return (
    <>
      <div className="chart-table" tabIndex={0} role="region" aria-label="Confusion matrix">
        <table data-testid="train-confusion" className="confusion">
          <caption>Confusion matrix on the test rows (rows: actual class, columns: predicted class)</caption>
          <thead>
            <tr>
              <td />
              {classes.map((c) => (
                <th scope="col" key={c}>
                  Predicted {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {evaluation.confusion.map((row, i) => {
              const actual = classes[i] ?? String(i);
              return (
                <tr key={actual}>
                  <th scope="row">Actual {actual}</th>
                  {row.map((n, j) => {
                    const predicted = classes[j] ?? String(j);
                    const selected = pick?.actual === actual && pick.predicted === predicted;
                    return (
                      <td
                        key={predicted}
                        className={i === j ? 'hit' : n > 0 ? 'miss' : undefined}
                        data-actual={actual}
                        data-predicted={predicted}
                        data-count={n}
                      >
                        {i !== j && n > 0 ? (
                          <button
                            type="button"
                            className="link cell"
                            aria-pressed={selected}
                            aria-label={`${n} rows of ${actual} predicted as ${predicted}: list them`}
                            onClick={() => setPick(selected ? null : { actual, predicted })}
                          >
                            {n}
                          </button>
                        ) : (
                          n
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {datasetId !== null && (
        <MissGallery datasetId={datasetId} misses={pick === null ? evaluation.misses : misses} />
      )}
      <div aria-live="polite" data-testid="train-misses" data-count={misses.length}>
        {pick !== null && (
          <table>
            <caption>
              {misses.length} test row{misses.length === 1 ? '' : 's'} of {pick.actual} predicted as{' '}
              {pick.predicted}
              {evaluation.misses.length >= 500 ? ' (among the first 500 misclassified rows kept)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Actual</th>
                <th scope="col">Predicted</th>
              </tr>
            </thead>
            <tbody>
              {misses.map((m) => (
                <tr key={m.row}>
                  <th scope="row">{m.row}</th>
                  <td>{m.actual}</td>
                  <td>{m.predicted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
