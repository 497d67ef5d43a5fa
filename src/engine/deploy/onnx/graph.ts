/**
 * A small ONNX graph builder over the static protobuf module: unique value names, initializers for
 * constants, and nodes in the order they are added (which is topological, since a node can only name
 * values that already exist).
 */
import type { onnx } from './generated/onnx.js';

type Attr = onnx.AttributeProto.$Properties;
type Tensor = onnx.TensorProto.$Properties;
type ValueInfo = onnx.ValueInfoProto.$Properties;

export const DT = {
  float: 1,
  int64: 7,
  string: 8,
  bool: 9,
} as const;

export type ElemType = (typeof DT)[keyof typeof DT];

const utf8 = new TextEncoder();

/** Attribute helpers (AttributeType numbers as in onnx.proto). */
export const attr = {
  int: (name: string, i: number): Attr => ({ name, type: 2, i }),
  float: (name: string, f: number): Attr => ({ name, type: 1, f }),
  ints: (name: string, ints: readonly number[]): Attr => ({ name, type: 7, ints: [...ints] }),
};

/** Float32 values as little-endian bytes (raw_data). */
function floatBytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

/** A value description: element type and shape (a string is a symbolic dimension). */
export function valueInfo(name: string, elemType: ElemType, shape: readonly (number | string)[]): ValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

export class GraphBuilder {
  readonly nodes: onnx.NodeProto.$Properties[] = [];
  readonly initializers: Tensor[] = [];
  private readonly used = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly produced = new Set<string>();

  /** Reserves a name (graph inputs); throws if it is taken. */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`Duplicate ONNX value name ${name}`);
    this.used.add(name);
    return name;
  }

  /** A reserved name (or a new one) as a node's output: each name is produced once. */
  private claim(name: string): string {
    if (this.produced.has(name)) throw new Error(`ONNX value ${name} is produced twice`);
    this.produced.add(name);
    this.used.add(name);
    return name;
  }

  /** A fresh, unused name built from `base`. */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.=-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** A float32 constant of `dims`. */
  floats(base: string, dims: readonly number[], values: ArrayLike<number>): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], dataType: DT.float, rawData: floatBytes(values) });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(base: string, value: number): string {
    return this.floats(base, [], [value]);
  }

  int64s(base: string, dims: readonly number[], values: readonly number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [...dims], dataType: DT.int64, int64Data: [...values] });
    return name;
  }

  strings(base: string, dims: readonly number[], values: readonly string[]): string {
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DT.string,
      stringData: values.map((v) => utf8.encode(v)),
    });
    return name;
  }

  /** Adds a node; returns its output name (a fresh one from `out`, or exactly `as` when given). */
  op(
    opType: string,
    inputs: readonly string[],
    options: { attrs?: readonly Attr[]; out?: string; as?: string; domain?: string } = {},
  ): string {
    const output = options.as !== undefined ? this.claim(options.as) : this.fresh(options.out ?? opType);
    const domain = options.domain ?? '';
    if (domain !== '') this.domains.add(domain);
    this.nodes.push({
      opType,
      input: [...inputs],
      output: [output],
      name: `${opType}_${this.nodes.length}`,
      ...(domain !== '' ? { domain } : {}),
      ...(options.attrs ? { attribute: [...options.attrs] } : {}),
    });
    return output;
  }

  /** Non-ONNX domains used by nodes (for opset_import). */
  get extraDomains(): readonly string[] {
    return [...this.domains];
  }
}
