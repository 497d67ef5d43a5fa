import { WorkbenchError } from '../../lib/errors';
import type { ColumnMeta } from '../data/dataset';
import { wordsPerColumn } from '../data/table';
import type { FittedRecipe } from './fitted';
import type { ImageBackend } from './imageProgram';
import { countPresent, present, type LoadedColumn, type LoadedDataset } from './load';
import type { PreprocessBackend, Program, WorkTable } from './program';
import { isNumericType } from './validate';

/** The stored program with its typed arrays back. */
export function programFromStored(p: FittedRecipe['program']): Program {
  return {
    encode: p.encode.map((e) => ({ ...e, map: Int32Array.from(e.map) })),
    elementwise: p.elementwise.map((c) => ({
      input: c.input,
      ops: c.ops.map((o) => ({
        op: o.op as Program['elementwise'][number]['ops'][number]['op'],
        a: o.a,
        b: o.b,
      })),
    })),
    codes: p.codes,
  };
}

/**
 * Applies a fitted recipe to new data (inference, another file with the same columns): nothing is refitted.
 * Columns are matched by name; categories by name, and a category the recipe never saw takes the reserved
 * "unseen" code (one-hot: all zeros; ordinal: missing). No split, no augmentation: rows keep their order.
 */
export async function applyFittedRecipe(
  fitted: FittedRecipe,
  data: LoadedDataset,
  backend: (t: WorkTable) => Promise<PreprocessBackend>,
  images: ImageBackend,
): Promise<LoadedColumn[]> {
  const rows = data.meta.rows;
  const find = (name: string, want: (c: ColumnMeta) => boolean, what: string): LoadedColumn => {
    const col = data.columns.find((c) => c.meta.name === name);
    if (col === undefined || !want(col.meta)) {
      throw new WorkbenchError('INVALID_INPUT', `The recipe needs a ${what} column named ${name}`);
    }
    return col;
  };
  const numeric = fitted.numericInputs.map((n) => find(n, (c) => isNumericType(c.type), 'numeric'));
  const coded = fitted.codeInputs.map((n) => find(n, (c) => c.type === 'categorical', 'categorical'));
  const table = workTable(fitted, rows, numeric, coded);
  const run = await backend(table);
  let out;
  try {
    out = await run.run(programFromStored(fitted.program));
  } finally {
    run.dispose();
  }
  const wpc = wordsPerColumn(rows);
  let num = 0;
  let code = 0;
  const result: LoadedColumn[] = [];
  for (const col of fitted.output) {
    if (isNumericType(col.type)) {
      const k = num++;
      const meta: ColumnMeta = { name: col.name, type: col.type, missing: 0 };
      const values = Float64Array.from(out.values.subarray(k * rows, (k + 1) * rows));
      result.push({ meta, data: values, validity: out.validity.slice(k * wpc, (k + 1) * wpc) });
    } else if (col.type === 'categorical') {
      const k = code++;
      const codes = out.codes.slice(k * rows, (k + 1) * rows);
      const validity = new Uint32Array(wpc);
      const size = col.dictionary?.length ?? 0;
      codes.forEach((c, r) => {
        if (c >= 0 && c < size) validity[r >>> 5]! |= 1 << (r & 31);
      });
      result.push({
        meta: {
          name: col.name,
          type: 'categorical',
          missing: 0,
          ...(col.dictionary ? { dictionary: col.dictionary } : {}),
        },
        data: codes,
        validity,
      });
    } else {
      const source = find(col.name, (c) => c.type === col.type, col.type);
      const image = fitted.images.find((i) => i.column === col.name);
      if (image !== undefined && col.type === 'image') {
        const pixels = await images.transform(
          source.data as Uint8Array | Float32Array,
          rows,
          image.transform,
        );
        result.push({
          meta: { ...source.meta, shape: image.transform.outShape, pixels: 'f32' },
          data: pixels,
          validity: source.validity,
        });
      } else result.push(source);
    }
  }
  return result.map((c) => ({ ...c, meta: { ...c.meta, missing: rows - countPresent(c.validity, rows) } }));
}

function workTable(
  fitted: FittedRecipe,
  rows: number,
  numeric: readonly LoadedColumn[],
  coded: readonly LoadedColumn[],
): WorkTable {
  const wpc = wordsPerColumn(rows);
  const values = new Float32Array(numeric.length * rows);
  const validity = new Uint32Array(numeric.length * wpc);
  numeric.forEach((col, k) => {
    const src = col.data as Float64Array;
    for (let r = 0; r < rows; r++) {
      const v = Math.fround(src[r] ?? NaN);
      if (!present(col.validity, r) || !Number.isFinite(v)) continue;
      values[k * rows + r] = v;
      validity[k * wpc + (r >>> 5)]! |= 1 << (r & 31);
    }
  });
  const codes = new Int32Array(coded.length * rows);
  const cardinality = coded.map((col, k) => {
    const fittedDict = fitted.input.find((c) => c.name === col.meta.name)?.dictionary ?? [];
    const index = new Map(fittedDict.map((v, i) => [v, i]));
    const unseen = fittedDict.length;
    const remap = (col.meta.dictionary ?? []).map((v) => index.get(v) ?? unseen);
    const src = col.data as Int32Array;
    for (let r = 0; r < rows; r++) {
      const c = src[r] ?? -1;
      codes[k * rows + r] = present(col.validity, r) && c >= 0 ? (remap[c] ?? unseen) : -1;
    }
    return unseen + 1;
  });
  return { rows, numeric: { values, validity, cols: numeric.length }, codes: { codes, cardinality } };
}
