import { useStore } from 'zustand';
import { trainStore } from '../../state/trainStore';
import { discardInterrupted, resumeInterrupted } from './actions';

/** Runs a reload or a crash interrupted: each can be resumed from its last checkpoint, or discarded. */
export function Interrupted({ disabled }: { disabled: boolean }) {
  const interrupted = useStore(trainStore, (s) => s.interrupted);
  if (interrupted.length === 0) return null;
  return (
    <ul className="notices" data-testid="train-interrupted" data-count={interrupted.length}>
      {interrupted.map((r) => (
        <li key={r.runId} className="notice warning" data-run={r.runId} data-epoch={r.epoch}>
          An interrupted run can be resumed: <strong>{r.name}</strong> at epoch {r.epoch}/{r.epochs}{' '}
          <button
            type="button"
            data-testid="train-resume-run"
            disabled={disabled}
            onClick={() => void resumeInterrupted(r.runId)}
          >
            Resume
          </button>{' '}
          <button
            type="button"
            className="danger"
            data-testid="train-discard-run"
            disabled={disabled}
            onClick={() => void discardInterrupted(r.runId)}
          >
            Discard
          </button>
        </li>
      ))}
    </ul>
  );
}
