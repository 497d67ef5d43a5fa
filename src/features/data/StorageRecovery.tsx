import { useState } from 'react';
import { terminateWorkers } from '../../bridge/clients';
import { deleteWorkbenchDb } from '../../db/open';
import type { SerializedError } from '../../lib/errors';

/**
 * Shown when the database cannot be opened at all (R13): what happened, a reload, and a reset that
 * deletes local storage after an explicit confirmation. Nothing in storage is readable in this state;
 * earlier exports (CSV, JSON Lines) can be imported again after a reset.
 */
export function StorageRecovery({ error }: { error: SerializedError }) {
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<'idle' | 'resetting' | 'blocked' | 'failed'>('idle');
  const reset = async (): Promise<void> => {
    setStatus('resetting');
    terminateWorkers();
    try {
      await deleteWorkbenchDb({ onBlocked: () => setStatus('blocked') });
      window.location.reload();
    } catch {
      setStatus('failed');
    }
  };
  return (
    <div role="alert" className="panel error" data-testid="storage-recovery">
      <h2>Local storage cannot be opened</h2>
      <p>{error.message}</p>
      {(error.details ?? []).length > 0 && <p className="muted">{error.details?.join(' · ')}</p>}
      <p>
        Your datasets live in this browser’s storage, which the workbench cannot open right now. Reloading may
        help (for example after closing other workbench tabs). If it keeps failing, reset the storage: this
        deletes every dataset kept in this browser. Files you exported earlier can be imported again.
      </p>
      <div className="toolbar">
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="danger"
              onClick={() => void reset()}
              disabled={status === 'resetting'}
            >
              Delete all local datasets and reset
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Reset storage…
          </button>
        )}
      </div>
      {status === 'blocked' && <p>Another workbench tab is still open: close it to finish the reset.</p>}
      {status === 'failed' && <p>The reset failed. Clear this site’s data in the browser settings.</p>}
    </div>
  );
}
