/**
 * Batch inference's data side, pure: which dataset columns feed which model inputs (by name for the
 * workbench contract, or a dataset's numeric columns in order for one [N, F] float input), each row block's
 * feeds, and the outputs gathered into the columns of a predictions dataset.
 */
import type { TensorInfo } from '../deploy/inspect';
import type { ColumnMeta, DatasetMeta } from '../data/dataset';
import { present, type LoadedColumn } from '../preprocess/load';
import { WorkbenchError } from '../../lib/errors';
import {
  elementCount,
  isInferElemType,
  numbersOf,
  typedFromNumbers,
  type NumericElemType,
  type PlainTensor,
} from './tensors';

/** Rows per run unless the caller asks otherwise. */
export const DEFAULT_BLOCK_ROWS = 512;

/** One model input and the dataset columns (indices into the dataset's columns) that feed it. */
export interface Binding {
  readonly input: string;
  readonly type: NumericElemType | 'string';
  /** One column per input ([N,1] or [N]), or F columns for one [N, F] input. */
  readonly columns: readonly number[];
  /** Trailing dims after N: [1], [] or [F]. */
  readonly rowDims: readonly number[];
}

export interface BatchPlan {
  readonly kind: 'columns' | 'vector';
  readonly bindings: readonly Binding[];
  /** Human-readable mapping, e.g. "x ← bill_length_mm, bill_depth_mm". */
  readonly summary: string;
}

const NUMERIC = new Set(['number', 'integer']);
const TEXTUAL = new Set(['categorical', 'text']);

const invalid = (m: string): WorkbenchError => new WorkbenchError('INVALID_INPUT', m);
const list = (names: readonly string[]): string => names.map((n) => `“${n}”`).join(', ');

/** Maps a dataset's columns to the model's inputs, or says exactly what is missing or mismatched. */
export function planBatch(inputs: readonly TensorInfo[], meta: DatasetMeta): BatchPlan {
  if (inputs.length === 0) throw invalid('The model declares no inputs.');
  for (const t of inputs) {
    if (!isInferElemType(t.elemType))
      throw invalid(`Input “${t.name}” has type ${t.elemType}, which batch inference cannot feed.`);
  }
  const byName = new Map(meta.columns.map((c, i) => [c.name, i]));
  const only = inputs.length === 1 ? inputs[0]! : null;
  const f = only?.shape?.length === 2 ? only.shape[1] : undefined;
  if (
    only !== null &&
    only.elemType !== 'string' &&
    typeof f === 'number' &&
    f > 1 &&
    !byName.has(only.name)
  ) {
    const numeric = meta.columns
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => NUMERIC.has(c.type) && c.name !== meta.target);
    if (numeric.length !== f) {
      throw invalid(
        `Input “${only.name}” takes ${f} values per row, but “${meta.name}” has ${numeric.length} numeric column(s) besides the target (${list(numeric.map(({ c }) => c.name)) || 'none'}).`,
      );
    }
    return {
      kind: 'vector',
      bindings: [
        {
          input: only.name,
          type: only.elemType as NumericElemType,
          columns: numeric.map(({ i }) => i),
          rowDims: [f],
        },
      ],
      summary: `${only.name} ← ${numeric.map(({ c }) => c.name).join(', ')}`,
    };
  }
  const missing = inputs.filter((t) => !byName.has(t.name)).map((t) => t.name);
  if (missing.length > 0) {
    throw invalid(
      `“${meta.name}” has no column named ${list(missing)}, which the model takes as input${missing.length > 1 ? 's' : ''} (inputs are matched to columns by name).`,
    );
  }
  const bindings = inputs.map((t): Binding => {
    const column = byName.get(t.name)!;
    const col = meta.columns[column]!;
    const rest = t.shape === null ? [1] : t.shape.slice(1);
    if (t.shape !== null && (t.shape.length === 0 || t.shape.length > 2 || rest.some((d) => d !== 1))) {
      throw invalid(
        `Input “${t.name}” has shape [${t.shape.map((d) => d ?? '?').join(', ')}]; a column feeds [N, 1] or [N].`,
      );
    }
    const type = t.elemType as NumericElemType | 'string';
    if (type === 'string' ? !TEXTUAL.has(col.type) : !NUMERIC.has(col.type)) {
      throw invalid(
        `Input “${t.name}” is ${type} but column “${col.name}” is ${col.type}; ${type === 'string' ? 'a categorical or text' : 'a numeric'} column is needed.`,
      );
    }
    return { input: t.name, type, columns: [column], rowDims: rest.map(() => 1) };
  });
  return {
    kind: 'columns',
    bindings,
    summary: bindings.map((b) => b.input).join(', ') + ' ← columns of the same names',
  };
}

/** The indices of every column a plan reads. */
export const planColumns = (plan: BatchPlan): number[] => [
  ...new Set(plan.bindings.flatMap((b) => b.columns)),
];

function cellNumber(col: LoadedColumn, r: number): number {
  return present(col.validity, r) ? Number((col.data as ArrayLike<number>)[r]) : NaN;
}

function cellText(col: LoadedColumn, r: number): string {
  if (!present(col.validity, r)) return '';
  const v = col.data[r];
  if (typeof v === 'string') return v;
  return col.meta.dictionary?.[Number(v)] ?? String(v);
}

