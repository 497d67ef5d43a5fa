/**
 * ONNX export of a trained model with its fitted preprocessing folded in as ONNX nodes, so the file takes
 * raw column values (the input contract is docs/onnx-contract.md). Opset 19 of the default domain only: no
 * ai.onnx.ml operators (category strings are matched with Equal, which takes strings from opset 19 on).
 *
 * The recipe's element-wise program is mirrored operation by operation, with NaN standing for "missing" as
 * the app's validity bits do: a non-finite input or result is missing, impute replaces missing, every
 * other operation keeps missing missing (see applyOp in preprocess/cpuBackend.ts).
 */
import { WorkbenchError } from '../../../lib/errors';
import type { ElementOp } from '../../preprocess/program';
import { OP } from '../../preprocess/program';
import type { FittedRecipe, SchemaColumn } from '../../preprocess/fitted';
import { isNumericType } from '../../preprocess/validate';
import type { RunRecord } from '../../train/run';
import type { Activation, ModelSpec } from '../../train/spec';
import type { WeightTensor } from '../../train/train';
import { onnx } from './generated/onnx.js';
import { attr, DT, GraphBuilder, valueInfo } from './graph';

/** The default-domain opset the exported graph imports. */
export const ONNX_OPSET = 19;
/** IR version 9 is the one that introduced opset 19. */
export const ONNX_IR_VERSION = 9;
/** Version of the input/output contract (docs/onnx-contract.md), stored in the model's metadata. */
export const ONNX_CONTRACT_VERSION = '1';

/** Output names of every exported model. */
export const OUTPUTS = { label: 'label', probabilities: 'probabilities', className: 'class' } as const;

export interface OnnxExportOptions {
  /**
   * For image models trained without a fitted recipe that records the image column's shape: the per-row
   * shape [h, w, c] and how pixels were stored ('u8': 0–255, divided by 255 inside the model; 'f32': as is).
   */
  readonly image?: { readonly shape: readonly [number, number, number]; readonly pixels: 'u8' | 'f32' };
}

const BATCH = 'N';

function unsupported(message: string): never {
  throw new WorkbenchError('INVALID_INPUT', `ONNX export: ${message}`);
}

/** The output head the trainer used for this record (see trainer.ts headOf). */
function headOf(record: RunRecord): { units: number; activation: 'sigmoid' | 'softmax' | 'linear' } {
  if (record.task === 'regression') return { units: 1, activation: 'linear' };
  return record.classes.length === 2
    ? { units: 1, activation: 'sigmoid' }
    : { units: record.classes.length, activation: 'softmax' };
}

/** Hidden dense layers' activations, in order. */
function hiddenActivations(spec: ModelSpec): Activation[] {
  if (spec.kind === 'mlp') return spec.hidden.map((h) => h.activation);
  if (spec.kind === 'cnn') return spec.dense.map((h) => h.activation);
  return [];
}

/** Builds the graph of a run; see exportOnnx. */
class Exporter {
  readonly g = new GraphBuilder();
  readonly inputs: onnx.ValueInfoProto.$Properties[] = [];
  private readonly reservedInputs = new Set<string>();
  private readonly declared = new Map<string, string>();
  private readonly encoded = new Map<number, string>();
  private readonly columns = new Map<number, string>();
  private nanName: string | null = null;

  constructor(
    readonly record: RunRecord,
    readonly fitted: FittedRecipe | null,
  ) {
    for (const name of Object.values(OUTPUTS)) this.g.reserve(name);
    const names = new Set([
      ...record.features,
      ...(fitted?.numericInputs ?? []),
      ...(fitted?.codeInputs ?? []),
    ]);
    for (const name of names) {
      if (Object.values(OUTPUTS).includes(name as never)) {
        unsupported(`a column named ${name} would clash with the output of that name`);
      }
      this.g.reserve(name);
      this.reservedInputs.add(name);
    }
  }

  nan(): string {
    return (this.nanName ??= this.g.scalar('nan', NaN));
  }

  /** NaN where x is ±∞ or NaN: x − x is NaN exactly for non-finite x. */
  finite(x: string): string {
    const g = this.g;
    const bad = g.op('IsNaN', [g.op('Sub', [x, x], { out: `${x}_d` })], { out: `${x}_bad` });
    return g.op('Where', [bad, this.nan(), x], { out: `${x}_f` });
  }

