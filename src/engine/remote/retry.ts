/**
 * One HTTP call with a per-attempt timeout (distinct from the caller's cancel signal) and retries only where
 * another try can help: network errors, 429 and 502–504, with full-jitter exponential backoff that honours
 * `Retry-After`, all within a total time budget. Timeouts are not retried: the server may still be working.
 */
import { WorkbenchError } from '../../lib/errors';

/** Why a remote call failed. */
export type RemoteFailure = 'network' | 'timeout' | 'http' | 'budget' | 'cancelled' | 'breaker' | 'protocol';

/** A failed remote call: the kind, the last HTTP status (if any), the attempts made. */
export class RemoteError extends WorkbenchError {
  readonly kind: RemoteFailure;
  readonly status: number | null;
  readonly attempts: number;

  constructor(
    kind: RemoteFailure,
    message: string,
    opts: { status?: number | null; attempts?: number } = {},
  ) {
    super(kind === 'cancelled' ? 'CANCELLED' : 'REMOTE_UNAVAILABLE', message);
    this.kind = kind;
    this.status = opts.status ?? null;
    this.attempts = opts.attempts ?? 0;
  }
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** First backoff ceiling; doubles per retry (full jitter: a random delay below the ceiling). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Total time for all attempts and waits. */
  readonly budgetMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  budgetMs: 20_000,
  timeoutMs: 15_000,
};

/** What the retry loop needs from its surroundings (injected in tests). */
export interface RetryEnv {
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly random: () => number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Sleeps `ms`, rejecting early with CANCELLED if `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new RemoteError('cancelled', 'Cancelled.'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new RemoteError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const browserEnv = (): RetryEnv => ({
  fetch: (input, init) => globalThis.fetch(input, init),
  now: () => performance.now(),
  random: Math.random,
  sleep,
});

/** Statuses worth another try. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | null, nowEpochMs = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowEpochMs);
}

/** The result of a call: the response (any status not retried) and the attempts it took. */
export interface Attempted {
  readonly response: Response;
  readonly attempts: number;
}

/**
 * Fetches `url` under `policy`. Resolves with the first non-retryable response (2xx or not); rejects with a
 * RemoteError when the network fails for good, a retryable status persists, the budget runs out, an attempt
 * times out, or `signal` (the user's cancel) aborts. `onAttempt` sees each attempt before it is sent.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  env: RetryEnv,
  signal?: AbortSignal,
  onAttempt?: (attempt: number) => void,
): Promise<Attempted> {
  const start = env.now();
  const deadline = start + policy.budgetMs;
  let last = '';
  let lastStatus: number | null = null;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new RemoteError('cancelled', 'Cancelled.', { attempts: attempt - 1 });
    const ctrl = new AbortController();
    let timedOut = false;
    const attemptMs = Math.min(policy.timeoutMs, Math.max(1, deadline - env.now()));
    const timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, attemptMs);
    const onCancel = (): void => ctrl.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    let retryDelay: number | null = null;
    onAttempt?.(attempt);
    try {
      const response = await env.fetch(url, { ...init, signal: ctrl.signal });
      if (!RETRYABLE_STATUS.has(response.status)) return { response, attempts: attempt };
      lastStatus = response.status;
      last = `HTTP ${response.status}`;
      retryDelay = retryAfterMs(response.headers.get('Retry-After'));
      await response.body?.cancel().catch(() => undefined);
    } catch (e) {
      if (signal?.aborted) throw new RemoteError('cancelled', 'Cancelled.', { attempts: attempt });
      if (timedOut) {
        throw new RemoteError('timeout', `No answer within ${attemptMs} ms (per-call timeout).`, {
          attempts: attempt,
        });
      }
      // fetch rejects with a TypeError for network failures, CORS refusals and blocked requests alike.
      lastStatus = null;
      last = `network error (${e instanceof Error ? e.message : String(e)})`;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCancel);
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const delay = retryDelay ?? env.random() * ceiling;
    const kind = lastStatus === null ? 'network' : 'http';
    if (attempt >= policy.maxAttempts) {
      throw new RemoteError(kind, `Gave up after ${attempt} attempts: ${last}.`, {
        status: lastStatus,
        attempts: attempt,
      });
    }
    if (env.now() + delay >= deadline) {
      throw new RemoteError(
        'budget',
        `Gave up after ${attempt} attempt(s): ${last}; ${retryDelay !== null ? `Retry-After asks ${Math.round(delay)} ms, ` : ''}beyond the ${policy.budgetMs} ms budget.`,
        { status: lastStatus, attempts: attempt },
      );
    }
    await env.sleep(delay, signal);
  }
}
