/**
 * The headless runner's entry in the page (scripts/project.mjs drives it through Playwright): runs a project
 * document, reading data files from `/__project__/<path>` (which the runner answers from the project's folder)
 * and handing artifacts to the runner's `__workbenchArtifact` binding as base64.
 */
import { parseProjectText } from '../../engine/project/load';
import {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type CellResult,
  type ProjectResults,
} from '../../engine/project/results';
import { toWorkbenchError, WorkbenchError } from '../../lib/errors';
import { gpuStore } from '../../state/gpuStore';
import { executeProject } from './execute';

declare global {
  interface Window {
    /** Bound by the headless runner: receives each artifact. */
    __workbenchArtifact?: (name: string, base64: string) => Promise<void>;
    /** Bound by the headless runner: hears each cell's progress. */
    __workbenchProgress?: (line: string) => Promise<void>;
  }
}

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function line(id: string, r: CellResult | 'running'): string {
  if (r === 'running') return `… ${id}`;
  const metrics = Object.entries(r.metrics)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(' ');
  const tail = r.error ? ` — ${r.error.code}: ${r.error.message}` : metrics === '' ? '' : ` ${metrics}`;
  return `${r.status === 'ok' ? '✓' : r.status === 'failed' ? '✗' : '-'} ${id} (${r.kind}, ${(r.durationMs / 1000).toFixed(1)} s${r.backend ? `, ${r.backend}` : ''})${tail}`;
}

/** Runs a project document; never throws (a document that does not load is a failed result). */
export async function runProjectHeadless(text: string): Promise<ProjectResults> {
  const started = new Date();
  const t0 = performance.now();
  const caps = gpuStore.getState().capabilities;
  const environment = {
    userAgent: navigator.userAgent,
    webgpu: caps?.available === true,
    adapter: caps?.available === true ? `${caps.adapter.vendor} ${caps.adapter.architecture}`.trim() : null,
  };
  const base = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    startedAt: started.toISOString(),
    environment,
  } as const;
  let project;
  try {
    project = parseProjectText(text);
  } catch (e) {
    const err = toWorkbenchError(e);
    return {
      ...base,
      project: '',
      ok: false,
      durationMs: performance.now() - t0,
      cells: [],
      error: { code: err.code, message: err.message, details: err.details },
    };
  }
  const cells = await executeProject(project, {
    async readFile(path) {
      const res = await fetch(`/__project__/${path.split('/').map(encodeURIComponent).join('/')}`);
      if (!res.ok) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `The file “${path}” next to the project could not be read (${res.status}).`,
        );
      }
      return res.blob();
    },
    async writeArtifact(name, blob) {
      if (window.__workbenchArtifact === undefined) throw new WorkbenchError('INTERNAL', 'No artifact sink.');
      await window.__workbenchArtifact(name, await toBase64(blob));
    },
    onCell(id, r) {
      void window.__workbenchProgress?.(line(id, r));
    },
  });
  return {
    ...base,
    project: project.name,
    ok: cells.every((c) => c.status === 'ok'),
    durationMs: performance.now() - t0,
    cells,
  };
}
