/**
 * Where the notebook's `path` reads come from: a file the user attached to the project, else the app's own
 * sample of that name (public/samples/<basename>, so the bundled examples run as they are), else the user
 * is asked to attach it. Also builds the data a share link or a project file carries.
 */
import Papa from 'papaparse';
import { detectLayout } from '../../engine/data/ingest/layout';
import type { Project } from '../../engine/project/format';
import type { LinkDataset } from '../../engine/project/link';
import type { ProjectFileEntry } from '../../engine/project/projectFile';
import { WorkbenchError } from '../../lib/errors';

/** The app's sample of that base name, or null when there is none (the preview server answers HTML then). */
async function sampleFile(path: string): Promise<Blob | null> {
  const base = path.split('/').at(-1) ?? path;
  if (!/^[\w.-]+$/.test(base)) return null;
  try {
    const res = await fetch(new URL(`samples/${base}`, document.baseURI));
    if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
    return await res.blob();
  } catch {
    return null;
  }
}

/** The bytes a project reads under `path`. */
export async function readProjectPath(
  path: string,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<Blob> {
  const attached = files[path];
  if (attached !== undefined) return new Blob([new Uint8Array(attached)]);
  const sample = await sampleFile(path);
  if (sample !== null) return sample;
  throw new WorkbenchError(
    'INVALID_INPUT',
    `The file “${path}” is not attached to this project: attach it in its dataset cell, then run again.`,
  );
}

/** The data of every dataset cell that reads a path, as the link encoder wants it. */
export async function linkDatasets(
  project: Project,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<Map<string, LinkDataset>> {
  const out = new Map<string, LinkDataset>();
  for (const cell of project.cells) {
    if (cell.kind !== 'dataset' || !('path' in cell.source)) continue;
    const path = cell.source.path;
    const bytes = new Uint8Array(await (await readProjectPath(path, files)).arrayBuffer());
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
    const name = path.split('/').at(-1) ?? path;
    const lines = text === undefined ? [] : Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
    // Column names as an import would give them (a header, scikit-learn's metadata line, or none).
    const layout = lines.length === 0 ? null : detectLayout(name, lines.slice(0, 2), lines.length);
    out.set(cell.id, {
      name,
      bytes,
      columns: layout?.names ?? [],
      rows: lines.length - (layout?.skipRows ?? 0),
      ...(text !== undefined && /\.(csv|txt)$/i.test(path) ? { csvText: text } : {}),
    });
  }
  return out;
}

/** The files a project file carries: every path the project reads. */
export async function projectFileEntries(
  project: Project,
  files: Readonly<Record<string, Uint8Array>>,
): Promise<ProjectFileEntry[]> {
  const out: ProjectFileEntry[] = [];
  const seen = new Set<string>();
  for (const cell of project.cells) {
    const paths =
      cell.kind === 'dataset' && 'path' in cell.source
        ? [cell.source.path]
        : cell.kind === 'dataset' && 'paths' in cell.source
          ? cell.source.paths
          : cell.kind === 'infer' && 'path' in cell.model
            ? [cell.model.path]
            : [];
    for (const path of paths) {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push({ path, bytes: new Uint8Array(await (await readProjectPath(path, files)).arrayBuffer()) });
    }
  }
  return out;
}
