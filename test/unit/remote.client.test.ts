/** The OIP client against a scripted fetch: request contract (OpenAPI schemas), token, ledger, breaker. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/engine/remote/breaker';
import { normaliseEndpoint, OipClient } from '../../src/engine/remote/oipClient';
import { type RemoteError } from '../../src/engine/remote/retry';
import { fakeEnv, json, POLICY, type Step } from './remote.fakeFetch';
import { binaryRequestHeader, errorsOf, schema } from './oip.schemas';
import type { PlainTensor } from '../../src/engine/infer/tensors';

const x: PlainTensor = { type: 'float32', dims: [1, 3], data: Float32Array.from([1, 2, 3]) };
const answer = (): Response =>
  json(200, {
    model_name: 'm',
    outputs: [{ name: 'y', datatype: 'FP32', shape: [1, 2], data: [0.5, -1] }],
  });

function client(steps: Step[], extra: Partial<ConstructorParameters<typeof OipClient>[0]> = {}) {
  const env = fakeEnv(steps);
  const c = new OipClient({
    baseUrl: 'https://infer.example/prefix/v2/',
    token: 'tok',
    policy: POLICY,
    env,
    ...extra,
  });
  return { c, env };
}

describe('remote: OIP client', () => {
  it('normalises endpoints and refuses credentials in the URL', () => {
    expect(normaliseEndpoint('http://127.0.0.1:8000/v2/?x=1#y').href).toBe('http://127.0.0.1:8000/');
    expect(new OipClient({ baseUrl: 'http://127.0.0.1:8000' }).url('/health/live')).toBe(
      'http://127.0.0.1:8000/v2/health/live',
    );
    expect(new OipClient({ baseUrl: 'https://h/kserve/v2' }).url('')).toBe('https://h/kserve/v2');
    expect(() => normaliseEndpoint('ftp://h')).toThrow(/http or https/);
    expect(() => normaliseEndpoint('https://u:p@h')).toThrow(/token field/);
    expect(() => normaliseEndpoint('not a url')).toThrow(/not a URL/);
  });

  it('sends a schema-valid JSON inference request with the token, no cookies, no redirects', async () => {
    const { c, env } = client([answer()]);
    const r = await c.infer('m', { x }, { transport: 'json', version: '3' });
    const call = env.calls[0]!;
    expect(call.url).toBe('https://infer.example/prefix/v2/models/m/versions/3/infer');
    const body = JSON.parse(call.init.body as string) as unknown;
    expect(schema('inference_request')(body), errorsOf(schema('inference_request'))).toBe(true);
    expect(body).toEqual({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] });
    expect(call.init.headers).toMatchObject({
      Authorization: 'Bearer tok',
      'Content-Type': 'application/json',
    });
    expect(call.init.credentials).toBe('omit');
    expect(call.init.redirect).toBe('error');
    expect(Array.from(r.outputs.y!.data as Float32Array)).toEqual([0.5, -1]);
    expect(r.transport).toBe('json');
  });

  it('sends binary tensors with Inference-Header-Content-Length and reads a binary answer', async () => {
    const head = new TextEncoder().encode(
      JSON.stringify({
        model_name: 'm',
        outputs: [{ name: 'y', datatype: 'FP32', shape: [2], parameters: { binary_data_size: 8 } }],
      }),
    );
    const out = new Uint8Array(head.byteLength + 8);
    out.set(head);
    out.set(new Uint8Array(Float32Array.from([4, 5]).buffer), head.byteLength);
    const res = new Response(out, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Inference-Header-Content-Length': String(head.byteLength),
      },
    });
    const { c, env } = client([res]);
    const r = await c.infer('m', { x }, { transport: 'binary' });
    const init = env.calls[0]!.init;
    const len = Number((init.headers as Record<string, string>)['Inference-Header-Content-Length']);
    const body = init.body as Uint8Array;
    expect(body.byteLength).toBe(len + 12);
    const header = JSON.parse(new TextDecoder().decode(body.subarray(0, len))) as unknown;
    expect(binaryRequestHeader(header), errorsOf(binaryRequestHeader)).toBe(true);
    expect(header).toMatchObject({ parameters: { binary_data_output: true } });
    expect(Array.from(r.outputs.y!.data as Float32Array)).toEqual([4, 5]);
  });

  it('says so when a binary answer’s header length is hidden by CORS', async () => {
    const { c } = client([
      new Response(new Uint8Array(4), { headers: { 'Content-Type': 'application/octet-stream' } }),
    ]);
    await expect(c.infer('m', { x }, { transport: 'binary' })).rejects.toThrow(
      /Access-Control-Expose-Headers/,
    );
  });

  it('surfaces the server’s {"error"} text with the status', async () => {
    const { c } = client([json(404, { error: "model 'm' is not served here" })]);
    const e = (await c.infer('m', { x }, { transport: 'json' }).catch((v: unknown) => v)) as RemoteError;
    expect(e.status).toBe(404);
    expect(e.message).toBe("HTTP 404: model 'm' is not served here");
  });

  it('the ledger records where tensors went, their sizes and every resend — never the token', async () => {
    const { c } = client([json(503, {}), answer()]);
    await c.infer('m', { x }, { transport: 'json' });
    const [e] = c.ledger.entries();
    expect(e).toMatchObject({
      origin: 'https://infer.example',
      path: '/prefix/v2/models/m/infer',
      transport: 'json',
      tensors: [{ name: 'x', datatype: 'FP32', shape: [1, 3], bytes: 12 }],
      sends: 2,
      outcome: '200 (1 output(s))',
    });
    expect(c.ledger.totals()).toEqual([
      { origin: 'https://infer.example', calls: 1, bytesSent: 2 * e!.bodyBytes, tensorsSent: 2 },
    ]);
    expect(JSON.stringify(c.ledger.entries())).not.toContain('tok');
  });

  it('no token, no Authorization header', async () => {
    const { c, env } = client([answer()], { token: '' });
    await c.infer('m', { x }, { transport: 'json' });
    expect(env.calls[0]!.init.headers).not.toHaveProperty('Authorization');
  });

  it('availability failures open the breaker, which then refuses without calling; request errors do not count', async () => {
    const breaker = new CircuitBreaker(2, 60_000, () => 0);
    const { c, env } = client(
      [json(400, { error: 'bad' }), new TypeError('Failed to fetch'), json(502, {}), answer()],
      {
        breaker,
        policy: { ...POLICY, maxAttempts: 1 },
      },
    );
    await expect(c.infer('m', { x }, { transport: 'json' })).rejects.toThrow(/400/);
    expect(breaker.consecutiveFailures).toBe(0);
    await expect(c.infer('m', { x }, { transport: 'json' })).rejects.toMatchObject({ kind: 'network' });
    await expect(c.infer('m', { x }, { transport: 'json' })).rejects.toMatchObject({
      kind: 'http',
      status: 502,
    });
    expect(breaker.state()).toBe('open');
    const e = (await c.infer('m', { x }, { transport: 'json' }).catch((v: unknown) => v)) as RemoteError;
    expect(e.kind).toBe('breaker');
    expect(e.code).toBe('REMOTE_UNAVAILABLE');
    expect(env.calls).toHaveLength(3);
    expect(c.ledger.entries().map((l) => l.outcome)).toEqual(['HTTP 400', 'network', 'HTTP 502']);
  });

  it('metadata GETs carry the token and parse JSON; model names are URL-encoded', async () => {
    const { c, env } = client([json(200, { name: 'a b', platform: 'p', inputs: [] })]);
    await c.modelMetadata('a b', '1');
    expect(env.calls[0]!.url).toBe('https://infer.example/prefix/v2/models/a%20b/versions/1');
    expect(env.calls[0]!.init.headers).toMatchObject({ Authorization: 'Bearer tok' });
  });
});
