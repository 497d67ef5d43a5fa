/**
 * Contract tests of the reference Open Inference Protocol server (server/oip): started in-process on a
 * loopback port, every response validated against the protocol's OpenAPI schemas; JSON and binary tensors
 * agree with a float64 reference; errors are {"error"} with the right status; CORS and the token.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOipServer } from '../../server/oip/app.mjs';
import { decodeBinaryResponse, encodeBinaryRequest, HEADER_LENGTH } from '../../src/engine/remote/binary';
import { toJsonInput } from '../../src/engine/remote/tensorsJson';
import { binaryRequestHeader, binaryResponseHeader, errorsOf, schema } from './oip.schemas';

const fixtures = join(import.meta.dirname, '../fixtures/onnx');
const ORIGIN = 'http://localhost:4407';
let dir = '';
let base = '';
let server: Server;
let locked: Server;
let lockedBase = '';

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oip-'));
  copyFileSync(join(fixtures, 'gemm_all_attributes.onnx'), join(dir, 'gemm.onnx'));
  copyFileSync(
    join(fixtures, 'conformance/test_argmax_default_axis_example/model.onnx'),
    join(dir, 'argmax.onnx'),
  );
  copyFileSync(join(fixtures, 'silero_vad_v5.onnx'), join(dir, 'silero.onnx'));
  server = (await createOipServer({ modelsDir: dir, corsOrigins: [ORIGIN] })).server;
  base = await listen(server);
  locked = (await createOipServer({ modelsDir: dir, corsOrigins: [ORIGIN], token: 's3cret' })).server;
  lockedBase = await listen(locked);
}, 60_000);

afterAll(() => {
  server.closeAllConnections();
  locked.closeAllConnections();
  server.close();
  locked.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Fixed Gemm inputs: y = 0.25·Aᵀ·Bᵀ + 0.35·C for a[4,3], b[5,4], c[1,5]. */
const a = Array.from({ length: 12 }, (_, i) => Math.fround((i % 5) * 0.3 - 0.5));
const b = Array.from({ length: 20 }, (_, i) => Math.fround(((i * 7) % 11) * 0.1 - 0.4));
const c = [0.1, -0.2, 0.3, -0.4, 0.5].map(Math.fround);
const yRef: number[] = [];
for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 5; j++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += a[k * 3 + i]! * b[j * 4 + k]!;
    yRef.push(0.25 * s + 0.35 * c[j]!);
  }
}
const feeds = {
  a: { type: 'float32' as const, dims: [4, 3], data: Float32Array.from(a) },
  b: { type: 'float32' as const, dims: [5, 4], data: Float32Array.from(b) },
  c: { type: 'float32' as const, dims: [1, 5], data: Float32Array.from(c) },
};
const maxDiff = (x: ArrayLike<number>, y: readonly number[]): number =>
  Math.max(...y.map((v, i) => Math.abs(Number(x[i]) - v)));

async function getJson(path: string, status = 200): Promise<unknown> {
  const r = await fetch(`${base}${path}`);
  expect(r.status, path).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/json');
  return r.json();
}

function valid(name: string, body: unknown): void {
  const v = schema(name);
  expect(v(body), `${name}: ${errorsOf(v)}`).toBe(true);
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: (typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)) as BodyInit,
  });

describe('OIP reference server: health and metadata', () => {
  it('the schema validators refuse bodies that break the protocol', () => {
    expect(schema('inference_response')({ outputs: [] })).toBe(false); // no model_name
    expect(schema('metadata_server_response')({ name: 'x', version: '1' })).toBe(false); // no extensions
    expect(schema('metadata_tensor')({ name: 'x', datatype: 'FP32', shape: ['a'] })).toBe(false);
    expect(
      binaryResponseHeader({ model_name: 'm', outputs: [{ name: 'y', shape: [1], datatype: 'FP32' }] }),
    ).toBe(false);
  });

  it('answers live and ready with 200', async () => {
    await getJson('/v2/health/live');
    await getJson('/v2/health/ready');
  });

  it('GET /v2 is server metadata advertising binary_tensor_data', async () => {
    for (const p of ['/v2', '/v2/']) {
      const m = (await getJson(p)) as { extensions: string[] };
      valid('metadata_server_response', m);
      expect(m.extensions).toContain('binary_tensor_data');
    }
  });

  it('model metadata lists inputs and outputs with datatypes and shapes, -1 for dynamic dims', async () => {
    const g = await getJson('/v2/models/gemm');
    valid('metadata_model_response', g);
    expect(g).toMatchObject({
      name: 'gemm',
      versions: ['1'],
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [4, 3] },
        { name: 'b', datatype: 'FP32', shape: [5, 4] },
        { name: 'c', datatype: 'FP32', shape: [1, 5] },
      ],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [3, 5] }],
    });
    const s = await getJson('/v2/models/silero/versions/1');
    valid('metadata_model_response', s);
    expect(s).toMatchObject({
      inputs: [
        { name: 'input', datatype: 'FP32', shape: [-1, -1] },
        { name: 'state', datatype: 'FP32', shape: [2, -1, 128] },
        { name: 'sr', datatype: 'INT64', shape: [] },
      ],
    });
  });

  it('model ready with and without a version; a missing model or version is 404 {"error"}', async () => {
    await getJson('/v2/models/gemm/ready');
    await getJson('/v2/models/gemm/versions/1/ready');
    for (const p of [
      '/v2/models/nope',
      '/v2/models/nope/ready',
      '/v2/models/gemm/versions/2',
      '/v2/nothing',
    ]) {
      const e = await getJson(p, 404);
      valid('metadata_model_error_response', e);
    }
  });
});

