/**
 * The Projects page's side effects: stored projects (IndexedDB, autosaved after a short pause), runs through
 * the shared executor, share links, project files and supplied data.
 */
import type { IDBPDatabase } from 'idb';
import { openWorkbenchDb } from '../../db/open';
import { ProjectRepo, type ProjectRecord } from '../../db/projects.repo';
import type { WorkbenchDB } from '../../db/schema';
import type { Project } from '../../engine/project/format';
import { encodeProjectLink, verifySuppliedFile, type MissingDataset } from '../../engine/project/link';
import { readProjectFile, unsafePathReason, writeProjectFile } from '../../engine/project/projectFile';
import { sha256Hex } from '../../engine/project/hash';
import { toWorkbenchError, WorkbenchError } from '../../lib/errors';
import {
  attachFile,
  draftsOf,
  editCell,
  openProject,
  projectStore,
  recordCell,
  type StoredResult,
} from '../../state/projectStore';
import { saveBlob } from '../download';
import { checkDoc, docJson, signatures, type DraftDoc } from './cells';
import { executeProject } from './execute';
import { linkDatasets, projectFileEntries, readProjectPath } from './files';

/** Autosave waits this long after the last change. */
export const AUTOSAVE_MS = 400;

let dbPromise: Promise<IDBPDatabase<WorkbenchDB>> | null = null;
async function repo(): Promise<ProjectRepo> {
  dbPromise ??= openWorkbenchDb();
  try {
    return new ProjectRepo(await dbPromise);
  } catch (e) {
    dbPromise = null;
    throw e;
  }
}

const fail = (e: unknown): void =>
  projectStore.setState({ error: toWorkbenchError(e).toJSON(), busy: false });

