import type { StartedInfo as Started } from '../../state/trainStore';
import { BACKEND_LABELS } from './format';

/** What the run is doing: the backend that runs it (and why, after a fallback), features, rows, notices. */
export function StartedInfo({ info }: { info: Started }) {
  const rows = info.rows;
  return (
    <section aria-labelledby="started-title" className="panel" data-testid="train-started">
      <h2 id="started-title">This run</h2>
      <p>
        <strong className="badge" data-testid="train-ran-on" data-backend={info.backend}>
          Running on {BACKEND_LABELS[info.backend]}
        </strong>{' '}
        <span className="muted">
          {info.task} · {info.parameters.toLocaleString('en-US')} parameters · {info.stepsPerEpoch} steps per
          epoch
        </span>
      </p>
      {info.fallbackReason !== null && (
        <p className="notice warning" data-testid="train-fallback">
          Not the backend asked for: {info.fallbackReason}
        </p>
      )}
      <p
        data-testid="train-rows"
        data-train={rows.train}
        data-validation={rows.validation}
        data-test={rows.test}
      >
        Rows: train {rows.train.toLocaleString('en-US')} · validation{' '}
        {rows.validation.toLocaleString('en-US')} · test {rows.test.toLocaleString('en-US')}
      </p>
      <p data-testid="train-features" data-count={info.features.length}>
        <strong>
          {info.features.length} feature{info.features.length === 1 ? '' : 's'}:
        </strong>{' '}
        <span className="muted">{info.features.join(', ')}</span>
      </p>
      {info.classes.length > 0 && <p className="muted">Classes: {info.classes.join(', ')}</p>}
      <ul className="notices" data-testid="train-notices" data-count={info.notices.length}>
        {info.notices.map((n, i) => (
          <li key={i} className="notice info">
            {n}
          </li>
        ))}
      </ul>
    </section>
  );
}
