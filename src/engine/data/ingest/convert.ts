import type { ColumnChunk, ColumnMeta } from '../dataset';
import { isoToMs, MISSING, parseNumber, slashToMs } from './cells';
import type { InferredColumn } from './infer';

/** How to turn one column's text cells into stored values. */
export interface ColumnPlan extends InferredColumn {
  readonly name: string;
  /** For a categorical column coded by integers (scikit-learn targets): the class names. */
  readonly labels: readonly string[] | null;
}

/** The schema entry of a planned column. */
export function columnMeta(p: ColumnPlan): ColumnMeta {
  const dictionary = p.labels ?? p.dictionary;
  return {
    name: p.name,
    type: p.type,
    missing: p.missing,
    ...(dictionary !== null && p.type === 'categorical' ? { dictionary } : {}),
    ...(p.dateOrder !== null ? { dateFormat: DATE_FORMATS[p.dateOrder] } : {}),
  };
}

const DATE_FORMATS = { iso: 'YYYY-MM-DD', dmy: 'DD/MM/YYYY', mdy: 'MM/DD/YYYY' } as const;

/** Converts a block of rows (all columns) into one stored chunk per column. */
export function convertChunk(
  datasetId: string,
  index: number,
  rows: readonly (readonly string[])[],
  plans: readonly ColumnPlan[],
  codeMaps: readonly (Map<string, number> | null)[],
): ColumnChunk[] {
  return plans.map((plan, column) => {
    const n = rows.length;
    const validity = new Uint32Array(Math.ceil(n / 32));
    const setValid = (r: number): void => {
      validity[r >>> 5]! |= 1 << (r & 31);
    };
    // Types and categories are read from trimmed text; text columns keep their cells exactly as written.
    const cell = (r: number): string | null => {
      const v = (rows[r]?.[column] ?? '').trim();
      return MISSING.has(v) ? null : v;
    };
    const rawCell = (r: number): string => rows[r]?.[column] ?? '';
    let data: ColumnChunk['data'];
    if (plan.type === 'text') {
      const out: string[] = new Array<string>(n).fill('');
      for (let r = 0; r < n; r++) {
        if (cell(r) !== null) {
          out[r] = rawCell(r);
          setValid(r);
        }
      }
      data = out;
    } else if (plan.type === 'categorical') {
      const out = new Int32Array(n).fill(-1);
      const map = codeMaps[column] ?? null;
      for (let r = 0; r < n; r++) {
        const v = cell(r);
        const code = v === null ? undefined : map !== null ? map.get(v) : Number(v);
        if (code !== undefined && Number.isInteger(code) && code >= 0) {
          out[r] = code;
          setValid(r);
        }
      }
      data = out;
    } else {
      const out = new Float64Array(n);
      const parse = valueParser(plan);
      for (let r = 0; r < n; r++) {
        const v = cell(r);
        const x = v === null ? NaN : parse(v);
        if (Number.isFinite(x)) {
          out[r] = x;
          setValid(r);
        }
      }
      data = out;
    }
    return { datasetId, column, index, rows: n, data, validity };
  });
}

function valueParser(plan: ColumnPlan): (v: string) => number {
  if (plan.type === 'date') {
    const order = plan.dateOrder;
    return order === 'iso' || order === null ? isoToMs : (v) => slashToMs(v, order);
  }
  return (v) => parseNumber(v, plan.decimalComma);
}

/** Lookup maps from category text to code, one per column (null where not categorical by text). */
export function codeMapsFor(plans: readonly ColumnPlan[]): (Map<string, number> | null)[] {
  return plans.map((p) =>
    p.type === 'categorical' && p.labels === null && p.dictionary !== null
      ? new Map(p.dictionary.map((d, i) => [d, i]))
      : null,
  );
}
