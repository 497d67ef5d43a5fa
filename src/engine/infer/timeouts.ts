/**
 * Watchdog limits for calls on the inference worker (see `inferCall` in src/bridge/clients.ts). An untrusted
 * model may hang inside onnxruntime; past these limits its worker is stopped and the call fails MODEL_REJECTED.
 */

/** Creating a session (parsing, optimising and uploading the model). */
export const LOAD_TIMEOUT_MS = 120_000;
/** One run of a loaded session. */
export const RUN_TIMEOUT_MS = 60_000;

export type InferCallKind = 'load' | 'run';

declare global {
  interface Window {
    /**
     * Test-only: when set, a positive number of ms replaces both watchdog limits, or `{ load, run }` replaces
     * the ones it names.
     */
    __WORKBENCH_INFER_TIMEOUT_MS__?: number | Partial<Record<InferCallKind, number>>;
  }
}

/** The watchdog limit for a call of this kind; the test override wins only when it is set. */
export function timeoutFor(kind: InferCallKind): number {
  const override = typeof window === 'undefined' ? undefined : window.__WORKBENCH_INFER_TIMEOUT_MS__;
  const ms = typeof override === 'number' ? override : override?.[kind];
  if (typeof ms === 'number' && Number.isFinite(ms) && ms > 0) return ms;
  return kind === 'load' ? LOAD_TIMEOUT_MS : RUN_TIMEOUT_MS;
}