describe('OIP reference server: inference', () => {
  it('JSON tensors: request and response match the schemas, y matches the float64 reference within 1e-6', async () => {
    const req = {
      id: 'r1',
      inputs: Object.entries(feeds).map(([n, t]) => toJsonInput(n, t)),
      outputs: [{ name: 'y' }],
    };
    valid('inference_request', req);
    const r = await post('/v2/models/gemm/infer', req);
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      id: string;
      outputs: { name: string; shape: number[]; data: number[] }[];
    };
    valid('inference_response', body);
    expect(body.id).toBe('r1');
    expect(body.outputs[0]).toMatchObject({ name: 'y', datatype: 'FP32', shape: [3, 5] });
    expect(maxDiff(body.outputs[0]!.data, yRef)).toBeLessThanOrEqual(1e-6);
  });

  it('nested row-major data gives the same result as flat data', async () => {
    const nested = {
      inputs: [
        {
          name: 'a',
          shape: [4, 3],
          datatype: 'FP32',
          data: [0, 1, 2, 3].map((i) => a.slice(i * 3, i * 3 + 3)),
        },
        {
          name: 'b',
          shape: [5, 4],
          datatype: 'FP32',
          data: [0, 1, 2, 3, 4].map((i) => b.slice(i * 4, i * 4 + 4)),
        },
        { name: 'c', shape: [1, 5], datatype: 'FP32', data: [c] },
      ],
    };
    valid('inference_request', nested);
    const body = (await (await post('/v2/models/gemm/infer', nested)).json()) as {
      outputs: { data: number[] }[];
    };
    expect(maxDiff(body.outputs[0]!.data, yRef)).toBeLessThanOrEqual(1e-6);
  });

  it('binary tensors: Inference-Header-Content-Length both ways, same values as JSON', async () => {
    const { body, headerLength } = encodeBinaryRequest(feeds);
    const head = JSON.parse(new TextDecoder().decode(body.subarray(0, headerLength))) as unknown;
    expect(binaryRequestHeader(head), errorsOf(binaryRequestHeader)).toBe(true);
    const r = await post('/v2/models/gemm/infer', body, {
      'Content-Type': 'application/octet-stream',
      [HEADER_LENGTH]: String(headerLength),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    const len = Number(r.headers.get(HEADER_LENGTH));
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(bytes.byteLength).toBe(len + 15 * 4);
    const { json, binary } = decodeBinaryResponse(bytes, len);
    expect(binaryResponseHeader(json), errorsOf(binaryResponseHeader)).toBe(true);
    expect(json).toMatchObject({ outputs: [{ name: 'y', parameters: { binary_data_size: 60 } }] });
    const y = binary.get('y')!;
    expect(y.type).toBe('float32');
    expect(maxDiff(y.data as Float32Array, yRef)).toBeLessThanOrEqual(1e-6);
  });

  it('JSON inputs with one output asked as binary; INT64 outputs; BOOL-free models still validate', async () => {
    const req = {
      inputs: [{ name: 'data', shape: [2, 2], datatype: 'FP32', data: [2, 1, 3, 10] }],
      outputs: [{ name: 'result', parameters: { binary_data: true } }],
    };
    const r = await post('/v2/models/argmax/infer', req);
    expect(r.status).toBe(200);
    const { json, binary } = decodeBinaryResponse(
      new Uint8Array(await r.arrayBuffer()),
      Number(r.headers.get(HEADER_LENGTH)),
    );
    expect(binaryResponseHeader(json)).toBe(true);
    const out = binary.get('result')!;
    expect(out.type).toBe('int64');
    expect(out.dims).toEqual([1, 2]);
    expect(Array.from(out.data as BigInt64Array, Number)).toEqual([1, 1]);
    const plain = (await (await post('/v2/models/argmax/infer', { inputs: req.inputs })).json()) as unknown;
    valid('inference_response', plain);
    expect(plain).toMatchObject({
      outputs: [{ name: 'result', datatype: 'INT64', shape: [1, 2], data: [1, 1] }],
    });
  });

  it.each([
    [
      'a wrong datatype',
      { inputs: [{ ...toJsonInput('a', feeds.a), datatype: 'FP64' }] },
      /datatype FP64.*FP32/,
    ],
    ['a missing input', { inputs: [toJsonInput('a', feeds.a), toJsonInput('b', feeds.b)] }, /missing.*c/],
    [
      'an unknown input',
      { inputs: [{ name: 'zz', shape: [1], datatype: 'FP32', data: [1] }] },
      /unexpected.*zz/,
    ],
    [
      'too few values',
      { inputs: [{ ...toJsonInput('a', feeds.a), data: [1, 2] }] },
      /2 values for shape \[4,3\]/,
    ],
    ['not JSON', '{"inputs": [', /not valid JSON/],
    ['no inputs', { outputs: [] }, /'inputs' array/],
    [
      'an unknown output',
      { inputs: Object.entries(feeds).map(([n, t]) => toJsonInput(n, t)), outputs: [{ name: 'q' }] },
      /output 'q'/,
    ],
  ])('refuses %s with 400 {"error"}', async (_what, body, text) => {
    const r = await post('/v2/models/gemm/infer', body);
    expect(r.status).toBe(400);
    const e = (await r.json()) as { error: string };
    valid('inference_error_response', e);
    expect(e.error).toMatch(text);
  });

  it('refuses a header length past the body, a short binary input, and GET on infer', async () => {
    const { body, headerLength } = encodeBinaryRequest(feeds);
    const r1 = await post('/v2/models/gemm/infer', body, { [HEADER_LENGTH]: String(body.byteLength + 1) });
    expect(r1.status).toBe(400);
    const r2 = await post('/v2/models/gemm/infer', body.subarray(0, body.byteLength - 4), {
      [HEADER_LENGTH]: String(headerLength),
    });
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { error: string }).error).toMatch(/binary_data_size/);
    const r3 = await fetch(`${base}/v2/models/gemm/infer`);
    expect(r3.status).toBe(405);
    valid('inference_error_response', await r3.json());
  });
});

