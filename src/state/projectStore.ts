import { createStore } from 'zustand/vanilla';
import type { CellResult } from '../engine/project/results';
import type { SerializedError } from '../lib/errors';
import { checkDoc, signatures, type CellDraft, type DraftDoc } from '../features/project/cells';

/** Undo keeps at most this many earlier documents. */
export const HISTORY_LIMIT = 200;
/** Keystrokes in one cell closer together than this are one undo step. */
export const COALESCE_MS = 1500;

/** A cell's last result and the signature of the document it ran from (a different one now: stale). */
export interface StoredResult {
  readonly result: CellResult;
  readonly signature: string;
}

/** What a cell shows: its last result's status, or running, stale (edited since), idle (never ran). */
export type CellUiStatus = 'idle' | 'running' | 'ok' | 'failed' | 'skipped' | 'stale';

/** An artifact of a run in this tab, offered as a download. */
export interface Artifact {
  readonly cellId: string;
  readonly name: string;
  readonly blob: Blob;
}

/** The open notebook. Plain data only: the drafts, their history, results, attached files. */
export interface ProjectState {
  /** The stored project's id; null: none open. */
  readonly projectId: string | null;
  readonly doc: DraftDoc;
  readonly past: readonly DraftDoc[];
  readonly future: readonly DraftDoc[];
  readonly lastEdit: { readonly key: string; readonly at: number } | null;
  readonly results: Readonly<Record<string, StoredResult>>;
  /** Id of the cell running now. */
  readonly running: string | null;
  readonly busy: boolean;
  /** Files the user attached, by the path the project reads them under. */
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly artifacts: readonly Artifact[];
  readonly error: SerializedError | null;
  /** Bumped by every change worth saving (autosave watches it). */
  readonly revision: number;
}

const EMPTY_DOC: DraftDoc = { name: 'Untitled project', cells: [] };

export function initialProjectState(): ProjectState {
  return {
    projectId: null,
    doc: EMPTY_DOC,
    past: [],
    future: [],
    lastEdit: null,
    results: {},
    running: null,
    busy: false,
    files: {},
    artifacts: [],
    error: null,
    revision: 0,
  };
}

export const projectStore = createStore<ProjectState>(() => initialProjectState());

/** Back to no open project (tests, closing). */
export function resetProjectStore(): void {
  projectStore.setState(initialProjectState(), true);
}

let counter = 0;
/** A fresh key for a cell draft. */
export function newCellKey(): string {
  return `c${Date.now().toString(36)}-${++counter}`;
}

/** Drafts of cells, one pretty-printed JSON text each. */
export function draftsOf(cells: readonly unknown[]): CellDraft[] {
  return cells.map((c) => ({ key: newCellKey(), text: JSON.stringify(c, null, 2) }));
}

/** Opens a document (history cleared). */
export function openProject(
  projectId: string,
  doc: DraftDoc,
  extra: { results?: Record<string, StoredResult>; files?: Record<string, Uint8Array> } = {},
): void {
  projectStore.setState(
    { ...initialProjectState(), projectId, doc, results: extra.results ?? {}, files: extra.files ?? {} },
    true,
  );
}

/** Replaces the document, recording the old one for undo (unless `coalesceKey` continues the last edit). */
function change(next: DraftDoc, coalesceKey: string | null = null, now = Date.now()): void {
  const s = projectStore.getState();
  const coalesce =
    coalesceKey !== null &&
    s.lastEdit !== null &&
    s.lastEdit.key === coalesceKey &&
    now - s.lastEdit.at < COALESCE_MS &&
    s.future.length === 0;
  projectStore.setState({
    doc: next,
    past: coalesce ? s.past : [...s.past, s.doc].slice(-HISTORY_LIMIT),
    future: [],
    lastEdit: coalesceKey === null ? null : { key: coalesceKey, at: now },
    revision: s.revision + 1,
  });
}

/** Sets one cell's text; quick successive edits of the same cell are one undo step. */
export function editCell(key: string, text: string, now = Date.now()): void {
  const { doc } = projectStore.getState();
  change({ ...doc, cells: doc.cells.map((c) => (c.key === key ? { ...c, text } : c)) }, key, now);
}

export function setProjectName(name: string): void {
  change({ ...projectStore.getState().doc, name });
}

/** Inserts a cell (its JSON text) at `index` (default: the end); returns its key. */
export function insertCell(text: string, index?: number): string {
  const { doc } = projectStore.getState();
  const key = newCellKey();
  const cells = [...doc.cells];
  cells.splice(index ?? cells.length, 0, { key, text });
  change({ ...doc, cells });
  return key;
}

/** Moves a cell up (-1) or down (+1); no-op at the ends. */
export function moveCell(key: string, delta: -1 | 1): void {
  const { doc } = projectStore.getState();
  const i = doc.cells.findIndex((c) => c.key === key);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= doc.cells.length) return;
  const cells = [...doc.cells];
  [cells[i], cells[j]] = [cells[j]!, cells[i]!];
  change({ ...doc, cells });
}

export function deleteCell(key: string): void {
  const { doc } = projectStore.getState();
  change({ ...doc, cells: doc.cells.filter((c) => c.key !== key) });
}

export const canUndo = (s: ProjectState): boolean => s.past.length > 0;
export const canRedo = (s: ProjectState): boolean => s.future.length > 0;

export function undo(): void {
  const s = projectStore.getState();
  const prev = s.past.at(-1);
  if (prev === undefined || s.busy) return;
  projectStore.setState({
    doc: prev,
    past: s.past.slice(0, -1),
    future: [s.doc, ...s.future],
    lastEdit: null,
    revision: s.revision + 1,
  });
}

export function redo(): void {
  const s = projectStore.getState();
  const [next, ...rest] = s.future;
  if (next === undefined || s.busy) return;
  projectStore.setState({
    doc: next,
    past: [...s.past, s.doc],
    future: rest,
    lastEdit: null,
    revision: s.revision + 1,
  });
}

/** Attaches a file under the path the project reads. */
export function attachFile(path: string, bytes: Uint8Array): void {
  const s = projectStore.getState();
  projectStore.setState({ files: { ...s.files, [path]: bytes }, revision: s.revision + 1 });
}

/** Records a cell's progress during a run; `signature` is the cell's signature when the run started. */
export function recordCell(id: string, r: CellResult | 'running', signature: string): void {
  const s = projectStore.getState();
  if (r === 'running') {
    projectStore.setState({ running: id });
    return;
  }
  projectStore.setState({
    running: s.running === id ? null : s.running,
    results: { ...s.results, [id]: { result: r, signature } },
    revision: s.revision + 1,
  });
}

/** Every cell's status for the current document, by cell key. */
export function cellStatuses(s: ProjectState): Map<string, CellUiStatus> {
  const check = checkDoc(s.doc);
  const sigs = signatures(s.doc, check.parsed, s.files);
  const out = new Map<string, CellUiStatus>();
  s.doc.cells.forEach((c, i) => {
    const parsed = check.parsed[i];
    const id =
      parsed !== null && parsed !== undefined && typeof parsed['id'] === 'string' ? parsed['id'] : null;
    const stored = id === null ? undefined : s.results[id];
    if (id !== null && s.running === id) out.set(c.key, 'running');
    else if (stored === undefined) out.set(c.key, 'idle');
    else if (stored.signature !== sigs[i]) out.set(c.key, 'stale');
    else out.set(c.key, stored.result.status);
  });
  return out;
}
