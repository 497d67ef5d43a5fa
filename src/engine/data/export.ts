import type { ColumnChunk, ColumnMeta, DatasetMeta } from './dataset';
import { audioText } from './audio';
import { imageText } from './images';

/** Reads chunk `index` of column `column` of the dataset being exported. */
export type ChunkReader = (column: number, index: number) => Promise<ColumnChunk>;

/**
 * Spreadsheet apps run cells starting with = + - @ (and tab/CR) as formulas: prefix text cells with an
 * apostrophe (OWASP's CSV-injection advice). Numbers are written as numbers and never touched.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isValid(c: ColumnChunk, r: number): boolean {
  return (((c.validity[r >>> 5] ?? 0) >>> (r & 31)) & 1) === 1;
}

/**
 * A cell's value for export: numbers exactly (shortest round-trip form), dates as ISO, categories by name.
 * Image cells become the placeholder 'image HxWxC': CSV and JSON Lines do not carry pixels (the IDX files
 * or image folders they came from do), and a base64 column would make a 60,000-image export unreadable.
 * Audio cells likewise become 'audio 2.00 s @ 16000 Hz'.
 */
export function cellValue(meta: ColumnMeta, c: ColumnChunk, r: number): string | number | null {
  if (!isValid(c, r)) return null;
  if (meta.type === 'image') return imageText(meta.shape);
  if (meta.type === 'audio') return audioText(meta);
  const v = c.data[r];
  if (typeof v === 'string') return v;
  if (v === undefined) return null;
  if (meta.type === 'categorical') return meta.dictionary?.[v] ?? String(v);
  if (meta.type === 'date') return new Date(v).toISOString();
  return v;
}

async function* rowsOf(meta: DatasetMeta, read: ChunkReader): AsyncGenerator<(string | number | null)[][]> {
  for (let index = 0; index < meta.chunkCount; index++) {
    const chunks = await Promise.all(meta.columns.map((_, c) => read(c, index)));
    const n = chunks[0]?.rows ?? 0;
    const rows: (string | number | null)[][] = [];
    for (let r = 0; r < n; r++) rows.push(chunks.map((c, k) => cellValue(meta.columns[k]!, c, r)));
    yield rows;
  }
}

/** The dataset as CSV text, chunk by chunk (a header line first; missing cells empty). */
export async function* exportCsv(meta: DatasetMeta, read: ChunkReader): AsyncGenerator<string> {
  yield `${meta.columns.map((c) => quote(neutralizeFormula(c.name))).join(',')}\r\n`;
  for await (const rows of rowsOf(meta, read)) {
    yield (
      rows
        .map((row) =>
          row
            .map((v) => (v === null ? '' : typeof v === 'number' ? String(v) : quote(neutralizeFormula(v))))
            .join(','),
        )
        .join('\r\n') + '\r\n'
    );
  }
}

/** The dataset as JSON Lines, chunk by chunk (missing values as null). */
export async function* exportJsonl(meta: DatasetMeta, read: ChunkReader): AsyncGenerator<string> {
  for await (const rows of rowsOf(meta, read)) {
    yield (
      rows
        .map((row) =>
          JSON.stringify(Object.fromEntries(meta.columns.map((c, k) => [c.name, row[k] ?? null]))),
        )
        .join('\n') + '\n'
    );
  }
}
