/**
 * The model inspector: what an imported ONNX file declares (opsets, inputs and outputs with their shapes,
 * operators, parameters), read with the static protobuf module. Imported files are untrusted: anything that
 * is not a readable ONNX model becomes a WorkbenchError('MODEL_REJECTED') saying why, never a crash.
 */
import $protobuf from 'protobufjs/minimal.js';
import { WorkbenchError } from '../../lib/errors';
import { onnx } from './onnx/generated/onnx.js';

/** Largest model the inspector (and the import) accepts. */
export const MAX_MODEL_BYTES = 512 * 2 ** 20;

/** Subgraphs (If / Loop / Scan bodies) deeper than this are refused, so a crafted file cannot recurse forever. */
const MAX_GRAPH_DEPTH = 32;

/** A dimension: a fixed size, a symbolic name (pinnable by the user), or null when the file names neither. */
export type Dim = number | string | null;

export interface TensorInfo {
  readonly name: string;
  /** Element type name ('float32', 'int64'...), or the kind of a non-tensor value ('sequence', 'map'...). */
  readonly elemType: string;
  /** The shape, or null when the file gives no rank. */
  readonly shape: readonly Dim[] | null;
}

export interface ModelInspection {
  readonly irVersion: number;
  /** Operator sets imported; domain '' is the default ONNX domain (ai.onnx). */
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  /** Version of the default ONNX domain, or null when the model imports none. */
  readonly opset: number | null;
  readonly producer: { readonly name: string; readonly version: string };
  readonly graphName: string;
  /** Graph inputs that the user feeds (initializers listed as inputs, as IR < 4 files do, left out). */
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Operator → number of nodes, most used first; nodes of If / Loop / Scan bodies included. Custom domains as `domain.Op`. */
  readonly ops: readonly { readonly op: string; readonly count: number }[];
  /** Nodes in all graphs (main graph and subgraphs). */
  readonly nodeCount: number;
  /** Elements of all initializers plus numeric constants of Constant nodes (value, value_float(s), value_int(s)). */
  readonly parameterCount: number;
  readonly initializerCount: number;
  readonly constantNodeCount: number;
  readonly sizeBytes: number;
}

/** An imported ONNX model as stored (IndexedDB `models`); its bytes are in `modelBytes` under the same id. */
export interface ModelMeta {
  readonly id: string;
  /** The file name (or the URL's last path part). */
  readonly name: string;
  /** Size of the .onnx file. */
  readonly bytes: number;
  readonly createdAt: number;
  readonly source: 'file' | 'url';
  readonly inspection: ModelInspection;
}

type Graph = onnx.GraphProto.$Properties;
type Tensor = onnx.TensorProto.$Properties;
type ValueInfo = onnx.ValueInfoProto.$Properties;

/** ONNX TensorProto.DataType numbers → names (onnx.proto3; the whole enum, not only the subset decoded). */
const ELEM_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};

/** TypeProto fields this subset does not decode (kept by protobufjs as unknown fields) → a kind name. */
const OTHER_TYPES: Readonly<Record<number, string>> = {
  4: 'sequence',
  5: 'map',
  8: 'sparse tensor',
  9: 'optional',
};

const reject = (message: string, details: readonly string[] = []): never => {
  throw new WorkbenchError('MODEL_REJECTED', message, details);
};

/** int64 fields arrive as numbers or as Long objects, depending on how protobufjs was set up. */
function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { toNumber?: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return Number(v);
}

/** A reader that keeps unknown fields ($unknowns): this subset reaches subgraphs and other TypeProto kinds through them. */
function keepingUnknowns(bytes: Uint8Array): $protobuf.Reader {
  const reader = $protobuf.Reader.create(bytes);
  reader.discardUnknown = false;
  return reader;
}

/** The field number of each unknown field kept while decoding (its tag is the raw bytes' first varint). */
function unknownFields(m: {
  $unknowns?: Uint8Array[];
}): { field: number; wire: number; reader: $protobuf.Reader }[] {
  return (m.$unknowns ?? []).map((raw) => {
    const reader = keepingUnknowns(raw);
    const tag = reader.uint32();
    return { field: tag >>> 3, wire: tag & 7, reader };
  });
}

/** Elements of a tensor (the product of its dims; a scalar has one). */
function elements(t: Tensor, where: string): number {
  let n = 1;
  for (const d of t.dims ?? []) {
    const v = num(d);
    if (!Number.isSafeInteger(v) || v < 0) reject(`${where} has an invalid dimension ${String(v)}`);
    n *= v;
  }
  if (!Number.isSafeInteger(n)) reject(`${where} has more elements than can be counted`);
  return n;
}