  /** A raw numeric column as a float [N, 1] graph input; non-finite values become NaN (missing). */
  numericInput(name: string): string {
    const have = this.declared.get(name);
    if (have !== undefined) return have;
    if (!this.reservedInputs.has(name)) unsupported(`no input named ${name}`);
    this.inputs.push(valueInfo(name, DT.float, [BATCH, 1]));
    const value = this.finite(name);
    this.declared.set(name, value);
    return value;
  }

  /** A raw categorical column as a string [N, 1] graph input ("" = missing). */
  stringInput(name: string): string {
    const have = this.declared.get(name);
    if (have !== undefined) return have;
    this.inputs.push(valueInfo(name, DT.string, [BATCH, 1]));
    this.declared.set(name, name);
    return name;
  }

  /**
   * Encode spec `index` of the program as a float [N, width] value. Each row's string becomes an indicator
   * over [dictionary..., unseen, missing] (Equal against the fitted dictionary); a MatMul with a constant
   * table then gives the one-hot slots, or the ordinal value (NaN when the code maps to nothing).
   */
  encode(index: number): string {
    const have = this.encoded.get(index);
    if (have !== undefined) return have;
    const fitted = this.fitted!;
    const spec = fitted.program.encode[index]!;
    const column = fitted.codeInputs[spec.input]!;
    const dict = fitted.input.find((c) => c.name === column)?.dictionary ?? [];
    const d = dict.length;
    const g = this.g;
    const x = this.stringInput(column);
    const base = `${column}_enc`;
    const empty = g.strings(`${base}_empty`, [1, 1], ['']);
    const missing = g.op('Cast', [g.op('Equal', [x, empty], { out: `${base}_eqmiss` })], {
      attrs: [attr.int('to', DT.float)],
      out: `${base}_missing`,
    });
    let seen = '';
    let hits = '';
    if (d > 0) {
      const dictT = g.strings(`${base}_dict`, [1, d], dict);
      hits = g.op('Cast', [g.op('Equal', [x, dictT], { out: `${base}_eq` })], {
        attrs: [attr.int('to', DT.float)],
        out: `${base}_hits`,
      });
      seen = g.op('MatMul', [hits, g.floats(`${base}_ones`, [d, 1], new Float32Array(d).fill(1))], {
        out: `${base}_seen`,
      });
    }
    const one = g.scalar(`${base}_one`, 1);
    if (d === 0) seen = g.scalar(`${base}_zero`, 0);
    const unseen = g.op('Sub', [g.op('Sub', [one, seen]), missing], { out: `${base}_unseen` });
    const indicator = g.op('Concat', d > 0 ? [hits, unseen, missing] : [unseen, missing], {
      attrs: [attr.int('axis', 1)],
      out: `${base}_ind`,
    });
    // Row c of the table: what code c encodes to; row d: the unseen code; row d + 1: a missing value.
    const codeOfRow = (row: number): number => (row <= d ? row : spec.fill);
    const mapped = (row: number): number => {
      const c = codeOfRow(row);
      return c >= 0 && c < spec.map.length ? spec.map[c]! : -1;
    };
    let out: string;
    if (spec.mode === 'onehot') {
      const table = new Float32Array((d + 2) * spec.width);
      for (let row = 0; row < d + 2; row++) {
        const m = mapped(row);
        if (m >= 0 && m < spec.width) table[row * spec.width + m] = 1;
      }
      out = g.op('MatMul', [indicator, g.floats(`${base}_table`, [d + 2, spec.width], table)], {
        out: `${base}_onehot`,
      });
    } else {
      const values = new Float32Array(d + 2);
      const valid = new Float32Array(d + 2);
      for (let row = 0; row < d + 2; row++) {
        const m = mapped(row);
        if (m >= 0) {
          values[row] = m;
          valid[row] = 1;
        }
      }
      const value = g.op('MatMul', [indicator, g.floats(`${base}_values`, [d + 2, 1], values)]);
      const ok = g.op('MatMul', [indicator, g.floats(`${base}_valid`, [d + 2, 1], valid)]);
      const none = g.op('Less', [ok, g.scalar(`${base}_half`, 0.5)]);
      out = g.op('Where', [none, this.nan(), value], { out: `${base}_ordinal` });
    }
    this.encoded.set(index, out);
    return out;
  }

