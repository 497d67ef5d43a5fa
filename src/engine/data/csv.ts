import Papa from 'papaparse';
import { WorkbenchError } from '../../lib/errors';
import { tableFromColumns, type NumericTable } from './table';

/** Markers read as a missing value. */
export const MISSING_MARKERS: ReadonlySet<string> = new Set([
  '',
  'NA',
  'N/A',
  'NaN',
  'nan',
  '?',
  'null',
  'NULL',
  '.',
]);

/** A parsed delimited file: numeric columns as a GPU-ready table, the others kept as text. */
export interface ParsedCsv {
  readonly table: NumericTable;
  readonly textColumns: readonly string[];
  /** The first rows, as text, for a preview. */
  readonly preview: readonly (readonly string[])[];
  readonly header: readonly string[];
}

/**
 * Parses a headed CSV: a column is numeric when every non-missing cell is a finite number (over all
 * rows, not a prefix). The data import stage grows this into the full reader; this is the sample path.
 */
export function parseCsv(text: string, previewRows = 10): ParsedCsv {
  const result = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  const [header, ...rows] = result.data;
  if (header === undefined || header.length === 0)
    throw new WorkbenchError('PARSE_ERROR', 'The file is empty');
  const bad = result.errors.find((e) => e.type !== 'Delimiter');
  if (bad) throw new WorkbenchError('PARSE_ERROR', `Row ${(bad.row ?? 0) + 1}: ${bad.message}`);
  const numericNames: string[] = [];
  const numericColumns: (number | null)[][] = [];
  const textColumns: string[] = [];
  header.forEach((name, c) => {
    const column: (number | null)[] = [];
    for (const row of rows) {
      const cell = (row[c] ?? '').trim();
      if (MISSING_MARKERS.has(cell)) column.push(null);
      else {
        const v = Number(cell);
        if (!Number.isFinite(v)) return void textColumns.push(name);
        column.push(v);
      }
    }
    numericNames.push(name);
    numericColumns.push(column);
  });
  return {
    table: tableFromColumns(numericNames, numericColumns),
    textColumns,
    header,
    preview: rows.slice(0, previewRows),
  };
}
