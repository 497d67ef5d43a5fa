import { describe, expect, it } from 'vitest';
import { fetchWithRetry, RemoteError, retryAfterMs } from '../../src/engine/remote/retry';
import { fakeEnv, json, POLICY } from './remote.fakeFetch';

const run = (env: ReturnType<typeof fakeEnv>, policy = POLICY, signal?: AbortSignal) =>
  fetchWithRetry('http://h/v2/x', { method: 'POST' }, policy, env, signal);

describe('remote: retry policy', () => {
  it.each([429, 502, 503, 504])('retries HTTP %i and returns the success that follows', async (status) => {
    const env = fakeEnv([json(status, { error: 'busy' }), json(200, { ok: 1 })]);
    const { response, attempts } = await run(env);
    expect(response.status).toBe(200);
    expect(attempts).toBe(2);
    expect(env.calls).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 405, 413, 500, 501])('does not retry HTTP %i', async (status) => {
    const env = fakeEnv([json(status, { error: 'no' }), json(200, {})]);
    const { response, attempts } = await run(env);
    expect(response.status).toBe(status);
    expect(attempts).toBe(1);
    expect(env.calls).toHaveLength(1);
  });

  it('retries network errors (fetch TypeError) and gives up after maxAttempts with kind network', async () => {
    const env = fakeEnv([1, 2, 3, 4].map(() => new TypeError('Failed to fetch')));
    const e = await run(env).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).kind).toBe('network');
    expect((e as RemoteError).code).toBe('REMOTE_UNAVAILABLE');
    expect((e as RemoteError).attempts).toBe(4);
    expect(env.calls).toHaveLength(4);
  });

  it('backs off exponentially with full jitter below the ceiling', async () => {
    const env = fakeEnv([json(503, {}), json(503, {}), json(503, {}), json(200, {})], 0.5);
    await run(env);
    expect(env.sleeps).toEqual([50, 100, 200]); // 0.5 × 100·2^k
    const capped = fakeEnv([json(503, {}), json(503, {}), json(503, {}), json(200, {})], 0.999);
    await run(capped, { ...POLICY, maxDelayMs: 150 });
    expect(Math.max(...capped.sleeps)).toBeLessThanOrEqual(150);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const env = fakeEnv([json(429, {}, { 'Retry-After': '2' }), json(200, {})]);
    await run(env);
    expect(env.sleeps).toEqual([2000]);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(
      10_000,
    );
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('stops when the next wait would pass the total budget, naming Retry-After', async () => {
    const env = fakeEnv([json(503, {}, { 'Retry-After': '30' }), json(200, {})]);
    const e = (await run(env).catch((x: unknown) => x)) as RemoteError;
    expect(e.kind).toBe('budget');
    expect(e.status).toBe(503);
    expect(e.message).toMatch(/Retry-After asks 30000 ms.*10000 ms budget/);
    expect(env.calls).toHaveLength(1);
    expect(env.sleeps).toEqual([]);
  });

  it('a per-call timeout fails with kind timeout and is not retried', async () => {
    const env = fakeEnv(['hang', json(200, {})]);
    const e = (await run(env, { ...POLICY, timeoutMs: 20 }).catch((x: unknown) => x)) as RemoteError;
    expect(e.kind).toBe('timeout');
    expect(e.code).toBe('REMOTE_UNAVAILABLE');
    expect(env.calls).toHaveLength(1);
  });

  it('the user cancel is CANCELLED, distinct from a timeout, and stops retrying', async () => {
    const ctrl = new AbortController();
    const env = fakeEnv(['hang']);
    const p = run(env, POLICY, ctrl.signal);
    setTimeout(() => ctrl.abort(), 10);
    const e = (await p.catch((x: unknown) => x)) as RemoteError;
    expect(e.kind).toBe('cancelled');
    expect(e.code).toBe('CANCELLED');
    const before = new AbortController();
    before.abort();
    const env2 = fakeEnv([json(200, {})]);
    expect(((await run(env2, POLICY, before.signal).catch((x: unknown) => x)) as RemoteError).kind).toBe(
      'cancelled',
    );
    expect(env2.calls).toHaveLength(0);
  });
});