  /** Intermediate column `index` of the program (numeric inputs, then encode outputs) as [N, 1]. */
  intermediate(index: number): string {
    const fitted = this.fitted!;
    const n = fitted.numericInputs.length;
    if (index < n) return this.numericInput(fitted.numericInputs[index]!);
    let k = index - n;
    for (const [i, e] of fitted.program.encode.entries()) {
      if (k < e.width) {
        const enc = this.encode(i);
        if (e.width === 1) return enc;
        const at = this.g.int64s('slot', [1], [k]);
        return this.g.op('Gather', [enc, at], { attrs: [attr.int('axis', 1)], out: `${enc}_${k}` });
      }
      k -= e.width;
    }
    return unsupported(`the recipe reads an intermediate column ${index} that does not exist`);
  }

  /** One element-wise operation on x (NaN = missing), as applyOp computes it. */
  elementOp(x: string, { op, a, b }: ElementOp, base: string): string {
    const g = this.g;
    const keepNaN = (y: string): string => g.op('Where', [g.op('IsNaN', [x]), x, y]);
    switch (op) {
      case OP.impute: {
        const fill = Number.isFinite(Math.fround(a)) ? g.scalar(`${base}_fill`, a) : this.nan();
        return g.op('Where', [g.op('IsNaN', [x]), fill, x], { out: `${base}_impute` });
      }
      case OP.affine: {
        const y = g.op('Mul', [g.op('Sub', [x, g.scalar(`${base}_a`, a)]), g.scalar(`${base}_b`, b)]);
        return this.finite(y);
      }
      case OP.clip: {
        const lo = g.op('Max', [x, g.scalar(`${base}_lo`, a)]);
        return this.finite(keepNaN(g.op('Min', [lo, g.scalar(`${base}_hi`, b)])));
      }
      case OP.log:
        return this.finite(g.op('Log', [x]));
      case OP.log1p: {
        // log1p(x) = log(u) · x / (u − 1) with u = 1 + x (and x itself when u rounds to 1): exact in f32
        // where log(1 + x) loses the low bits of small x.
        const u = g.op('Add', [x, g.scalar(`${base}_one`, 1)]);
        const du = g.op('Sub', [u, g.scalar(`${base}_one`, 1)]);
        const ratio = g.op('Div', [x, du]);
        const y = g.op('Mul', [g.op('Log', [u]), ratio]);
        const tiny = g.op('Equal', [du, g.scalar(`${base}_zero`, 0)]);
        return this.finite(g.op('Where', [tiny, x, y], { out: `${base}_log1p` }));
      }
      case OP.sqrt:
        return this.finite(g.op('Sqrt', [x]));
      case OP.power:
        return this.finite(keepNaN(g.op('Pow', [x, g.scalar(`${base}_p`, a)])));
      default:
        return x;
    }
  }

  /** Numeric output column `k` of the recipe (program.elementwise[k]) as [N, 1]. */
  recipeColumn(k: number, name: string): string {
    const have = this.columns.get(k);
    if (have !== undefined) return have;
    const spec = this.fitted!.program.elementwise[k]!;
    let x = this.intermediate(spec.input);
    spec.ops.forEach((o, i) => {
      x = this.elementOp(x, { op: o.op as ElementOp['op'], a: o.a, b: o.b }, `${name}_op${i}`);
    });
    this.columns.set(k, x);
    return x;
  }

  /** A model feature by name: a numeric output of the recipe, or a raw numeric column. */
  feature(name: string): string {
    if (this.fitted !== null) {
      const numericOut = this.fitted.output.filter((c) => isNumericType(c.type));
      const k = numericOut.findIndex((c) => c.name === name);
      if (k >= 0) {
        if (k >= this.fitted.program.elementwise.length) unsupported(`recipe output ${name} has no program`);
        return this.recipeColumn(k, name);
      }
    }
    return this.numericInput(name);
  }

  /** The image column as a float [N, h, w, c] input, scaled to [0, 1] for 0–255 pixels. */
  imageInput(name: string, shape: readonly [number, number, number], pixels: 'u8' | 'f32'): string {
    this.inputs.push(valueInfo(name, DT.float, [BATCH, ...shape]));
    if (pixels === 'f32') return name;
    return this.g.op('Div', [name, this.g.scalar('pixel_max', 255)], { out: `${name}_scaled` });
  }
}

