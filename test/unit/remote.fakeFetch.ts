/** A scripted fetch and clock for the remote client's tests: no network, no real waiting between retries. */
import type { RetryEnv, RetryPolicy } from '../../src/engine/remote/retry';

export type Step =
  Response | Error | 'hang' | ((url: string, init: RequestInit) => Response | Promise<Response>);

export interface FakeEnv extends RetryEnv {
  readonly calls: { url: string; init: RequestInit }[];
  readonly sleeps: number[];
  clock: number;
}

/** Replays `steps` in order, one per fetch; 'hang' waits until the attempt is aborted. */
export function fakeEnv(steps: Step[], random = 0.5): FakeEnv {
  const env: FakeEnv = {
    calls: [],
    sleeps: [],
    clock: 0,
    now: () => env.clock,
    random: () => random,
    sleep: (ms) => {
      env.sleeps.push(ms);
      env.clock += ms;
      return Promise.resolve();
    },
    fetch: (input, init = {}) => {
      const url = String(input instanceof Request ? input.url : input);
      env.calls.push({ url, init });
      const step = steps.shift();
      if (step === undefined) return Promise.reject(new Error(`unexpected fetch ${url}`));
      if (step === 'hang') {
        return new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
        );
      }
      if (step instanceof Error) return Promise.reject(step);
      if (typeof step === 'function') return Promise.resolve(step(url, init));
      return Promise.resolve(step);
    },
  };
  return env;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export const POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  budgetMs: 10_000,
  timeoutMs: 5000,
};
