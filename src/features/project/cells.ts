/**
 * The notebook's reading of its drafts: each cell's JSON text parsed, the whole document validated through
 * loadProject (an error is shown at the cell its JSON pointer names), the references between cells, and a
 * signature per cell (its text and, transitively, those of the cells it reads) that tells a result apart
 * from a stale one.
 */
import { PROJECT_FORMAT, PROJECT_VERSION, type Project } from '../../engine/project/format';
import { loadProject } from '../../engine/project/load';
import { toWorkbenchError } from '../../lib/errors';

/** One cell as the user edits it: a stable key (React, history) and its JSON text. */
export interface CellDraft {
  readonly key: string;
  readonly text: string;
}

/** The editable document: the project's header and its cells as text. */
export interface DraftDoc {
  readonly name: string;
  readonly description?: string;
  readonly cells: readonly CellDraft[];
}

export interface DocCheck {
  /** Each cell's parsed JSON (null: not valid JSON, or not an object). */
  readonly parsed: readonly (Record<string, unknown> | null)[];
  /** The validated, normalized project, when the whole document is valid. */
  readonly project: Project | null;
  /** Error text by cell index. */
  readonly cellErrors: ReadonlyMap<number, string>;
  /** An error that names no cell (the name, the document). */
  readonly docError: string | null;
}

function parseCell(text: string): { value: Record<string, unknown> | null; error: string | null } {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return {
        value: null,
        error: 'A cell is a JSON object, like {"id": "…", "kind": "markdown", "text": "…"}.',
      };
    }
    return { value: v as Record<string, unknown>, error: null };
  } catch (e) {
    return { value: null, error: `Not valid JSON: ${(e as Error).message}` };
  }
}

/** The document as JSON (cells that do not parse are left out). */
export function docJson(
  doc: DraftDoc,
  parsed: readonly (Record<string, unknown> | null)[],
): Record<string, unknown> {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    cells: parsed.filter((c) => c !== null),
  };
}

const POINTER = /\/cells\/(\d+)/;

/** Parses every cell and validates the whole document; errors are attached to the cells they name. */
export function checkDoc(doc: DraftDoc): DocCheck {
  const cellErrors = new Map<number, string>();
  const parsed = doc.cells.map((c, i) => {
    const r = parseCell(c.text);
    if (r.error !== null) cellErrors.set(i, r.error);
    return r.value;
  });
  if (cellErrors.size > 0) return { parsed, project: null, cellErrors, docError: null };
  try {
    return { parsed, project: loadProject(docJson(doc, parsed)), cellErrors, docError: null };
  } catch (e) {
    const err = toWorkbenchError(e);
    const lines = err.details.length > 0 ? err.details : [err.message];
    let docError: string | null = null;
    for (const line of lines) {
      const m = POINTER.exec(line);
      if (m === null) {
        docError ??= line;
        continue;
      }
      const i = Number(m[1]);
      const prev = cellErrors.get(i);
      cellErrors.set(i, prev === undefined ? line : `${prev}\n${line}`);
    }
    if (cellErrors.size === 0 && docError === null) docError = err.message;
    return { parsed, project: null, cellErrors, docError };
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The ids a parsed cell reads: input, model, and the dataset of predictions, batch or stream. */
export function refsOf(cell: Record<string, unknown> | null): string[] {
  if (cell === null) return [];
  const out: string[] = [];
  const push = (v: unknown): void => {
    const s = str(v);
    if (s !== null) out.push(s);
  };
  push(cell['input']);
  push(cell['model']);
  for (const field of ['predictions', 'batch', 'stream']) {
    const sub = cell[field];
    if (typeof sub === 'object' && sub !== null) push((sub as Record<string, unknown>)['dataset']);
  }
  return out;
}

/** The id of a parsed cell, if it has one. */
export const idOf = (cell: Record<string, unknown> | null): string | null =>
  cell === null ? null : str(cell['id']);

/** A cheap fingerprint of an attached file: its size and a checksum of its head and tail. */
function fileTag(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return '-';
  let h = 2166136261;
  const n = bytes.length;
  for (let i = 0; i < Math.min(n, 4096); i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  for (let i = Math.max(4096, n - 4096); i < n; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return `${n}:${(h >>> 0).toString(16)}`;
}

/** The paths a parsed dataset cell reads. */
function pathsOf(cell: Record<string, unknown>): string[] {
  const src = cell['source'];
  if (typeof src !== 'object' || src === null) return [];
  const s = src as Record<string, unknown>;
  if (typeof s['path'] === 'string') return [s['path']];
  return Array.isArray(s['paths']) ? s['paths'].filter((p): p is string => typeof p === 'string') : [];
}

/**
 * A signature per cell index: its canonical JSON (with a fingerprint of any attached file it reads) plus
 * the signatures of the earlier cells it reads, so a change anywhere upstream changes it. Cells that do not
 * parse get a unique signature of their raw text.
 */
export function signatures(
  doc: DraftDoc,
  parsed: readonly (Record<string, unknown> | null)[],
  files: Readonly<Record<string, Uint8Array>> = {},
): string[] {
  const byId = new Map<string, string>();
  return doc.cells.map((c, i) => {
    const cell = parsed[i] ?? null;
    if (cell === null) return `!${c.text}`;
    const upstream = refsOf(cell).map((r) => `${r}=${byId.get(r) ?? '?'}`);
    const attached = pathsOf(cell).map((p) => `${p}@${fileTag(files[p])}`);
    const sig = `${JSON.stringify(cell)}|${attached.join('|')}|${upstream.join('|')}`;
    const id = idOf(cell);
    if (id !== null && !byId.has(id)) byId.set(id, sig);
    return sig;
  });
}

/** Indices of the cells that read cell `index`, directly or through others (itself excluded). */
export function downstreamOf(parsed: readonly (Record<string, unknown> | null)[], index: number): number[] {
  const dirty = new Set<string>();
  const first = idOf(parsed[index] ?? null);
  if (first === null) return [];
  dirty.add(first);
  const out: number[] = [];
  for (let i = index + 1; i < parsed.length; i++) {
    const cell = parsed[i] ?? null;
    if (refsOf(cell).some((r) => dirty.has(r))) {
      out.push(i);
      const id = idOf(cell);
      if (id !== null) dirty.add(id);
    }
  }
  return out;
}