export function newProjectId(): string {
  return `p-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function listProjects(): Promise<ProjectRecord[]> {
  return (await repo()).list();
}

function recordOf(
  id: string,
  doc: DraftDoc,
  results: Record<string, StoredResult>,
  files: Record<string, Uint8Array>,
): ProjectRecord {
  const { parsed } = checkDoc(doc);
  return {
    id,
    name: doc.name,
    updatedAt: Date.now(),
    project: docJson(doc, parsed),
    cellState: { drafts: doc.cells.map((c) => c.text), results },
    files,
  };
}

/** Stores a NEW project (a fresh id, whatever its name) and opens it. */
export async function createProject(
  doc: { name: string; description?: string; cells: readonly unknown[] },
  files: Record<string, Uint8Array> = {},
): Promise<string> {
  const id = newProjectId();
  const draft: DraftDoc = {
    name: doc.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    cells: draftsOf(doc.cells),
  };
  await (await repo()).put(recordOf(id, draft, {}, files));
  openProject(id, draft, { files });
  return id;
}

/** Opens a stored project in the notebook. */
export async function openStored(id: string): Promise<void> {
  const r = await (await repo()).get(id);
  if (r === undefined) throw new WorkbenchError('INVALID_INPUT', 'This project no longer exists.');
  const description = r.project['description'];
  const doc: DraftDoc = {
    name: r.name,
    ...(typeof description === 'string' ? { description } : {}),
    cells: r.cellState.drafts.map((text, i) => ({ key: `${id}-${i}-${Date.now().toString(36)}`, text })),
  };
  openProject(id, doc, { results: { ...r.cellState.results }, files: { ...r.files } });
}

export async function renameProject(id: string, name: string): Promise<void> {
  const rp = await repo();
  const r = await rp.get(id);
  if (r === undefined) return;
  await rp.put({ ...r, name, project: { ...r.project, name }, updatedAt: Date.now() });
}

export async function duplicateProject(id: string): Promise<void> {
  const rp = await repo();
  const r = await rp.get(id);
  if (r === undefined) return;
  const name = `${r.name} (copy)`;
  await rp.put({ ...r, id: newProjectId(), name, project: { ...r.project, name }, updatedAt: Date.now() });
}

export async function deleteProject(id: string): Promise<void> {
  await (await repo()).delete(id);
  if (projectStore.getState().projectId === id) projectStore.setState({ projectId: null });
}

/** Writes the open project now. */
export async function saveNow(): Promise<void> {
  const s = projectStore.getState();
  if (s.projectId === null) return;
  await (await repo()).put(recordOf(s.projectId, s.doc, { ...s.results }, { ...s.files }));
}

let timer: ReturnType<typeof setTimeout> | null = null;
/** Saves the open project a moment after each change; returns the unsubscribe. */
export function startAutosave(): () => void {
  const unsub = projectStore.subscribe((s, prev) => {
    if (s.revision === prev.revision || s.projectId === null) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      saveNow().catch(fail);
    }, AUTOSAVE_MS);
  });
  return () => {
    unsub();
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
      saveNow().catch(fail);
    }
  };
}

/** Runs cells 0..`upTo` (all: null) through the executor; each cell's result is kept with its signature. */
export async function runCells(upTo: number | null): Promise<void> {
  const s = projectStore.getState();
  if (s.busy) return;
  const doc = upTo === null ? s.doc : { ...s.doc, cells: s.doc.cells.slice(0, upTo + 1) };
  const check = checkDoc(doc);
  if (check.project === null) {
    fail(new WorkbenchError('INVALID_INPUT', 'Fix the errors shown in the cells before running.'));
    return;
  }
  const sigs = signatures(doc, check.parsed, s.files);
  const sigById = new Map(check.project.cells.map((c, i) => [c.id, sigs[i]!]));
  const ran = new Set(sigById.keys());
  projectStore.setState({
    busy: true,
    error: null,
    artifacts: s.artifacts.filter((a) => !ran.has(a.cellId)),
  });
  try {
    await executeProject(check.project, {
      readFile: (path) => readProjectPath(path, projectStore.getState().files),
      writeArtifact: (name, blob) => {
        const cellId = projectStore.getState().running ?? '';
        projectStore.setState({ artifacts: [...projectStore.getState().artifacts, { cellId, name, blob }] });
        return Promise.resolve();
      },
      onCell: (id, r) => recordCell(id, r, sigById.get(id) ?? ''),
    });
    projectStore.setState({ busy: false, running: null });
  } catch (e) {
    fail(e);
  }
}

/** The open project as validated JSON (as written), or a clear error. */
function currentProject(): Project {
  const s = projectStore.getState();
  const check = checkDoc(s.doc);
  if (check.project === null) {
    throw new WorkbenchError('INVALID_INPUT', 'Fix the errors shown in the cells first.');
  }
  return docJson(s.doc, check.parsed) as unknown as Project;
}

/** A share link of the open project: the full URL and its fragment's size. */
export async function shareLink(): Promise<{
  url: string;
  bytes: number;
  inlined: string[];
  byHash: string[];
}> {
  const project = currentProject();
  const link = await encodeProjectLink(project, await linkDatasets(project, projectStore.getState().files));
  const url = `${window.location.origin}${window.location.pathname}${window.location.search}${link.fragment}`;
  return { url, bytes: link.bytes, inlined: link.inlined, byHash: link.byHash };
}

/** Downloads the open project as a .zip with every file it reads. */
export async function exportProjectFile(): Promise<void> {
  const project = currentProject();
  const bytes = await writeProjectFile(
    project,
    await projectFileEntries(project, projectStore.getState().files),
  );
  const safe = project.name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '') || 'project';
  saveBlob(new Blob([new Uint8Array(bytes)], { type: 'application/zip' }), `${safe}.zip`);
}

/** Imports a project file as a NEW project. */
export async function importProjectFile(file: File): Promise<string> {
  const { project, files } = await readProjectFile(new Uint8Array(await file.arrayBuffer()));
  return createProject(project, Object.fromEntries(files));
}

/** Checks a supplied file against a by-hash dataset; returns the path source it becomes. */
export async function suppliedSource(
  cellId: string,
  missing: MissingDataset['missing'],
  bytes: Uint8Array,
): Promise<{ path: string; sha256: string }> {
  await verifySuppliedFile(missing, bytes);
  const path = unsafePathReason(missing.name) === null ? missing.name : `data/${cellId}.csv`;
  return { path, sha256: await sha256Hex(bytes) };
}

/** In the notebook: a verified supplied file replaces the cell's `missing` source and is attached. */
export async function supplyInNotebook(
  key: string,
  cellId: string,
  missing: MissingDataset['missing'],
  file: File,
): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const source = await suppliedSource(cellId, missing, bytes);
  const draft = projectStore.getState().doc.cells.find((c) => c.key === key);
  if (draft === undefined) return;
  const cell = JSON.parse(draft.text) as Record<string, unknown>;
  attachFile(source.path, bytes);
  editCell(key, JSON.stringify({ ...cell, source }, null, 2));
}

/** Attaches a file to a dataset cell's path. */
export async function attachToPath(path: string, file: File): Promise<void> {
  attachFile(path, new Uint8Array(await file.arrayBuffer()));
  return Promise.resolve();
}
