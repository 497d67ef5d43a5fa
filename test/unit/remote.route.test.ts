/** Routing decisions of the Remote panel: auto's choice and reasons, output differences, errors passed on. */
import { describe, expect, it } from 'vitest';
import type { PlainTensor } from '../../src/engine/infer/tensors';
import { CircuitBreaker } from '../../src/engine/remote/breaker';
import { OipClient } from '../../src/engine/remote/oipClient';
import {
  AUTO_REMOTE_BYTES,
  chooseAuto,
  maxAbsDiff,
  runRouted,
  type RouteInput,
} from '../../src/features/deploy/remoteActions';
import { fakeEnv, json, POLICY, type Step } from './remote.fakeFetch';

const f32 = (v: number[]): PlainTensor => ({ type: 'float32', dims: [v.length], data: Float32Array.from(v) });

function input(
  steps: Step[],
  over: Partial<RouteInput> = {},
  breaker = new CircuitBreaker(3, 1000, () => 0),
): RouteInput {
  return {
    route: 'auto',
    modelId: 'id',
    modelBytes: 1000,
    remoteName: 'm',
    version: '',
    transport: 'json',
    client: new OipClient({ baseUrl: 'http://127.0.0.1:8000', env: fakeEnv(steps), policy: POLICY, breaker }),
    fallback: false,
    localMs: null,
    remoteMs: null,
    signal: new AbortController().signal,
    ...over,
  };
}

describe('remote: routing', () => {
  it('auto: remote when healthy and unmeasured; the faster side once measured; big models remote', () => {
    expect(chooseAuto(input([]))).toMatchObject({
      remote: true,
      why: expect.stringMatching(/no latency measured/) as string,
    });
    expect(chooseAuto(input([], { localMs: 2, remoteMs: 9 }))).toMatchObject({
      remote: false,
      why: expect.stringMatching(/local measured faster/) as string,
    });
    expect(chooseAuto(input([], { localMs: 9, remoteMs: 2 })).remote).toBe(true);
    expect(chooseAuto(input([], { localMs: 1, remoteMs: 9, modelBytes: AUTO_REMOTE_BYTES + 1 })).remote).toBe(
      true,
    );
    expect(chooseAuto(input([], { client: null }))).toMatchObject({
      remote: false,
      why: expect.stringMatching(/no endpoint/) as string,
    });
  });

  it('auto stays local while the breaker is open, and says so', () => {
    const b = new CircuitBreaker(1, 30_000, () => 0);
    b.failure();
    expect(chooseAuto(input([], {}, b))).toMatchObject({
      remote: false,
      why: expect.stringMatching(/circuit breaker \(30 s left\)/) as string,
    });
  });

  it('a remote run returns the remote outputs; without fallback a failure is passed on as is', async () => {
    const ok = await runRouted(
      input(
        [json(200, { model_name: 'm', outputs: [{ name: 'y', datatype: 'FP32', shape: [1], data: [3] }] })],
        { route: 'remote' },
      ),
      { x: f32([1]) },
    );
    expect(ok).toMatchObject({ ran: 'remote', transport: 'json', attempts: 1, fallback: null });
    expect(Array.from(ok.outputs.y!.data as Float32Array)).toEqual([3]);
    await expect(
      runRouted(input([json(400, { error: 'bad input' })], { route: 'remote', fallback: true }), {
        x: f32([1]),
      }),
    ).rejects.toThrow(/HTTP 400: bad input/); // a request error is not an outage: no fallback
  });

  it('max |Δ| over outputs: NaN equals NaN, a shape mismatch or a one-sided NaN is infinite', () => {
    expect(maxAbsDiff({ y: f32([1, 2, NaN]) }, { y: f32([1.5, 2, NaN]) })).toBe(0.5);
    expect(maxAbsDiff({ y: f32([1, 2]) }, { y: f32([1]) })).toBe(Infinity);
    expect(maxAbsDiff({ y: f32([NaN]) }, { y: f32([0]) })).toBe(Infinity);
    expect(
      maxAbsDiff(
        { s: { type: 'string', dims: [1], data: ['a'] } },
        { s: { type: 'string', dims: [1], data: ['a'] } },
      ),
    ).toBe(0);
  });
});