function tensorInfo(v: ValueInfo): TensorInfo {
  const name = v.name ?? '';
  const type = v.type;
  const tt = type?.tensorType;
  if (type == null || tt == null) {
    const other =
      type == null ? undefined : unknownFields(type).find((u) => OTHER_TYPES[u.field] !== undefined);
    return { name, elemType: other !== undefined ? OTHER_TYPES[other.field]! : 'unknown', shape: null };
  }
  const elemType = ELEM_TYPES[tt.elemType ?? 0] ?? `type ${tt.elemType ?? 0}`;
  if (tt.shape == null) return { name, elemType, shape: null };
  const shape = (tt.shape.dim ?? []).map((d): Dim => {
    if (d.dimParam != null && d.dimParam !== '') return d.dimParam;
    if (d.dimValue != null) return num(d.dimValue);
    return null;
  });
  return { name, elemType, shape };
}

/** Walks a graph and its subgraphs (attributes g and graphs, which this subset keeps as unknown fields). */
function walk(
  graph: Graph,
  depth: number,
  acc: { ops: Map<string, number>; nodes: number; params: number; initializers: number; constants: number },
): void {
  if (depth > MAX_GRAPH_DEPTH) reject(`The model nests subgraphs more than ${MAX_GRAPH_DEPTH} deep`);
  for (const t of graph.initializer ?? []) {
    acc.params += elements(t, `Initializer ${t.name ?? ''}`);
    acc.initializers++;
  }
  for (const node of graph.node ?? []) {
    const op = node.opType ?? '';
    if (op === '') reject(`A node${node.name ? ` (${node.name})` : ''} has no operator type`);
    const domain = node.domain ?? '';
    const key = domain === '' || domain === 'ai.onnx' ? op : `${domain}.${op}`;
    acc.ops.set(key, (acc.ops.get(key) ?? 0) + 1);
    acc.nodes++;
    const isConstant = op === 'Constant' && (domain === '' || domain === 'ai.onnx');
    if (isConstant) acc.constants++;
    for (const a of node.attribute ?? []) {
      if (isConstant) {
        const where = `Constant ${node.name || (node.output ?? [])[0] || ''}`;
        if (a.name === 'value' && a.t != null) acc.params += elements(a.t, where);
        else if (a.name === 'value_float' || a.name === 'value_int') acc.params += 1;
        else if (a.name === 'value_floats') acc.params += a.floats?.length ?? 0;
        else if (a.name === 'value_ints') acc.params += a.ints?.length ?? 0;
      }
      for (const u of unknownFields(a)) {
        // AttributeProto field 6 is `g` (one graph), 11 is `graphs`; both length-delimited GraphProtos.
        if ((u.field === 6 || u.field === 11) && u.wire === 2) {
          walk(onnx.GraphProto.decode(u.reader, u.reader.uint32()), depth + 1, acc);
        }
      }
    }
  }
}

/**
 * Reads an ONNX model's declared interface and contents. Throws WorkbenchError('MODEL_REJECTED') for a file
 * over MAX_MODEL_BYTES, bytes that are not a protobuf ModelProto (garbage, truncated), or a model without a graph.
 */
export function inspectOnnx(bytes: Uint8Array): ModelInspection {
  if (bytes.byteLength > MAX_MODEL_BYTES) {
    reject(
      `The model is ${bytes.byteLength} bytes; models over ${MAX_MODEL_BYTES / 2 ** 20} MiB are not accepted`,
    );
  }
  if (bytes.byteLength === 0) reject('The file is empty, not an ONNX model');
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(keepingUnknowns(bytes));
  } catch (e) {
    return reject(
      `Not a readable ONNX model (damaged, truncated or another format): ${(e as Error).message}`,
      [String(e)],
    );
  }
  try {
    const graph = model.graph;
    if (graph == null) return reject('The file holds no model graph, so it is not a usable ONNX model');
    const irVersion = num(model.irVersion);
    const opsets = (model.opsetImport ?? []).map((o) => ({
      domain: o.domain ?? '',
      version: num(o.version),
    }));
    if (irVersion <= 0 && opsets.length === 0) {
      reject('The file declares neither an IR version nor an operator set, so it is not an ONNX model');
    }
    const acc = { ops: new Map<string, number>(), nodes: 0, params: 0, initializers: 0, constants: 0 };
    walk(graph, 0, acc);
    const initNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
    const ops = [...acc.ops]
      .map(([op, count]) => ({ op, count }))
      .sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
    const onnxOpset = opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    return {
      irVersion,
      opsets,
      opset: onnxOpset?.version ?? null,
      producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
      graphName: graph.name ?? '',
      inputs: (graph.input ?? []).filter((v) => !initNames.has(v.name ?? '')).map(tensorInfo),
      outputs: (graph.output ?? []).map(tensorInfo),
      ops,
      nodeCount: acc.nodes,
      parameterCount: acc.params,
      initializerCount: acc.initializers,
      constantNodeCount: acc.constants,
      sizeBytes: bytes.byteLength,
    };
  } catch (e) {
    if (e instanceof WorkbenchError) throw e;
    return reject(`The ONNX model could not be read: ${(e as Error).message}`, [String(e)]);
  }
}