/** The feeds of rows [start, end): missing numbers are NaN (float inputs), missing categories "". */
export function blockFeeds(
  plan: BatchPlan,
  columns: ReadonlyMap<number, LoadedColumn>,
  start: number,
  end: number,
): Record<string, PlainTensor> {
  const n = end - start;
  const feeds: Record<string, PlainTensor> = {};
  for (const b of plan.bindings) {
    const cols = b.columns.map((c) => columns.get(c)!);
    const dims = [n, ...b.rowDims];
    if (b.type === 'string') {
      const data = Array.from({ length: n }, (_, i) => cellText(cols[0]!, start + i));
      feeds[b.input] = { type: 'string', dims, data };
      continue;
    }
    const values = new Array<number>(n * cols.length);
    for (let i = 0; i < n; i++) {
      for (const [j, col] of cols.entries()) values[i * cols.length + j] = cellNumber(col, start + i);
    }
    if (!b.type.startsWith('float')) {
      const at = values.findIndex((v) => Number.isNaN(v));
      if (at >= 0) {
        throw invalid(
          `Row ${start + Math.floor(at / cols.length)} has no value for “${b.input}”, an ${b.type} input that cannot hold a missing value.`,
        );
      }
    }
    feeds[b.input] = { type: b.type, dims, data: typedFromNumbers(b.type, values) };
  }
  return feeds;
}

/** A column of the predictions dataset, whole. */
export interface OutColumn {
  readonly meta: ColumnMeta;
  readonly data: Float64Array | Int32Array | string[];
  readonly validity: Uint32Array;
}

/** Gathers each block's outputs; `columns()` turns them into the predictions dataset's columns. */
export class OutputCollector {
  private readonly parts = new Map<
    string,
    { type: string; width: number; dims: number[]; values: (number | string)[] }
  >();
  private rows = 0;

  /** Adds one block's outputs (every output's first dim is the block's row count). */
  add(outputs: Readonly<Record<string, PlainTensor>>, n: number): void {
    for (const [name, t] of Object.entries(outputs)) {
      if (t.dims[0] !== n) {
        throw new WorkbenchError(
          'MODEL_REJECTED',
          `Output “${name}” has shape [${t.dims.join(', ')}], not one row per input row (${n}).`,
        );
      }
      const width = elementCount(t.dims.slice(1));
      const part = this.parts.get(name) ?? { type: t.type, width, dims: t.dims.slice(1), values: [] };
      const vals = t.type === 'string' ? (t.data as string[]) : numbersOf(t.data);
      for (const v of vals) part.values.push(v);
      this.parts.set(name, part);
    }
    this.rows += n;
  }

  /** row, then label + p_<class> for a classifier (the contract's outputs), else each output flattened. */
  columns(classes: readonly string[] | null): OutColumn[] {
    const rows = this.rows;
    const out: OutColumn[] = [
      numberColumn(
        'row',
        Float64Array.from({ length: rows }, (_, i) => i),
        'integer',
      ),
    ];
    const probs = this.parts.get('probabilities');
    const cls = this.parts.get('class');
    const label = this.parts.get('label');
    if (probs !== undefined && (cls !== undefined || label !== undefined)) {
      const k = probs.width;
      const names =
        classes !== null && classes.length === k ? classes : Array.from({ length: k }, (_, j) => String(j));
      const dictionary = [...names];
      const codes = new Int32Array(rows).fill(-1);
      for (let r = 0; r < rows; r++) {
        // A row whose probabilities are not finite (an input missing) has no label either.
        if (probs.values.slice(r * k, (r + 1) * k).some((p) => !Number.isFinite(p))) continue;
        const v = cls !== undefined ? cls.values[r] : names[Number(label!.values[r])];
        if (typeof v !== 'string' || v === '') continue;
        let code = dictionary.indexOf(v);
        if (code < 0) code = dictionary.push(v) - 1;
        codes[r] = code;
      }
      out.push(categoricalColumn('label', codes, dictionary));
      for (let j = 0; j < k; j++) {
        out.push(
          numberColumn(
            `p_${names[j]}`,
            Float64Array.from({ length: rows }, (_, r) => Number(probs.values[r * k + j])),
          ),
        );
      }
      return out;
    }
    for (const [name, part] of this.parts) {
      if (part.width > 256)
        throw invalid(`Output “${name}” has ${part.width} values per row; at most 256 are saved as columns.`);
      for (let j = 0; j < part.width; j++) {
        const col = part.width === 1 ? (name === 'label' ? 'value' : name) : `${name}_${j}`;
        if (part.type === 'string') {
          out.push(
            textColumn(
              col,
              Array.from({ length: rows }, (_, r) => String(part.values[r * part.width + j])),
            ),
          );
        } else {
          out.push(
            numberColumn(
              col,
              Float64Array.from({ length: rows }, (_, r) => Number(part.values[r * part.width + j])),
            ),
          );
        }
      }
    }
    return out;
  }
}

function mask(rows: number, ok: (r: number) => boolean): { validity: Uint32Array; missing: number } {
  const validity = new Uint32Array(Math.ceil(rows / 32));
  let missing = 0;
  for (let r = 0; r < rows; r++) {
    if (ok(r)) validity[r >>> 5]! |= 1 << (r & 31);
    else missing++;
  }
  return { validity, missing };
}

function numberColumn(name: string, data: Float64Array, type: 'number' | 'integer' = 'number'): OutColumn {
  const { validity, missing } = mask(data.length, (r) => Number.isFinite(data[r]));
  return { meta: { name, type, missing }, data, validity };
}

function categoricalColumn(name: string, codes: Int32Array, dictionary: readonly string[]): OutColumn {
  const { validity, missing } = mask(codes.length, (r) => codes[r]! >= 0);
  return { meta: { name, type: 'categorical', missing, dictionary }, data: codes, validity };
}

function textColumn(name: string, data: string[]): OutColumn {
  const { validity, missing } = mask(data.length, (r) => data[r] !== '');
  return { meta: { name, type: 'text', missing }, data, validity };
}
