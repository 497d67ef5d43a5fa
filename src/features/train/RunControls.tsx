import { useStore } from 'zustand';
import type { TrainConfig } from '../../engine/train/spec';
import { USER_MESSAGES } from '../../lib/errors';
import { trainStore, type TrainStatus } from '../../state/trainStore';
import { cancelTraining, pauseTraining, resumeTraining, startTraining } from './actions';
import { Interrupted } from './Interrupted';

const STATUS_TEXT: Readonly<Record<TrainStatus, string>> = {
  idle: 'Ready to train.',
  running: 'Training…',
  paused: 'Paused.',
  evaluating: 'Evaluating on the test rows…',
  done: 'Finished.',
  error: 'The run failed.',
};

/** Train, Pause / Resume, Cancel; the run's status and error. */
export function RunControls({ config, issues }: { config: TrainConfig; issues: readonly string[] }) {
  const status = useStore(trainStore, (s) => s.live.status);
  const last = useStore(trainStore, (s) => s.last);
  const error = useStore(trainStore, (s) => s.error);
  const epochs = useStore(trainStore, (s) => s.live.epochs.length);
  const active = status === 'running' || status === 'paused' || status === 'evaluating';
  const doneText =
    status === 'done' && last !== null ? `Finished: ${last.status.replace('-', ' ')}.` : STATUS_TEXT[status];
  return (
    <section aria-labelledby="train-run-title" className="panel" aria-busy={active}>
      <h2 id="train-run-title">Run</h2>
      <div className="toolbar">
        <button
          type="button"
          data-testid="train-start"
          disabled={active || issues.length > 0}
          onClick={() => void startTraining(config)}
        >
          Train
        </button>
        <button
          type="button"
          data-testid="train-pause"
          disabled={status !== 'running'}
          onClick={() => void pauseTraining()}
        >
          Pause
        </button>
        <button
          type="button"
          data-testid="train-resume"
          disabled={status !== 'paused'}
          onClick={() => void resumeTraining()}
        >
          Resume
        </button>
        <button
          type="button"
          className="danger"
          data-testid="train-cancel"
          disabled={!active}
          onClick={() => void cancelTraining()}
        >
          Cancel
        </button>
        <span role="status" data-testid="train-status" data-status={status} data-epochs={epochs}>
          {doneText}
        </span>
      </div>
      <Interrupted disabled={active} />
      {issues.length > 0 && !active && (
        <div className="step-issues" data-testid="train-issues" data-count={issues.length}>
          <p>To train, fix:</p>
          <ul>
            {issues.map((x) => (
              <li key={x}>{x}</li>
            ))}
          </ul>
        </div>
      )}
      {error !== null && (
        <div role="alert" className="panel error" data-testid="train-error" data-code={error.code}>
          <p>{error.message}</p>
          {(error.details ?? []).length > 0 && <p>{error.details?.join(' · ')}</p>}
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
    </section>
  );
}