/** The image column a run reads, if any: its shape and pixel storage. */
function imageOf(
  record: RunRecord,
  fitted: FittedRecipe | null,
  options: OnnxExportOptions,
): { name: string; shape: readonly [number, number, number]; pixels: 'u8' | 'f32' } | null {
  if (record.features.length !== 1) return null;
  const name = record.features[0]!;
  const schema: SchemaColumn | undefined =
    fitted?.output.find((c) => c.name === name) ?? fitted?.input.find((c) => c.name === name);
  const isImage =
    schema?.type === 'image' ||
    record.config.model.kind === 'cnn' ||
    (record.reference ?? []).some((r) => r.channel !== undefined);
  if (!isImage) return null;
  if (fitted?.images.some((i) => i.column === name)) {
    unsupported(`the image steps of the recipe on ${name} are not exported yet`);
  }
  const shape = options.image?.shape ?? schema?.shape;
  if (shape === undefined) unsupported(`the shape of image column ${name} is unknown: pass options.image`);
  const pixels =
    options.image?.pixels ??
    (record.notices.some((n) => n.startsWith('Pixels 0–255 were scaled')) ? 'u8' : 'f32');
  return { name, shape: [shape[0], shape[1], shape[2]], pixels };
}

/** Conv kernel [kh, kw, in, out] (tfjs) → [out, in, kh, kw] (ONNX). */
function convKernel(w: WeightTensor): Float32Array {
  const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++)
          out[((o * cin + i) * kh + y) * kw + x] = w.data[((y * kw + x) * cin + i) * cout + o]!;
  return out;
}

function activate(g: GraphBuilder, x: string, activation: Activation, name: string): string {
  switch (activation) {
    case 'relu':
      return g.op('Relu', [x], { out: `${name}_relu` });
    case 'tanh':
      return g.op('Tanh', [x], { out: `${name}_tanh` });
    case 'sigmoid':
      return g.op('Sigmoid', [x], { out: `${name}_sigmoid` });
    case 'elu':
      return g.op('Elu', [x], { attrs: [attr.float('alpha', 1)], out: `${name}_elu` });
    case 'linear':
      return x;
  }
}

/**
 * Serialises a trained run as an ONNX model (opset 19): the fitted recipe's numeric program and category
 * encodings, the network, and the head. Inputs: one float32 [N, 1] per raw numeric column and one string
 * [N, 1] per categorical column the model needs (or one float32 [N, h, w, c] image); outputs: `label`
 * (int64 class index [N], or the float value [N] for regression), and for classifiers `probabilities`
 * [N, k] and `class` (the class name, string [N]).
 */
