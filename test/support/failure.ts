import { expect } from 'vitest';
import { WorkbenchError } from '../../src/lib/errors';

/** Awaits a promise that must reject with a WorkbenchError, and returns that error. */
export async function failure(p: Promise<unknown>): Promise<WorkbenchError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  return e as WorkbenchError;
}
