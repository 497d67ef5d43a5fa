/**
 * The tensor editor's logic: inputs as JSON text ({name: array}) ⇄ plain tensors, with dims from the model
 * (symbolic dims pinned by the user) or from the nested array; random and zero inputs; inputs from a file
 * (.json or .npy).
 */
import type { Dim, ModelMeta, TensorInfo } from '../deploy/inspect';
import { WorkbenchError } from '../../lib/errors';
import { npyNumbers, parseNpy } from './npy';
import {
  elementCount,
  flattenJson,
  isInferElemType,
  nest,
  typedFromNumbers,
  type PlainTensor,
} from './tensors';

/** User-pinned sizes of symbolic dims: `${modelId}:${dimName}` or `${modelId}:${input}#${axis}` → text. */
export type Pins = Readonly<Record<string, string>>;

/** The model's dims with pinned symbolic dimensions filled in; null where one is still unknown. */
export function pinnedDims(
  modelId: string,
  tensor: string,
  shape: readonly Dim[] | null,
  pins: Pins,
): number[] | null {
  if (shape === null) return null;
  const dims: number[] = [];
  for (const [i, d] of shape.entries()) {
    if (typeof d === 'number') {
      dims.push(d);
      continue;
    }
    const key = typeof d === 'string' ? `${modelId}:${d}` : `${modelId}:${tensor}#${i}`;
    const n = Number(pins[key]);
    if (!Number.isInteger(n) || n <= 0) return null;
    dims.push(n);
  }
  return dims;
}

/** Inputs whose shape is known or pinned, with those dims; `skipped` names the others. */
function knownInputs(model: ModelMeta, pins: Pins): { known: [TensorInfo, number[]][]; skipped: string[] } {
  const known: [TensorInfo, number[]][] = [];
  const skipped: string[] = [];
  for (const t of model.inspection.inputs) {
    const dims = pinnedDims(model.id, t.name, t.shape, pins);
    if (dims === null) skipped.push(t.name);
    else known.push([t, dims]);
  }
  return { known, skipped };
}

/** Fills every input of known shape with `value(type, i)`; throws naming the inputs whose shape is unknown. */
function filled(model: ModelMeta, pins: Pins, value: (t: TensorInfo, i: number) => number | string): string {
  const { known, skipped } = knownInputs(model, pins);
  if (skipped.length > 0) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Pin the symbolic dimensions of ${skipped.map((s) => `“${s}”`).join(', ')} first (Inputs table above).`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [t, dims] of known) {
    out[t.name] = nest(
      Array.from({ length: elementCount(dims) }, (_, i) => value(t, i)),
      dims,
    );
  }
  return JSON.stringify(out);
}

/** Random inputs: uniform in [-1, 1) for floats, small integers otherwise, short words for strings. */
export function randomJson(model: ModelMeta, pins: Pins, random: () => number = Math.random): string {
  return filled(model, pins, (t) => {
    if (t.elemType === 'string') return ['a', 'b', 'c'][Math.floor(random() * 3)]!;
    return t.elemType.startsWith('float') ? Number((random() * 2 - 1).toFixed(4)) : Math.floor(random() * 4);
  });
}

/** Zero inputs (empty strings for string inputs). */
export function zerosJson(model: ModelMeta, pins: Pins): string {
  return filled(model, pins, (t) => (t.elemType === 'string' ? '' : 0));
}

/** Flattens a nested array of strings (a string input), returning values and shape. */
function flattenStrings(name: string, value: unknown): { values: string[]; shape: number[] } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat = shape.length === 0 ? [value] : (value as unknown[]).flat(shape.length - 1);
  if (flat.length !== elementCount(shape) || !flat.every((x) => typeof x === 'string')) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Input “${name}” must be a (nested) array of strings, not ragged.`,
    );
  }
  return { values: flat, shape };
}

/** Parses the editor's JSON into plain tensors: dims from the model (pinned) or from the nested array. */
export function feedsFromJson(model: ModelMeta, text: string, pins: Pins): Record<string, PlainTensor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WorkbenchError('INVALID_INPUT', `The inputs are not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      'The inputs must be a JSON object: {"input name": [numbers…]}.',
    );
  }
  const given = parsed as Record<string, unknown>;
  const feeds: Record<string, PlainTensor> = {};
  for (const t of model.inspection.inputs) {
    if (!(t.name in given)) throw new WorkbenchError('INVALID_INPUT', `Input “${t.name}” is missing.`);
    const type = t.elemType;
    if (!isInferElemType(type)) {
      throw new WorkbenchError('INVALID_INPUT', `Input “${t.name}” has type ${type}, not supported yet.`);
    }
    const pinned = pinnedDims(model.id, t.name, t.shape, pins);
    if (type === 'string') {
      const { values, shape } = flattenStrings(t.name, given[t.name]);
      feeds[t.name] = { type, dims: checkCount(t.name, values.length, pinned ?? shape), data: values };
      continue;
    }
    const { values, shape } = flattenJson(t.name, given[t.name]);
    if (!type.startsWith('float') && values.some((v) => Number.isNaN(v))) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Input “${t.name}” is ${type}: null (missing) is only for floats.`,
      );
    }
    feeds[t.name] = {
      type,
      dims: checkCount(t.name, values.length, pinned ?? shape),
      data: typedFromNumbers(type, values),
    };
  }
  return feeds;
}

function checkCount(name: string, count: number, dims: number[]): number[] {
  if (elementCount(dims) !== count) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Input “${name}” has ${count} values; its shape [${dims.join(', ')}] needs ${elementCount(dims)}.`,
    );
  }
  return dims;
}

/**
 * Reads an inputs file into the editor's JSON, merged over `current` (the editor's text, may be empty):
 * a .json object {name: nested array} sets those inputs; a .npy array sets input `target`.
 */
export function mergeInputFile(
  model: ModelMeta,
  fileName: string,
  bytes: Uint8Array,
  target: string,
  current: string,
): string {
  let base: Record<string, unknown> = {};
  try {
    const v: unknown = current.trim() === '' ? {} : JSON.parse(current);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) base = v as Record<string, unknown>;
  } catch {
    base = {};
  }
  const names = new Set(model.inspection.inputs.map((t) => t.name));
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.npy')) {
    if (!names.has(target)) throw new WorkbenchError('INVALID_INPUT', `The model has no input “${target}”.`);
    const a = parseNpy(bytes);
    const values = npyNumbers(a).map((v) => (Number.isNaN(v) ? null : v));
    return JSON.stringify({ ...base, [target]: a.shape.length === 0 ? values : nest(values, a.shape) });
  }
  if (lower.endsWith('.json')) {
    let v: unknown;
    try {
      v = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new WorkbenchError('PARSE_ERROR', `${fileName} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new WorkbenchError('PARSE_ERROR', `${fileName} must hold a JSON object {"input name": array}.`);
    }
    const unknown = Object.keys(v).filter((k) => !names.has(k));
    if (unknown.length > 0) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `${fileName} names ${unknown.map((k) => `“${k}”`).join(', ')}, which the model does not take (inputs: ${[...names].join(', ')}).`,
      );
    }
    return JSON.stringify({ ...base, ...(v as Record<string, unknown>) });
  }
  throw new WorkbenchError('PARSE_ERROR', `${fileName}: only .json ({name: array}) and .npy files are read.`);
}
