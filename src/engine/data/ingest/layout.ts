import { WorkbenchError } from '../../../lib/errors';
import { isNumericCell } from './infer';

/** How the top of a delimited file is laid out. */
export interface Layout {
  /** Rows before the first data row (metadata line and/or header). */
  readonly skipRows: number;
  readonly names: readonly string[];
  /** Class names from a scikit-learn metadata line, for the last column. */
  readonly targetLabels: readonly string[] | null;
}

const isInt = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s.trim());

/**
 * Decides header and metadata lines from the first two rows and the data's field count:
 * - scikit-learn's `n_rows,n_cols,class names…` line (data rows have n_cols + 1 fields): no header; the
 *   class names label the last column, which becomes the target;
 * - a line of counts followed by a row of names: skip the counts, use the names;
 * - a first row of distinct non-numeric names: a header;
 * - otherwise no header: columns are named column_1, column_2, …
 */
export function detectLayout(
  fileName: string,
  first: readonly (readonly string[])[],
  dataRows: number,
): Layout {
  const [row0, row1] = first;
  if (row0 === undefined) throw new WorkbenchError('PARSE_ERROR', `${fileName} is empty`);
  const width = row1?.length ?? row0.length;
  const generic = (n: number): string[] => Array.from({ length: n }, (_, i) => `column_${i + 1}`);

  if (row1 !== undefined && isInt(row0[0]) && isInt(row0[1]) && Number(row0[1]) + 1 === width) {
    const labels = row0.slice(2).map((s) => s.trim());
    const declaredRows = Number(row0[0]);
    if (
      labels.length > 0 &&
      labels.every((l) => l !== '' && !isNumericCell(l)) &&
      declaredRows === dataRows - 1
    ) {
      const names = [...Array.from({ length: width - 1 }, (_, i) => `feature_${i + 1}`), 'target'];
      return { skipRows: 1, names, targetLabels: labels };
    }
  }
  if (
    row1 !== undefined &&
    row0.every((c) => /^\d+(\s+\d+)*$/.test(c.trim())) &&
    row0.length <= row1.length &&
    looksLikeNames(row1)
  ) {
    return { skipRows: 2, names: uniqueNames(row1), targetLabels: null };
  }
  if (looksLikeNames(row0)) return { skipRows: 1, names: uniqueNames(row0), targetLabels: null };
  return { skipRows: 0, names: generic(width), targetLabels: null };
}

function looksLikeNames(row: readonly string[]): boolean {
  const cells = row.map((c) => c.trim());
  return cells.every((c) => c !== '' && !isNumericCell(c)) && new Set(cells).size === cells.length;
}

/** Trims names and makes them unique ("x", "x" → "x", "x_2"). */
export function uniqueNames(row: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return row.map((raw, i) => {
    const name = raw.trim() || `column_${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}
