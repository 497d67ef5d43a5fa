import { WorkbenchError } from '../../lib/errors';

/**
 * Runs `fn` inside validation and out-of-memory error scopes and throws a coded error if either
 * caught something. Both are needed: an oversized createBuffer is a *validation* error, not OOM.
 */
export async function withErrorScopes<T>(
  device: GPUDevice,
  label: string,
  fn: () => T | Promise<T>,
): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const outcome = await Promise.resolve()
    .then(fn)
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const oom = await device.popErrorScope();
  const validation = await device.popErrorScope();
  if (oom !== null) throw new WorkbenchError('GPU_OUT_OF_MEMORY', `${label}: ${oom.message}`);
  if (validation !== null) throw new WorkbenchError('GPU_VALIDATION', `${label}: ${validation.message}`);
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
