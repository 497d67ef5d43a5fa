/**
 * Open Inference Protocol (KServe V2) REST client: health, server and model metadata, and inference with the
 * same call shape as local inference (plain tensors in, plain tensors out), over JSON or the binary tensor
 * data extension. Every call goes through the retry loop; infer calls are written to the egress ledger and
 * counted by the circuit breaker. The bearer token is only ever sent to the configured endpoint's origin.
 */
import { WorkbenchError } from '../../lib/errors';
import type { PlainTensor } from '../infer/tensors';
import { decodeBinaryResponse, encodeBinaryRequest, HEADER_LENGTH } from './binary';
import { CircuitBreaker } from './breaker';
import { EgressLedger } from './egress';
import {
  browserEnv,
  DEFAULT_RETRY,
  fetchWithRetry,
  RemoteError,
  type RetryEnv,
  type RetryPolicy,
} from './retry';
import { fromJsonOutput, rawByteLength, toJsonInput, type OipJsonTensor } from './tensorsJson';

export interface ServerMetadata {
  readonly name: string;
  readonly version: string;
  readonly extensions: readonly string[];
}

export interface MetadataTensor {
  readonly name: string;
  readonly datatype: string;
  readonly shape: readonly number[];
}

export interface ModelMetadata {
  readonly name: string;
  readonly versions?: readonly string[];
  readonly platform: string;
  readonly inputs?: readonly MetadataTensor[];
  readonly outputs?: readonly MetadataTensor[];
}

export type Transport = 'json' | 'binary';

export interface RemoteRun {
  readonly outputs: Record<string, PlainTensor>;
  readonly transport: Transport;
  readonly attempts: number;
  readonly ms: number;
}

export interface OipClientOptions {
  /** Endpoint base, e.g. http://127.0.0.1:8000 (the client appends /v2/…); a trailing /v2 is accepted. */
  readonly baseUrl: string;
  readonly token?: string | undefined;
  readonly policy?: RetryPolicy;
  readonly env?: RetryEnv;
  readonly ledger?: EgressLedger;
  readonly breaker?: CircuitBreaker;
}

/** Normalises an endpoint URL: http(s) only, no credentials, query or fragment, no trailing /v2 or slash. */
export function normaliseEndpoint(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new WorkbenchError('INVALID_INPUT', `“${raw}” is not a URL (e.g. http://127.0.0.1:8000).`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new WorkbenchError('INVALID_INPUT', `The endpoint must be http or https, not ${u.protocol}`);
  }
  if (u.username !== '' || u.password !== '') {
    throw new WorkbenchError('INVALID_INPUT', 'Put the token in the token field, not in the URL.');
  }
  u.search = '';
  u.hash = '';
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  return u;
}

const enc = encodeURIComponent;

export class OipClient {
  readonly endpoint: URL;
  /** The endpoint's path prefix without a trailing slash ('' for a bare host). */
  readonly basePath: string;
  readonly ledger: EgressLedger;
  readonly breaker: CircuitBreaker;
  private readonly token: string | undefined;
  private readonly policy: RetryPolicy;
  private readonly env: RetryEnv;

  constructor(o: OipClientOptions) {
    this.endpoint = normaliseEndpoint(o.baseUrl);
    this.basePath = this.endpoint.pathname.replace(/\/+$/, '');
    this.token = o.token === '' ? undefined : o.token;
    this.policy = o.policy ?? DEFAULT_RETRY;
    this.env = o.env ?? browserEnv();
    this.ledger = o.ledger ?? new EgressLedger();
    this.breaker = o.breaker ?? new CircuitBreaker();
  }

  /** Absolute URL of a /v2 path under the endpoint. */
  url(path: string): string {
    return `${this.endpoint.origin}${this.basePath}/v2${path}`;
  }