export function exportOnnx(
  record: RunRecord,
  weights: readonly WeightTensor[],
  fitted: FittedRecipe | null,
  options: OnnxExportOptions = {},
): Uint8Array {
  if (record.status !== 'completed' && record.status !== 'early-stopped') {
    unsupported(`run ${record.name} did not finish (${record.status})`);
  }
  const ex = new Exporter(record, fitted);
  const g = ex.g;
  const spec = record.config.model;
  const image = imageOf(record, fitted, options);
  let w = 0;
  const next = (): WeightTensor => {
    const t = weights[w++];
    if (t === undefined) return unsupported('fewer weight tensors than the model has');
    return t;
  };

  let h: string;
  if (image !== null) {
    const x = ex.imageInput(image.name, image.shape, image.pixels);
    const [ih, iw, ic] = image.shape;
    if (spec.kind === 'cnn') {
      let t = g.op('Transpose', [x], { attrs: [attr.ints('perm', [0, 3, 1, 2])], out: 'nchw' });
      spec.conv.forEach((c, i) => {
        const kernel = next();
        const bias = next();
        const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
        const k = g.floats(`conv${i + 1}_kernel`, [cout, cin, kh, kw], convKernel(kernel));
        const b = g.floats(`conv${i + 1}_bias`, [cout], bias.data);
        const top = Math.floor((kh - 1) / 2);
        const left = Math.floor((kw - 1) / 2);
        t = g.op('Conv', [t, k, b], {
          attrs: [
            attr.ints('kernel_shape', [kh, kw]),
            attr.ints('pads', [top, left, kh - 1 - top, kw - 1 - left]),
            attr.ints('strides', [1, 1]),
          ],
          out: `conv${i + 1}`,
        });
        t = g.op('Relu', [t], { out: `conv${i + 1}_relu` });
        if (c.pool > 1) {
          t = g.op('MaxPool', [t], {
            attrs: [attr.ints('kernel_shape', [c.pool, c.pool]), attr.ints('strides', [c.pool, c.pool])],
            out: `pool${i + 1}`,
          });
        }
      });
      // tfjs flattens channels-last: back to NHWC before flattening.
      t = g.op('Transpose', [t], { attrs: [attr.ints('perm', [0, 2, 3, 1])], out: 'nhwc' });
      h = g.op('Flatten', [t], { attrs: [attr.int('axis', 1)], out: 'flatten' });
    } else {
      h = g.op('Reshape', [x, g.int64s('flat_shape', [2], [-1, ih * iw * ic])], { out: 'flat' });
    }
  } else {
    const cols = record.features.map((f) => ex.feature(f));
    h = g.op('Concat', cols, { attrs: [attr.int('axis', 1)], out: 'features' });
  }

  const dense = (x: string, name: string): string => {
    const kernel = next();
    const bias = next();
    if (kernel.shape.length !== 2)
      unsupported(`layer ${name}: a dense kernel of shape ${kernel.shape.join('×')}`);
    const k = g.floats(`${name}_kernel`, kernel.shape, kernel.data);
    const b = g.floats(`${name}_bias`, bias.shape, bias.data);
    return g.op('Gemm', [x, k, b], { out: name });
  };
  hiddenActivations(spec).forEach((a, i) => {
    h = activate(g, dense(h, `dense${i + 1}`), a, `dense${i + 1}`);
  });
  const z = dense(h, 'logits');
  if (w !== weights.length) unsupported(`${weights.length - w} weight tensors more than the model has`);

  const head = headOf(record);
  const outputs: onnx.ValueInfoProto.$Properties[] = [];
  if (head.activation === 'linear') {
    g.op('Reshape', [z, g.int64s('label_shape', [1], [-1])], { as: OUTPUTS.label });
    outputs.push(valueInfo(OUTPUTS.label, DT.float, [BATCH]));
  } else {
    const k = record.classes.length;
    if (head.activation === 'sigmoid') {
      const p = g.op('Sigmoid', [z], { out: 'p1' });
      const p0 = g.op('Sub', [g.scalar('one', 1), p], { out: 'p0' });
      g.op('Concat', [p0, p], { attrs: [attr.int('axis', 1)], as: OUTPUTS.probabilities });
    } else {
      g.op('Softmax', [z], { attrs: [attr.int('axis', 1)], as: OUTPUTS.probabilities });
    }
    g.op('ArgMax', [OUTPUTS.probabilities], {
      attrs: [attr.int('axis', 1), attr.int('keepdims', 0)],
      as: OUTPUTS.label,
    });
    const names = g.strings('class_names', [k], record.classes);
    g.op('Gather', [names, OUTPUTS.label], { attrs: [attr.int('axis', 0)], as: OUTPUTS.className });
    outputs.push(
      valueInfo(OUTPUTS.label, DT.int64, [BATCH]),
      valueInfo(OUTPUTS.probabilities, DT.float, [BATCH, k]),
      valueInfo(OUTPUTS.className, DT.string, [BATCH]),
    );
  }

  const model: onnx.ModelProto.$Properties = {
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'webgpu-workbench',
    producerVersion: '0.1.0',
    docString: `${record.name}: exported with its preprocessing; see docs/onnx-contract.md`,
    graph: {
      name: record.name.replace(/[^A-Za-z0-9_]/g, '_') || 'model',
      node: g.nodes,
      initializer: g.initializers,
      input: ex.inputs,
      output: outputs,
    },
    metadataProps: [
      { key: 'workbench.contract', value: ONNX_CONTRACT_VERSION },
      { key: 'workbench.task', value: record.task },
      { key: 'workbench.target', value: record.config.target },
      { key: 'workbench.features', value: JSON.stringify(record.features) },
      { key: 'workbench.classes', value: JSON.stringify(record.classes) },
      { key: 'workbench.run', value: record.id },
    ],
  };
  return onnx.ModelProto.encode(model).finish();
}
