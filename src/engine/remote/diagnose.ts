/**
 * "Test connection": checks an endpoint step by step and says precisely what is wrong — browser rules
 * (mixed content, CSP, local-network permission), reachability vs CORS, auth, the server's extensions, the
 * model's presence and readiness, and whether its inputs match the local model's names, types and shapes.
 */
import type { TensorInfo } from '../deploy/inspect';
import { isLocalNetwork, staticProblems } from './network';
import type { ModelMetadata, OipClient } from './oipClient';
import { RemoteError } from './retry';
import { elemTypeOf, oipDatatype } from './tensorsJson';
import { isInferElemType } from '../infer/tensors';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly id: string;
  readonly status: CheckStatus;
  readonly message: string;
}

export interface ConnectionReport {
  readonly ok: boolean;
  readonly checks: readonly Check[];
  readonly binary: boolean;
  readonly metadata: ModelMetadata | null;
}

export interface DiagnoseEnv {
  /** The page's origin (location.origin). */
  readonly pageOrigin: string;
  /** A no-cors request: resolves true when something answered (an opaque response), false on network failure. */
  readonly probe: (url: string) => Promise<boolean>;
  /** The browser's local-network permission state, or null when it has none to query. */
  readonly localNetworkPermission: () => Promise<string | null>;
}

/** A no-cors reachability probe (allowed under COEP credentialless; require-corp would block it). */
export const browserProbe = async (url: string): Promise<boolean> => {
  try {
    await fetch(url, {
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(5000),
    });
    return true;
  } catch {
    return false;
  }
};

export const browserLocalNetworkPermission = async (): Promise<string | null> => {
  try {
    const s = await navigator.permissions.query({ name: 'local-network-access' as PermissionName });
    return s.state;
  } catch {
    return null;
  }
};

const TRITON_CORS =
  'Triton itself sends no CORS headers: put a CORS-enabled gateway (nginx, Envoy, a KServe/Istio ingress) in front that answers preflights, allows this origin and the Authorization, Content-Type and Inference-Header-Content-Length headers, and exposes Inference-Header-Content-Length.';

/** Local vs remote inputs: names, datatypes and shapes (-1 or a symbolic local dim matches any size). */
export function compareInputs(
  local: readonly TensorInfo[],
  remote: readonly { name: string; datatype: string; shape: readonly number[] }[],
): string[] {
  const problems: string[] = [];
  const byName = new Map(remote.map((r) => [r.name, r]));
  for (const l of local) {
    const r = byName.get(l.name);
    if (r === undefined) {
      problems.push(
        `input “${l.name}” is missing on the server (it has ${remote.map((x) => x.name).join(', ') || 'none'})`,
      );
      continue;
    }
    byName.delete(l.name);
    const want = isInferElemType(l.elemType) ? oipDatatype(l.elemType) : l.elemType.toUpperCase();
    if (r.datatype !== want) problems.push(`input “${l.name}”: ${want} here, ${r.datatype} on the server`);
    if (l.shape !== null) {
      const same =
        l.shape.length === r.shape.length &&
        l.shape.every((d, i) => typeof d !== 'number' || r.shape[i] === -1 || r.shape[i] === d);
      if (!same) {
        const fmt = l.shape.map((d) => (typeof d === 'number' ? d : (d ?? '?'))).join(', ');
        problems.push(`input “${l.name}”: shape [${fmt}] here, [${r.shape.join(', ')}] on the server`);
      }
    }
    if (elemTypeOf(r.datatype) === null)
      problems.push(`input “${l.name}”: the workbench cannot send ${r.datatype}`);
  }
  for (const extra of byName.keys())
    problems.push(`the server expects input “${extra}”, which the local model lacks`);
  return problems;
}

async function classifyNetwork(
  client: OipClient,
  env: DiagnoseEnv,
  e: RemoteError,
  checks: Check[],
): Promise<void> {
  const url = client.url('/health/live');
  const host = client.endpoint.host;
  const pageLocal = isLocalNetwork(new URL(env.pageOrigin).hostname);
  if (!pageLocal && isLocalNetwork(client.endpoint.hostname)) {
    const perm = await env.localNetworkPermission();
    if (perm === 'denied') {
      checks.push({
        id: 'local-network',
        status: 'fail',
        message: `The browser's local-network permission for this site is denied, so it cannot call ${host}. Allow "Local network access" in the site settings and test again.`,
      });
      return;
    }
  }
  if (e.kind === 'timeout') {
    checks.push({ id: 'unreachable', status: 'fail', message: `No answer from ${host}: ${e.message}` });
    return;
  }
  if (await env.probe(url)) {
    checks.push({
      id: 'cors',
      status: 'fail',
      message: `${host} answers, but not to this origin (${env.pageOrigin}): CORS is not configured. For the reference server add --cors-origin ${env.pageOrigin}. ${TRITON_CORS}`,
    });
    return;
  }
  const lnaHint =
    !pageLocal && isLocalNetwork(client.endpoint.hostname)
      ? ' It is on your local network: the browser may also be waiting for its local-network permission.'
      : '';
  checks.push({
    id: 'unreachable',
    status: 'fail',
    message: `${host} is unreachable (connection refused, wrong host or port, DNS, or offline).${lnaHint}`,
  });
}