  private headers(extra: Record<string, string> = {}, url: string): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', ...extra };
    // The token goes to the configured origin only, whatever path or redirect is asked for.
    if (this.token !== undefined && new URL(url).origin === this.endpoint.origin)
      h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  /** GET a /v2 path: the parsed JSON of a 2xx answer, else a RemoteError carrying the status and {"error"}. */
  async getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
    const url = this.url(path);
    const { response, attempts } = await fetchWithRetry(
      url,
      { method: 'GET', headers: this.headers({}, url), redirect: 'error', credentials: 'omit' },
      this.policy,
      this.env,
      signal,
    );
    if (!response.ok) throw await httpError(response, attempts);
    const text = await response.text();
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new RemoteError('protocol', `${path} answered ${response.status} with a body that is not JSON.`, {
        status: response.status,
        attempts,
      });
    }
  }

  live(signal?: AbortSignal): Promise<unknown> {
    return this.getJson('/health/live', signal);
  }

  serverMetadata(signal?: AbortSignal): Promise<ServerMetadata> {
    return this.getJson<ServerMetadata>('', signal);
  }

  modelMetadata(model: string, version?: string, signal?: AbortSignal): Promise<ModelMetadata> {
    return this.getJson<ModelMetadata>(modelPath(model, version), signal);
  }

  modelReady(model: string, version?: string, signal?: AbortSignal): Promise<unknown> {
    return this.getJson(`${modelPath(model, version)}/ready`, signal);
  }

  /**
   * Runs `model` remotely on `feeds`. The breaker refuses the call while open; availability failures
   * (network, timeout, 429/5xx, budget) count against it, request errors (4xx) do not.
   */
  async infer(
    model: string,
    feeds: Readonly<Record<string, PlainTensor>>,
    opts: { transport: Transport; version?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<RemoteRun> {
    if (!this.breaker.allow()) {
      throw new RemoteError(
        'breaker',
        `The remote endpoint failed ${this.breaker.consecutiveFailures} times in a row; it is paused for ${Math.ceil(this.breaker.retryInMs() / 1000)} s.`,
      );
    }
    const path = `${modelPath(model, opts.version)}/infer`;
    const url = this.url(path);
    let body: Uint8Array | string;
    const headers: Record<string, string> = {};
    let inputs: OipJsonTensor[];
    if (opts.transport === 'binary') {
      const b = encodeBinaryRequest(feeds);
      body = b.body;
      inputs = b.inputs;
      headers['Content-Type'] = 'application/octet-stream';
      headers[HEADER_LENGTH] = String(b.headerLength);
    } else {
      inputs = Object.entries(feeds).map(([name, t]) => toJsonInput(name, t));
      body = JSON.stringify({ inputs });
      headers['Content-Type'] = 'application/json';
    }
    const bodyBytes = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength;
    const t0 = this.env.now();
    let sends = 0;
    let outcome = 'failed';
    try {
      const { response, attempts } = await fetchWithRetry(
        url,
        {
          method: 'POST',
          headers: this.headers(headers, url),
          body: body as BodyInit,
          redirect: 'error',
          credentials: 'omit',
        },
        this.policy,
        this.env,
        opts.signal,
        (n) => (sends = n),
      );
      if (!response.ok) {
        outcome = `HTTP ${response.status}`;
        throw await httpError(response, attempts);
      }
      const outputs = await readOutputs(response, attempts);
      this.breaker.success();
      outcome = `200 (${Object.keys(outputs).length} output(s))`;
      return { outputs, transport: opts.transport, attempts, ms: this.env.now() - t0 };
    } catch (e) {
      if (e instanceof RemoteError && outcome === 'failed') {
        outcome = e.status !== null ? `${e.kind === 'http' ? '' : `${e.kind}, `}HTTP ${e.status}` : e.kind;
      }
      if (e instanceof RemoteError && e.kind === 'cancelled') this.breaker.release();
      else if (isAvailabilityFailure(e)) this.breaker.failure();
      // The server answered (e.g. 400 or 401): it is up, whatever was wrong with the request.
      else this.breaker.success();
      throw e;
    } finally {
      this.ledger.record({
        at: Date.now(),
        origin: this.endpoint.origin,
        path: `${this.basePath}/v2${path}`,
        transport: opts.transport,
        tensors: inputs.map((i) => ({
          name: i.name,
          datatype: i.datatype,
          shape: i.shape,
          bytes: rawByteLength(feeds[i.name]!),
        })),
        bodyBytes,
        sends,
        outcome,
      });
    }
  }
}

/** Failures that say the endpoint is not usable now (they count against the breaker). */
export function isAvailabilityFailure(e: unknown): boolean {
  if (!(e instanceof RemoteError)) return true;
  if (e.kind === 'http') return e.status !== null && (e.status >= 500 || e.status === 429);
  return e.kind === 'network' || e.kind === 'timeout' || e.kind === 'budget' || e.kind === 'protocol';
}

function modelPath(model: string, version?: string): string {
  return `/models/${enc(model)}${version !== undefined && version !== '' ? `/versions/${enc(version)}` : ''}`;
}

/** A RemoteError for a non-2xx answer, with the server's {"error"} text when it sent one. */
export async function httpError(response: Response, attempts: number): Promise<RemoteError> {
  let detail = '';
  try {
    const text = await response.text();
    try {
      const j = JSON.parse(text) as { error?: unknown };
      detail = typeof j.error === 'string' ? j.error : text.slice(0, 200);
    } catch {
      detail = text.slice(0, 200);
    }
  } catch {
    detail = '';
  }
  return new RemoteError('http', `HTTP ${response.status}${detail !== '' ? `: ${detail}` : ''}`, {
    status: response.status,
    attempts,
  });
}

async function readOutputs(response: Response, attempts: number): Promise<Record<string, PlainTensor>> {
  const raw = response.headers.get(HEADER_LENGTH);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get('Content-Type') ?? '';
  if (raw === null && !type.includes('json')) {
    throw new RemoteError(
      'protocol',
      `The answer is binary but ${HEADER_LENGTH} cannot be read: the server (or its gateway) must list it in Access-Control-Expose-Headers.`,
      { status: response.status, attempts },
    );
  }
  let decoded: ReturnType<typeof decodeBinaryResponse>;
  try {
    decoded = decodeBinaryResponse(bytes, raw === null ? null : Number(raw));
  } catch (e) {
    throw new RemoteError(
      'protocol',
      `The inference answer could not be read: ${e instanceof Error ? e.message : String(e)}`,
      { attempts },
    );
  }
  const list = decoded.json.outputs;
  if (!Array.isArray(list))
    throw new RemoteError('protocol', "The inference answer has no 'outputs' array.", { attempts });
  const outputs: Record<string, PlainTensor> = {};
  for (const o of list as OipJsonTensor[]) outputs[o.name] = decoded.binary.get(o.name) ?? fromJsonOutput(o);
  return outputs;
}
