import { transferHandlers, type TransferHandler } from 'comlink';
import { isSerializedError, toWorkbenchError, WorkbenchError, type SerializedError } from '../lib/errors';

interface ThrownValue {
  value: unknown;
}

/** Comlink marks a thrown value with a private symbol described 'Comlink.thrown'. */
function isThrown(v: unknown): v is ThrownValue {
  return (
    typeof v === 'object' &&
    v !== null &&
    Object.getOwnPropertySymbols(v).some((s) => s.description === 'Comlink.thrown')
  );
}

/**
 * Comlink's default 'throw' handler keeps only name/message/stack; this one keeps the error code,
 * so a WorkbenchError thrown in a worker is a WorkbenchError with the same code on the main thread.
 */
const throwHandler: TransferHandler<ThrownValue, SerializedError> = {
  canHandle: isThrown,
  serialize: ({ value }) => [toWorkbenchError(value).toJSON(), []],
  deserialize: (s) => {
    throw isSerializedError(s) ? new WorkbenchError(s.code, s.message, s.details ?? []) : toWorkbenchError(s);
  },
};

/** Replaces comlink's 'throw' transfer handler with the code-preserving one. Install on both sides. */
export function installErrorTransfer(): void {
  transferHandlers.set('throw', throwHandler);
}
