/** "Test connection" diagnostics against scripted answers: each failure named precisely. */
import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../src/engine/deploy/inspect';
import { compareInputs, testConnection, type DiagnoseEnv } from '../../src/engine/remote/diagnose';
import { isLocalNetwork, isLoopback } from '../../src/engine/remote/network';
import { OipClient } from '../../src/engine/remote/oipClient';
import { fakeEnv, json, POLICY, type Step } from './remote.fakeFetch';

const local: TensorInfo[] = [
  { name: 'a', elemType: 'float32', shape: [4, 3] },
  { name: 'n', elemType: 'int64', shape: ['batch', 2] },
];
const meta = {
  name: 'm',
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [
    { name: 'a', datatype: 'FP32', shape: [4, 3] },
    { name: 'n', datatype: 'INT64', shape: [-1, 2] },
  ],
};
const ok = (): Step[] => [
  json(200, { live: true }),
  json(200, { name: 'triton', version: '2.50', extensions: ['binary_tensor_data'] }),
  json(200, meta),
  json(200, {}),
];

async function diagnose(
  steps: Step[],
  opts: { url?: string; page?: string; probe?: boolean; perm?: string | null; token?: boolean } = {},
) {
  const env = fakeEnv(steps);
  const c = new OipClient({
    baseUrl: opts.url ?? 'http://127.0.0.1:8000',
    policy: { ...POLICY, maxAttempts: 1 },
    env,
  });
  const denv: DiagnoseEnv = {
    pageOrigin: opts.page ?? 'http://localhost:4173',
    probe: () => Promise.resolve(opts.probe ?? false),
    localNetworkPermission: () => Promise.resolve(opts.perm ?? null),
  };
  const report = await testConnection(
    c,
    { model: 'm', hasToken: opts.token ?? false, localInputs: local },
    denv,
  );
  return { report, env, fail: report.checks.find((x) => x.status === 'fail') };
}

describe('remote: connection test', () => {
  it('all good: live, server with binary tensors, model ready, inputs match', async () => {
    const { report } = await diagnose(ok());
    expect(report.ok).toBe(true);
    expect(report.binary).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([
      ['live', 'ok'],
      ['server', 'ok'],
      ['model', 'ok'],
      ['signature', 'ok'],
    ]);
  });

  it('a server without binary_tensor_data is a warning (JSON only), not a failure', async () => {
    const steps = ok();
    steps[1] = json(200, { name: 'mlserver', version: '1', extensions: [] });
    const { report } = await diagnose(steps);
    expect(report.ok).toBe(true);
    expect(report.binary).toBe(false);
    expect(report.checks[1]).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/JSON tensors only/) as string,
    });
  });

  it('reachable without CORS: names CORS, the reference server flag, and Triton’s gateway', async () => {
    const { fail } = await diagnose([new TypeError('Failed to fetch')], { probe: true });
    expect(fail?.id).toBe('cors');
    expect(fail?.message).toMatch(/--cors-origin http:\/\/localhost:4173/);
    expect(fail?.message).toMatch(/Triton.*CORS-enabled gateway/);
  });

  it('nothing answers: unreachable; from a public page to a private host, mentions the local-network permission', async () => {
    expect((await diagnose([new TypeError('Failed to fetch')])).fail?.id).toBe('unreachable');
    const lna = await diagnose([new TypeError('Failed to fetch')], {
      page: 'https://app.example',
      url: 'https://192.168.1.20:8000',
    });
    expect(lna.fail).toMatchObject({
      id: 'unreachable',
      message: expect.stringMatching(/local-network permission/) as string,
    });
    const denied = await diagnose([new TypeError('Failed to fetch')], {
      page: 'https://app.example',
      url: 'https://10.0.0.5',
      perm: 'denied',
    });
    expect(denied.fail?.id).toBe('local-network');
  });

  it('mixed content and the CSP are found before anything is sent', async () => {
    const mixed = await diagnose([], { page: 'https://app.example', url: 'http://gpu.example:8000' });
    expect(mixed.report.checks.map((c) => c.id)).toEqual(['mixed-content', 'csp']);
    expect(mixed.env.calls).toHaveLength(0);
    const csp = await diagnose([], { page: 'http://localhost:4173', url: 'http://192.168.1.20:8000' });
    expect(csp.report.checks.map((c) => c.id)).toEqual(['csp']);
    expect(csp.env.calls).toHaveLength(0);
    // http to loopback from an https page is allowed (potentially trustworthy).
    expect((await diagnose(ok(), { page: 'https://app.example' })).report.ok).toBe(true);
  });

  it('401 asks for a token, or says it was refused; 403 says it is not allowed', async () => {
    expect((await diagnose([json(401, { error: 'missing or wrong bearer token' })])).fail?.message).toMatch(
      /needs a token/,
    );
    expect((await diagnose([json(401, { error: 'no' })], { token: true })).fail?.message).toMatch(
      /refused the token/,
    );
    expect((await diagnose([json(403, { error: 'scope' })], { token: true })).fail?.message).toMatch(
      /not allowed.*403/,
    );
  });

  it('a missing model, a wrong base URL, a model not ready', async () => {
    const missing = await diagnose([
      ok()[0]!,
      ok()[1]!,
      json(404, { error: "model 'm' is not served here" }),
    ]);
    expect(missing.fail).toMatchObject({
      id: 'model',
      message: expect.stringMatching(/no model “m”.*Map the local model/) as string,
    });
    expect((await diagnose([json(404, { error: 'no such endpoint' })])).fail?.message).toMatch(
      /No Open Inference Protocol endpoint/,
    );
    const notReady = await diagnose([ok()[0]!, ok()[1]!, ok()[2]!, json(400, { error: 'loading' })]);
    expect(notReady.fail?.id).toBe('ready');
  });

  it('input names, datatypes and shapes that differ are each named', () => {
    expect(compareInputs(local, meta.inputs)).toEqual([]);
    const problems = compareInputs(local, [
      { name: 'a', datatype: 'FP64', shape: [4, 4] },
      { name: 'z', datatype: 'FP32', shape: [1] },
    ]);
    expect(problems).toEqual([
      'input “a”: FP32 here, FP64 on the server',
      'input “a”: shape [4, 3] here, [4, 4] on the server',
      'input “n” is missing on the server (it has a, z)',
      'the server expects input “z”, which the local model lacks',
    ]);
  });

  it('classifies loopback and local-network hosts', () => {
    expect(['localhost', '127.0.0.1', '[::1]', 'a.localhost'].every(isLoopback)).toBe(true);
    expect(['10.1.2.3', '172.16.0.1', '192.168.0.2', 'fd00::1', 'printer.local'].every(isLocalNetwork)).toBe(
      true,
    );
    expect(['8.8.8.8', '172.32.0.1', 'example.org'].some(isLocalNetwork)).toBe(false);
  });
});
