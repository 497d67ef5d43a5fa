/* global Buffer, TextDecoder, performance */
/**
 * A small Open Inference Protocol (KServe V2) REST server on onnxruntime-node: every `.onnx` file of a folder
 * is a model named after its file stem, with one version, "1". JSON tensors and the binary tensor data
 * extension; errors as {"error": "..."}; CORS for the origins given; an optional bearer token.
 */
import { createServer } from 'node:http';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ort from 'onnxruntime-node';
import {
  BadRequest,
  binaryData,
  jsonData,
  metadataTensor,
  tensorFromBinary,
  tensorFromJson,
} from './tensors.mjs';

export const SERVER_NAME = 'workbench-oip';
export const SERVER_VERSION = '1.0.0';
/** Largest request body accepted (413 above). */
export const MAX_BODY_BYTES = 64 * 2 ** 20;
const HEADER_LENGTH = 'inference-header-content-length';

class HttpError extends Error {
  constructor(status, message, headers = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** Loads every .onnx file of `dir` into an onnxruntime-node session (CPU). */
export async function loadModels(dir) {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.onnx')).sort();
  const models = new Map();
  for (const f of files) {
    const session = await ort.InferenceSession.create(join(dir, f));
    models.set(basename(f, '.onnx'), { session, file: f, queue: Promise.resolve() });
  }
  return models;
}

function corsHeaders(req, origins) {
  const origin = req.headers.origin;
  if (origin === undefined || origins.length === 0) return {};
  if (!origins.includes('*') && !origins.includes(origin)) return {};
  return {
    'Access-Control-Allow-Origin': origins.includes('*') ? '*' : origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Inference-Header-Content-Length',
    'Access-Control-Expose-Headers': 'Inference-Header-Content-Length, Retry-After',
    'Access-Control-Max-Age': '600',
    // Chrome's local-network access (private network access) preflight from a public origin.
    ...(req.headers['access-control-request-private-network'] === 'true'
      ? { 'Access-Control-Allow-Private-Network': 'true' }
      : {}),
    Vary: 'Origin',
  };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.byteLength;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Splits a request body into its JSON object and its binary part (binary tensor data extension). */
function parseInferBody(req, body) {
  const raw = req.headers[HEADER_LENGTH];
  let jsonLen = body.byteLength;
  if (raw !== undefined) {
    jsonLen = Number(raw);
    if (!Number.isInteger(jsonLen) || jsonLen < 0 || jsonLen > body.byteLength) {
      throw new BadRequest(
        `Inference-Header-Content-Length ${raw} does not fit a ${body.byteLength}-byte body`,
      );
    }
  }
  let json;
  try {
    json = JSON.parse(new TextDecoder().decode(body.subarray(0, jsonLen)));
  } catch (e) {
    throw new BadRequest(`request body is not valid JSON: ${e.message}`);
  }
  if (typeof json !== 'object' || json === null || !Array.isArray(json.inputs)) {
    throw new BadRequest("request must be an object with an 'inputs' array");
  }
  return { json, binary: body.subarray(jsonLen) };
}

function buildFeeds(model, json, binary) {
  const expected = new Map(model.session.inputMetadata.map((m) => [m.name, metadataTensor(m)]));
  const feeds = {};
  let at = 0;
  for (const input of json.inputs) {
    if (typeof input !== 'object' || input === null || typeof input.name !== 'string') {
      throw new BadRequest('each input needs a name');
    }
    const want = expected.get(input.name);
    if (want === undefined) {
      throw new BadRequest(
        `unexpected inference input '${input.name}'; the model expects ${[...expected.keys()].join(', ')}`,
      );
    }
    if (input.datatype !== want.datatype) {
      throw new BadRequest(
        `input '${input.name}': datatype ${input.datatype}, the model expects ${want.datatype}`,
      );
    }
    const size = input.parameters?.binary_data_size;
    if (size !== undefined) {
      if (!Number.isInteger(size) || size < 0 || at + size > binary.byteLength) {
        throw new BadRequest(`input '${input.name}': binary_data_size ${size} runs past the body`);
      }
      feeds[input.name] = tensorFromBinary(input, binary.subarray(at, at + size));
      at += size;
    } else {
      feeds[input.name] = tensorFromJson(input);
    }
  }
  if (at !== binary.byteLength) throw new BadRequest(`${binary.byteLength - at} unused bytes of binary data`);
  const missing = [...expected.keys()].filter((n) => !(n in feeds));
  if (missing.length > 0) throw new BadRequest(`missing inference input(s): ${missing.join(', ')}`);
  return feeds;
}

async function infer(name, model, req, res, cors) {
  const { json, binary } = parseInferBody(req, await readBody(req));
  const feeds = buildFeeds(model, json, binary);
  const outputNames = model.session.outputNames;
  const requested = Array.isArray(json.outputs) ? json.outputs : outputNames.map((n) => ({ name: n }));
  for (const o of requested) {
    if (!outputNames.includes(o?.name)) throw new BadRequest(`unexpected inference output '${o?.name}'`);
  }
  const allBinary = json.parameters?.binary_data_output === true;
  // One run at a time per session: the reference server favours predictability over throughput.
  const run = model.queue.then(() =>
    model.session.run(
      feeds,
      requested.map((o) => o.name),
    ),
  );
  model.queue = run.catch(() => undefined);
  let results;
  try {
    results = await run;
  } catch (e) {
    throw new BadRequest(`onnxruntime: ${e.message}`);
  }
  const parts = [];
  const outputs = requested.map((o) => {
    const t = results[o.name];
    const datatype = metadataTensor({ name: o.name, isTensor: true, type: t.type, shape: [] }).datatype;
    const out = { name: o.name, datatype, shape: [...t.dims] };
    if (allBinary || o.parameters?.binary_data === true) {
      const bytes = binaryData(t);
      parts.push(bytes);
      out.parameters = { binary_data_size: bytes.byteLength };
    } else {
      out.data = jsonData(t);
    }
    return out;
  });
  const body = { model_name: name, model_version: '1', outputs };
  if (typeof json.id === 'string') body.id = json.id;
  const head = Buffer.from(JSON.stringify(body));
  if (parts.length === 0) return send(res, 200, body, cors);
  res.writeHead(200, {
    ...cors,
    'Content-Type': 'application/octet-stream',
    'Inference-Header-Content-Length': String(head.byteLength),
  });
  res.end(Buffer.concat([head, ...parts]));
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Routes one request; every failure becomes {"error"} with its status. */
async function handle(req, res, opts, models) {
  const cors = corsHeaders(req, opts.corsOrigins);
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors);
    return res.end();
  }
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) {
      throw new HttpError(401, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer' });
    }
    const get = req.method === 'GET';
    if (get && path === '/v2/health/live') return send(res, 200, { live: true }, cors);
    if (get && path === '/v2/health/ready') return send(res, 200, { ready: true }, cors);
    if (get && path === '/v2') {
      return send(
        res,
        200,
        { name: SERVER_NAME, version: SERVER_VERSION, extensions: ['binary_tensor_data'] },
        cors,
      );
    }
    const m = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/.exec(path);
    if (m === null) throw new HttpError(404, `no such endpoint: ${req.method} ${url.pathname}`);
    const name = decodeURIComponent(m[1]);
    const model = models.get(name);
    if (model === undefined) throw new HttpError(404, `model '${name}' is not served here`);
    if (m[2] !== undefined && decodeURIComponent(m[2]) !== '1') {
      throw new HttpError(404, `model '${name}' has no version '${decodeURIComponent(m[2])}' (only '1')`);
    }
    if (m[3] === '/infer') {
      if (req.method !== 'POST') throw new HttpError(405, 'infer needs POST', { Allow: 'POST' });
      return await infer(name, model, req, res, cors);
    }
    if (!get) throw new HttpError(405, `${req.method} is not allowed here`, { Allow: 'GET' });
    if (m[3] === '/ready') return send(res, 200, { name, ready: true }, cors);
    return send(
      res,
      200,
      {
        name,
        versions: ['1'],
        platform: 'onnxruntime_onnx',
        inputs: model.session.inputMetadata.map(metadataTensor),
        outputs: model.session.outputMetadata.map(metadataTensor),
      },
      cors,
    );
  } catch (e) {
    const status = e instanceof HttpError ? e.status : e instanceof BadRequest ? 400 : 500;
    const extra = e instanceof HttpError ? e.headers : {};
    if (status === 500) opts.log(`error: ${e.stack ?? e}`);
    if (!res.headersSent) send(res, status, { error: e.message }, { ...cors, ...extra });
    else res.destroy();
  }
}

/**
 * Creates the server (not yet listening). Options: modelsDir, corsOrigins (array; '*' for any), token
 * (optional bearer token), log (a function; default silent).
 */
export async function createOipServer({ modelsDir, corsOrigins = [], token, log = () => {} }) {
  const models = await loadModels(modelsDir);
  const opts = { corsOrigins, token, log };
  const server = createServer((req, res) => {
    const t0 = performance.now();
    res.on('finish', () =>
      log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)} ms`),
    );
    void handle(req, res, opts, models);
  });
  return { server, models };
}