function authCheck(e: RemoteError, hasToken: boolean): Check {
  if (e.status === 401) {
    return {
      id: 'auth',
      status: 'fail',
      message: hasToken
        ? `The server refused the token (401): ${e.message}. Check it, or its scope.`
        : `The server needs a token (401): enter it in the token field.`,
    };
  }
  return { id: 'auth', status: 'fail', message: `The token is not allowed to do this (403): ${e.message}` };
}

/** Runs the checks in order, stopping at the first that makes the next meaningless. */
export async function testConnection(
  client: OipClient,
  opts: { model: string; version?: string; hasToken: boolean; localInputs: readonly TensorInfo[] },
  env: DiagnoseEnv,
): Promise<ConnectionReport> {
  const checks: Check[] = [];
  const done = (binary = false, metadata: ModelMetadata | null = null): ConnectionReport => ({
    ok: checks.every((c) => c.status !== 'fail'),
    checks,
    binary,
    metadata,
  });
  for (const p of staticProblems(env.pageOrigin, client.endpoint))
    checks.push({ id: p.id, status: 'fail', message: p.message });
  if (checks.length > 0) return done();
  const step = async <T>(
    id: string,
    run: () => Promise<T>,
    onHttp: (e: RemoteError) => Check | null,
  ): Promise<T | null> => {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof RemoteError)) throw e;
      if (e.kind === 'network' || e.kind === 'timeout') {
        await classifyNetwork(client, env, e, checks);
      } else if (e.status === 401 || e.status === 403) {
        checks.push(authCheck(e, opts.hasToken));
      } else {
        checks.push(onHttp(e) ?? { id, status: 'fail', message: e.message });
      }
      return null;
    }
  };
  const live = await step(
    'live',
    () => client.live(),
    (e) =>
      e.status === 404
        ? {
            id: 'live',
            status: 'fail',
            message: `No Open Inference Protocol endpoint at ${client.url('')} (404 on /v2/health/live): check the URL and any path prefix.`,
          }
        : null,
  );
  if (live === null) return done();
  checks.push({
    id: 'live',
    status: 'ok',
    message: `${client.endpoint.host} is live and allows this origin (CORS).`,
  });
  const server = await step(
    'server',
    () => client.serverMetadata(),
    () => null,
  );
  if (server === null) return done();
  const binary = Array.isArray(server.extensions) && server.extensions.includes('binary_tensor_data');
  checks.push({
    id: 'server',
    status: binary ? 'ok' : 'warn',
    message: `${server.name} ${server.version}; ${binary ? 'binary tensors supported' : 'no binary_tensor_data extension: JSON tensors only'}.`,
  });
  const meta = await step(
    'model',
    () => client.modelMetadata(opts.model, opts.version),
    (e) =>
      e.status === 404 || e.status === 400
        ? {
            id: 'model',
            status: 'fail',
            message: `The server has no model “${opts.model}”${opts.version ? ` version ${opts.version}` : ''} (${e.message}). Map the local model to a name it serves.`,
          }
        : null,
  );
  if (meta === null) return done(binary);
  const ready = await step(
    'ready',
    () => client.modelReady(opts.model, opts.version),
    (e) => ({
      id: 'ready',
      status: 'fail',
      message: `Model “${opts.model}” is not ready (${e.message}).`,
    }),
  );
  if (ready === null) return done(binary, meta);
  checks.push({ id: 'model', status: 'ok', message: `Model “${meta.name}” is ready (${meta.platform}).` });
  const problems = compareInputs(opts.localInputs, meta.inputs ?? []);
  checks.push(
    problems.length === 0
      ? { id: 'signature', status: 'ok', message: 'Input names, types and shapes match the local model.' }
      : {
          id: 'signature',
          status: 'fail',
          message: `The remote model does not match the local one: ${problems.join('; ')}.`,
        },
  );
  return done(binary, meta);
}