describe('OIP reference server: CORS and token', () => {
  it('answers an allowed origin’s preflight, exposes the binary header; other origins get no CORS headers', async () => {
    const pre = await fetch(`${base}/v2/models/gemm/infer`, {
      method: 'OPTIONS',
      headers: {
        Origin: ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,inference-header-content-length',
        'Access-Control-Request-Private-Network': 'true',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(
      /Authorization.*Inference-Header-Content-Length/,
    );
    expect(pre.headers.get('access-control-allow-private-network')).toBe('true');
    const get = await fetch(`${base}/v2`, { headers: { Origin: ORIGIN } });
    expect(get.headers.get('access-control-expose-headers')).toContain('Inference-Header-Content-Length');
    const other = await fetch(`${base}/v2`, { headers: { Origin: 'http://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with --token: 401 {"error"} and WWW-Authenticate without it or with a wrong one, 200 with it', async () => {
    for (const auth of [undefined, 'Bearer nope']) {
      const r = await fetch(`${lockedBase}/v2/models/gemm`, {
        headers: { Origin: ORIGIN, ...(auth ? { Authorization: auth } : {}) },
      });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
      expect(r.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      valid('metadata_model_error_response', await r.json());
    }
    const ok = await fetch(`${lockedBase}/v2/models/gemm`, { headers: { Authorization: 'Bearer s3cret' } });
    expect(ok.status).toBe(200);
    const pre = await fetch(`${lockedBase}/v2`, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
    expect(pre.status).toBe(204);
  });
});

describe('OIP reference server: the command', () => {
  it('node server/oip/server.mjs --models <dir> --port 0 serves the folder and says where', async () => {
    const child = spawn(
      process.execPath,
      ['server/oip/server.mjs', '--models', dir, '--port', '0', '--cors-origin', ORIGIN, '--quiet'],
      { cwd: join(import.meta.dirname, '../..') },
    );
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('CORS:')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      expect(banner).toMatch(/3 model\(s\): argmax, gemm, silero/);
      expect(banner).toContain(`CORS: ${ORIGIN}; token: none`);
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/v2/.exec(banner)![1]!;
      const m = (await (await fetch(`${url}/v2`)).json()) as unknown;
      valid('metadata_server_response', m);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
