/**
 * The single-prediction form: which fields a model's inputs call for, how a field's text is checked, how the
 * filled form becomes feeds for one row, and its outputs in readable form (label, per-class probabilities).
 */
import type { Dim, TensorInfo } from '../deploy/inspect';
import { WorkbenchError } from '../../lib/errors';
import {
  isInferElemType,
  numbersOf,
  typedFromNumbers,
  type NumericElemType,
  type PlainTensor,
} from './tensors';

/** One field of the form. */
export interface FormField {
  /** The input it feeds. */
  readonly input: string;
  /** Position inside that input (vector form), 0 otherwise. */
  readonly index: number;
  readonly label: string;
  readonly kind: 'number' | 'text';
  /** Whether an empty field is allowed (missing: NaN or ""); integer inputs and vector fields need a value. */
  readonly optional: boolean;
  /** Text the field starts with and goes back to on Reset. */
  readonly initial: string;
}

export interface FormPlan {
  /** 'columns': one field per input ([N,1] or [1] each, the workbench contract); 'vector': F fields of one input. */
  readonly kind: 'columns' | 'vector';
  readonly fields: readonly FormField[];
  /** Each input's dims for one row. */
  readonly dims: Readonly<Record<string, readonly number[]>>;
  readonly types: Readonly<Record<string, NumericElemType | 'string'>>;
}

/** Size of a dim for one row: symbolic / unknown dims are the batch and become 1. */
const one = (d: Dim): number | null => (typeof d === 'number' ? d : 1);

const isFloat = (t: string): boolean => t === 'float32' || t === 'float64';

/** The form a model's inputs allow, or a sentence saying why none fits (then the tensor editor is the way). */
export function formPlan(inputs: readonly TensorInfo[]): FormPlan | string {
  if (inputs.length === 0) return 'The model declares no inputs.';
  const types: Record<string, NumericElemType | 'string'> = {};
  for (const t of inputs) {
    if (!isInferElemType(t.elemType))
      return `Input “${t.name}” has type ${t.elemType}, which the form cannot fill.`;
    types[t.name] = t.elemType;
  }
  const single = inputs.length === 1 ? inputs[0]! : null;
  const rowDims = (t: TensorInfo): number[] | null => {
    if (t.shape === null) return null;
    const dims = t.shape.map(one);
    return dims.every((d): d is number => d !== null) ? dims : null;
  };
  // A single numeric [1, F] / [N, F] input with a fixed F > 1: F numbered fields.
  if (single !== null && single.elemType !== 'string' && single.shape?.length === 2) {
    const f = single.shape[1];
    if (typeof f === 'number' && f > 1 && (single.shape[0] === 1 || typeof single.shape[0] !== 'number')) {
      const fields = Array.from({ length: f }, (_, i) => ({
        input: single.name,
        index: i,
        label: `${single.name}[${i}]`,
        kind: 'number' as const,
        optional: false,
        initial: '0',
      }));
      return { kind: 'vector', fields, dims: { [single.name]: [1, f] }, types };
    }
  }
  const dims: Record<string, number[]> = {};
  const fields: FormField[] = [];
  for (const t of inputs) {
    const d = rowDims(t);
    if (d === null || d.length === 0 || d.length > 2 || d.some((x) => x !== 1)) {
      return `Input “${t.name}” has shape [${(t.shape ?? ['?']).map((x) => x ?? '?').join(', ')}], not one value per row ([N, 1] or [N]); use the tensor editor.`;
    }
    dims[t.name] = d;
    const text = t.elemType === 'string';
    fields.push({
      input: t.name,
      index: 0,
      label: t.name,
      kind: text ? 'text' : 'number',
      optional: text || isFloat(t.elemType),
      initial: '',
    });
  }
  return { kind: 'columns', fields, dims, types };
}

/** Why a field's text is not acceptable, or null when it is. */
export function checkField(field: FormField, type: NumericElemType | 'string', text: string): string | null {
  if (field.kind === 'text') return null;
  const v = text.trim();
  if (v === '') return field.optional ? null : 'A value is needed.';
  const n = Number(v);
  if (!Number.isFinite(n)) return 'Not a number.';
  if (!isFloat(type) && !Number.isInteger(n)) return 'A whole number is needed.';
  if (type === 'uint8' && (n < 0 || n > 255)) return 'Between 0 and 255.';
  if (type === 'int8' && (n < -128 || n > 127)) return 'Between −128 and 127.';
  return null;
}

/** Every field's problem (by field position); empty when the form can run. */
export function checkForm(plan: FormPlan, values: readonly string[]): Map<number, string> {
  const problems = new Map<number, string>();
  plan.fields.forEach((f, i) => {
    const p = checkField(f, plan.types[f.input]!, values[i] ?? '');
    if (p !== null) problems.set(i, p);
  });
  return problems;
}

/** The filled form as feeds for one row (empty numbers → NaN, empty text → ""). */
export function formFeeds(plan: FormPlan, values: readonly string[]): Record<string, PlainTensor> {
  const problems = checkForm(plan, values);
  if (problems.size > 0) {
    const [i, why] = [...problems][0]!;
    throw new WorkbenchError('INVALID_INPUT', `${plan.fields[i]!.label}: ${why}`);
  }
  const byInput = new Map<string, string[]>();
  plan.fields.forEach((f, i) => {
    const list = byInput.get(f.input) ?? [];
    list[f.index] = values[i] ?? '';
    byInput.set(f.input, list);
  });
  const feeds: Record<string, PlainTensor> = {};
  for (const [name, texts] of byInput) {
    const type = plan.types[name]!;
    const dims = plan.dims[name]!;
    feeds[name] =
      type === 'string'
        ? { type, dims, data: texts }
        : {
            type,
            dims,
            data: typedFromNumbers(
              type,
              texts.map((t) => (t.trim() === '' ? NaN : Number(t))),
            ),
          };
  }
  return feeds;
}

/** One row's outputs, readable: the label, each class's probability, and any other output's values. */
export interface ReadableOutputs {
  readonly label: string | null;
  readonly probabilities: readonly { readonly name: string; readonly p: number }[];
  readonly others: readonly { readonly name: string; readonly values: readonly (number | string)[] }[];
}

/** Reads the first row of the outputs; class names from the model's metadata, else the 'class' output. */
export function readOutputs(
  outputs: Readonly<Record<string, PlainTensor>>,
  classes: readonly string[] | null,
): ReadableOutputs {
  const probs = outputs.probabilities;
  const k = probs !== undefined && probs.dims.length === 2 ? (probs.dims[1] ?? 0) : 0;
  const probabilities =
    probs === undefined || k === 0
      ? []
      : numbersOf(probs.data, k).map((p, j) => ({ name: classes?.[j] ?? `class ${j}`, p }));
  const cls = outputs.class?.data[0];
  const lab = outputs.label;
  let label: string | null = null;
  if (typeof cls === 'string') label = cls;
  else if (lab !== undefined && lab.data.length > 0) {
    const v = numbersOf(lab.data, 1)[0]!;
    label = lab.type === 'int64' || lab.type === 'int32' ? (classes?.[v] ?? String(v)) : String(v);
  }
  const used = new Set(['probabilities', 'class', 'label']);
  const others = Object.entries(outputs)
    .filter(([name]) => !used.has(name))
    .map(([name, t]) => ({
      name,
      values: t.type === 'string' ? (t.data as string[]).slice(0, 64) : numbersOf(t.data, 64),
    }));
  return { label, probabilities, others };
}
