import type { ColumnMeta } from '../data/dataset';
import { wordsPerColumn } from '../data/table';
import type { Fit } from './fit';
import { countPresent, present, type LoadedColumn, type LoadedDataset } from './load';
import type { ProgramOutput } from './program';
import type { SplitPlan } from './split';

/** Rows [0, rows) of a typed array of `width` values per row, reordered by `order`. */
export function permuteRows<T extends Float64Array | Float32Array | Int32Array | Uint8Array>(
  src: T,
  width: number,
  order: Int32Array,
): T {
  const out = new (src.constructor as new (n: number) => T)(order.length * width);
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    out.set(src.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}

/** A validity mask reordered by `order`. */
export function permuteValidity(validity: Uint32Array, order: Int32Array): Uint32Array {
  const out = new Uint32Array(wordsPerColumn(order.length));
  for (let i = 0; i < order.length; i++) if (present(validity, order[i]!)) out[i >>> 5]! |= 1 << (i & 31);
  return out;
}

/**
 * The output columns in the recipe's column order (one-hot columns where their source was): numeric and
 * categorical ones from the program's output, images from their transform (or reordered as stored when no
 * image step touched them), anything else reordered as is.
 */
export function assembleOutput(
  data: LoadedDataset,
  plan: SplitPlan,
  fit: Fit,
  out: ProgramOutput,
  images: ReadonlyMap<string, Float32Array>,
  numericInputs: number,
): LoadedColumn[] {
  const rows = out.rows;
  const wpc = wordsPerColumn(rows);
  let num = 0;
  let code = 0;
  return fit.slots.map((slot): LoadedColumn => {
    if (slot.kind === 'num') {
      const k = num++;
      const validity = out.validity.slice(k * wpc, (k + 1) * wpc);
      const values = Float64Array.from(out.values.subarray(k * rows, (k + 1) * rows));
      const source = data.columns.find((c) => c.meta.name === slot.name)?.meta;
      const untouched = slot.ops.length === 0 && slot.col < numericInputs && source !== undefined;
      const missing = rows - countPresent(validity, rows);
      const meta: ColumnMeta = untouched
        ? { ...source, missing }
        : { name: slot.name, type: slot.type, missing };
      return { meta, data: values, validity };
    }
    if (slot.kind === 'code') {
      const k = code++;
      const codes = out.codes.slice(k * rows, (k + 1) * rows);
      const validity = new Uint32Array(wpc);
      codes.forEach((c, r) => {
        if (c >= 0 && c < slot.dictionary.length) validity[r >>> 5]! |= 1 << (r & 31);
      });
      const missing = rows - countPresent(validity, rows);
      return {
        meta: { name: slot.name, type: 'categorical', missing, dictionary: slot.dictionary },
        data: codes,
        validity,
      };
    }
    const source = data.columns[slot.source]!;
    const validity = permuteValidity(source.validity, plan.order);
    const transformed = slot.kind === 'image' ? images.get(slot.name) : undefined;
    if (slot.kind === 'image' && transformed !== undefined) {
      const meta: ColumnMeta = { ...source.meta, shape: slot.transform.outShape, pixels: 'f32' };
      return { meta, data: transformed, validity };
    }
    if (Array.isArray(source.data)) {
      const text = source.data;
      return { meta: source.meta, data: Array.from(plan.order, (r) => text[r]!), validity };
    }
    const width = data.meta.rows === 0 ? 0 : source.data.length / data.meta.rows;
    return { meta: source.meta, data: permuteRows(source.data, width, plan.order), validity };
  });
}
