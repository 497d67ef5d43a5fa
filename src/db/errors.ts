import { WorkbenchError } from '../lib/errors';

/** `Name: message` of anything thrown, for messages and details. */
export function describeError(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'name' in e && 'message' in e) {
    return `${String(e.name)}: ${String(e.message)}`;
  }
  return String(e);
}

function errorName(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : undefined;
}

/**
 * Maps a failed storage operation to a WorkbenchError. `txError` is the transaction's own error, which is
 * preferred (R8: a quota failure at commit leaves every request successful and only `tx.error` set).
 */
export function storageError(
  e: unknown,
  txError: unknown,
  what: string,
  verb: 'save' | 'read' = 'save',
): WorkbenchError {
  if (e instanceof WorkbenchError) return e;
  const cause = txError ?? e;
  const detail = describeError(cause);
  const name = errorName(cause);
  const notDone = verb === 'save' ? 'was not saved' : 'could not be read';
  if (name === 'QuotaExceededError') {
    return new WorkbenchError(
      'QUOTA_EXCEEDED',
      `Browser storage is full: ${what} ${notDone}. Earlier data is intact.`,
      [detail],
    );
  }
  if (name === 'InvalidStateError') {
    // The connection was closed: another tab upgraded the database, or the browser terminated it.
    return new WorkbenchError(
      'STORAGE_UNAVAILABLE',
      `The storage connection is closed (the workbench may have been updated in another tab): ${what} ${notDone}. Reload this tab.`,
      [detail],
    );
  }
  return new WorkbenchError('INTERNAL', `Storage failed: ${what} ${notDone} (${detail}).`, [detail]);
}
