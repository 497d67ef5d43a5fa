/**
 * Project files: one zip holding project.json, the data it reads and the models it made, with a manifest of
 * every entry's SHA-256. Reading is capped (entries, expanded size), refuses unsafe names (absolute, '..',
 * backslashes, drive letters) and checks every hash, so a damaged or doctored file fails with a clear error.
 * This module is also the project code's compression adapter (raw deflate for share links): only fflate's
 * synchronous API is used, as its async API starts blob: workers, which the CSP forbids.
 */
import { Inflate, deflateSync, unzipSync, zipSync, type Zippable } from 'fflate';
import { WorkbenchError } from '../../lib/errors';
import type { Project } from './format';
import { sha256Hex } from './hash';
import { loadProject, parseProjectText } from './load';

export const PROJECT_JSON = 'project.json';
export const MANIFEST_JSON = 'manifest.json';
export const PROJECT_FILE_FORMAT = 'webgpu-workbench/project-file';

/** Most entries a project file may hold. */
export const MAX_ENTRIES = 1000;
/** Most bytes a project file may expand to (it is held in memory). */
export const MAX_EXPANDED_BYTES = 1024 * 2 ** 20;

export interface ProjectFileEntry {
  /** Relative path inside the file, forward slashes: 'data/penguins.csv', 'models/model.onnx'. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

export interface ReadLimits {
  readonly maxEntries?: number;
  readonly maxExpandedBytes?: number;
}

interface Manifest {
  readonly format: typeof PROJECT_FILE_FORMAT;
  readonly version: 1;
  readonly files: Readonly<Record<string, { readonly sha256: string; readonly bytes: number }>>;
}

/** Why a path may not name an entry, or null when it is a safe relative path. */
export function unsafePathReason(path: string): string | null {
  if (path === '') return 'an empty name';
  if (path.includes('\\')) return 'a backslash';
  if (path.startsWith('/')) return 'an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'a drive letter';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'a control character';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'a “..” segment';
  if (parts.some((p) => p === '' || p === '.')) return 'an empty or “.” segment';
  return null;
}

/** Paths the project names as files next to it (dataset and model sources). */
function referencedPaths(project: Project): { path: string; sha256?: string; cell: string }[] {
  const out: { path: string; sha256?: string; cell: string }[] = [];
  for (const c of project.cells) {
    if (c.kind === 'dataset' && 'path' in c.source) {
      out.push({ path: c.source.path, cell: c.id, ...(c.source.sha256 ? { sha256: c.source.sha256 } : {}) });
    }
    if (c.kind === 'infer' && 'path' in c.model) out.push({ path: c.model.path, cell: c.id });
  }
  return out;
}

/** Every path the project reads must be in the file, with the hash the project states (if any). */
function checkReferences(project: Project, hashes: ReadonlyMap<string, string>): void {
  for (const ref of referencedPaths(project)) {
    const h = hashes.get(ref.path);
    if (h === undefined) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Cell “${ref.cell}” reads “${ref.path}”, which the project file does not contain.`,
      );
    }
    if (ref.sha256 !== undefined && ref.sha256 !== h) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `“${ref.path}” does not match the SHA-256 that cell “${ref.cell}” states.`,
        [`stated ${ref.sha256}`, `file ${h}`],
      );
    }
  }
}

/**
 * Writes a project file: project.json, the given files (data/…, models/…) and manifest.json. The project is
 * validated first, and every path it reads must be among the files.
 */
export async function writeProjectFile(
  project: Project,
  files: readonly ProjectFileEntry[],
): Promise<Uint8Array> {
  loadProject(JSON.parse(JSON.stringify(project)) as unknown);
  const entries = new Map<string, Uint8Array>();
  entries.set(PROJECT_JSON, new TextEncoder().encode(JSON.stringify(project, null, 2)));
  for (const f of files) {
    const why = unsafePathReason(f.path);
    if (why !== null)
      throw new WorkbenchError('INVALID_INPUT', `“${f.path}” cannot name a file: it has ${why}.`);
    if (entries.has(f.path) || f.path === MANIFEST_JSON) {
      throw new WorkbenchError('INVALID_INPUT', `“${f.path}” is given twice or is a reserved name.`);
    }
    entries.set(f.path, f.bytes);
  }
  const hashes = new Map<string, string>();
  const listed: Record<string, { sha256: string; bytes: number }> = {};
  for (const [path, bytes] of entries) {
    const sha256 = await sha256Hex(bytes);
    hashes.set(path, sha256);
    listed[path] = { sha256, bytes: bytes.byteLength };
  }
  checkReferences(project, hashes);
  const manifest: Manifest = { format: PROJECT_FILE_FORMAT, version: 1, files: listed };
  const zippable: Zippable = { [MANIFEST_JSON]: new TextEncoder().encode(JSON.stringify(manifest, null, 2)) };
  // Models and already-compressed data gain little from deflate; level 6 keeps writing quick.
  for (const [path, bytes] of entries) zippable[path] = [bytes, { level: 6 }];
  return zipSync(zippable, { mtime: new Date('2020-01-01T00:00:00Z') });
}

const damaged = (why: string): WorkbenchError =>
  new WorkbenchError('PARSE_ERROR', `This is not a readable project file: ${why}. Nothing was opened.`);

function unzipCapped(bytes: Uint8Array, limits: ReadLimits): Record<string, Uint8Array> {
  const maxEntries = limits.maxEntries ?? MAX_ENTRIES;
  const maxBytes = limits.maxExpandedBytes ?? MAX_EXPANDED_BYTES;
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b)) throw damaged('it is not a zip archive');
  let count = 0;
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (++count > maxEntries) {
          throw new WorkbenchError('INVALID_INPUT', `The project file has more than ${maxEntries} entries.`);
        }
        if (f.name.endsWith('/')) return false;
        const why = unsafePathReason(f.name);
        if (why !== null) {
          throw new WorkbenchError(
            'INVALID_INPUT',
            `The project file names an entry “${f.name}” with ${why}; it was refused.`,
          );
        }
        total += f.originalSize;
        if (total > maxBytes) {
          throw new WorkbenchError(
            'INVALID_INPUT',
            `The project file expands to more than ${Math.round(maxBytes / 2 ** 20)} MiB; it was refused.`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof WorkbenchError) throw e;
    throw damaged(`the zip is damaged or truncated (${(e as Error).message})`);
  }
}

function manifestOf(raw: Uint8Array | undefined): Manifest {
  if (raw === undefined) throw damaged(`it has no ${MANIFEST_JSON}`);
  let m: unknown;
  try {
    m = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw damaged(`its ${MANIFEST_JSON} is not valid JSON`);
  }
  const rec = m as Partial<Manifest> | null;
  if (rec === null || typeof rec !== 'object' || rec.format !== PROJECT_FILE_FORMAT || rec.version !== 1) {
    throw damaged(`its ${MANIFEST_JSON} is not a version 1 workbench manifest`);
  }
  if (typeof rec.files !== 'object' || rec.files === null)
    throw damaged(`its ${MANIFEST_JSON} lists no files`);
  return rec as Manifest;
}

/**
 * Reads a project file: the validated project and its other files by path (manifest and project.json
 * excluded). Every entry must be listed in the manifest with a matching SHA-256, and the reverse.
 */
export async function readProjectFile(
  bytes: Uint8Array,
  limits: ReadLimits = {},
): Promise<{ project: Project; files: Map<string, Uint8Array> }> {
  const entries = unzipCapped(bytes, limits);
  const manifest = manifestOf(entries[MANIFEST_JSON]);
  const hashes = new Map<string, string>();
  for (const [path, data] of Object.entries(entries)) {
    if (path === MANIFEST_JSON) continue;
    const listed = Object.hasOwn(manifest.files, path) ? manifest.files[path] : undefined;
    if (listed === undefined) throw damaged(`“${path}” is not listed in its manifest`);
    const sha256 = await sha256Hex(data);
    if (sha256 !== listed.sha256 || data.byteLength !== listed.bytes) {
      throw damaged(`“${path}” does not match its manifest hash (the file was altered or damaged)`);
    }
    hashes.set(path, sha256);
  }
  for (const path of Object.keys(manifest.files)) {
    if (!hashes.has(path)) throw damaged(`“${path}”, listed in its manifest, is missing`);
  }
  const json = entries[PROJECT_JSON];
  if (json === undefined) throw damaged(`it has no ${PROJECT_JSON}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw damaged(`its ${PROJECT_JSON} is not UTF-8 text`);
  }
  const project = parseProjectText(text);
  checkReferences(project, hashes);
  const files = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(entries)) {
    if (path !== MANIFEST_JSON && path !== PROJECT_JSON) files.set(path, data);
  }
  return { project, files };
}

/** Which deflate implementation a share link uses: CompressionStream, fflate, or the first available. */
export type Codec = 'auto' | 'stream' | 'fflate';

let streamSupport: boolean | undefined;
/** Whether this runtime's CompressionStream knows raw deflate (Safari before 16.4 does not). */
function hasDeflateRawStream(): boolean {
  if (streamSupport === undefined) {
    try {
      new CompressionStream('deflate-raw');
      new DecompressionStream('deflate-raw');
      streamSupport = true;
    } catch {
      streamSupport = false;
    }
  }
  return streamSupport;
}

const streamCodec = (codec: Codec): boolean =>
  codec === 'auto' ? hasDeflateRawStream() : codec === 'stream';

/** A readable stream of the bytes in small chunks, so inflation can be stopped early. */
function chunked(data: Uint8Array, size = 4096): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream({
    pull(ctl) {
      if (at >= data.length) return ctl.close();
      ctl.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

/** Raw DEFLATE (RFC 1951) of the bytes. */
export async function deflateRaw(data: Uint8Array, codec: Codec = 'auto'): Promise<Uint8Array> {
  if (!streamCodec(codec)) return deflateSync(data, { level: 9 });
  const out = chunked(data).pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(out).arrayBuffer());
}

const tooBig = (cap: number): WorkbenchError =>
  new WorkbenchError(
    'INVALID_INPUT',
    `The link expands to more than ${Math.round(cap / 2 ** 10)} KB; it was refused (links hold small projects).`,
  );
const corrupt = (e: unknown): WorkbenchError =>
  new WorkbenchError(
    'PARSE_ERROR',
    `The link is damaged: its data does not decompress (${e instanceof Error ? e.message : String(e)}).`,
  );

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Inflates raw DEFLATE, stopping with INVALID_INPUT as soon as the output passes `cap` bytes. */
export async function inflateRaw(data: Uint8Array, cap: number, codec: Codec = 'auto'): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  if (!streamCodec(codec)) {
    const inflater = new Inflate((chunk) => {
      total += chunk.byteLength;
      if (total > cap) throw tooBig(cap);
      parts.push(chunk);
    });
    try {
      // Small pushes bound what one push can expand to (deflate's ratio is at most about 1032:1).
      for (let at = 0; at < data.length; at += 1024) inflater.push(data.subarray(at, at + 1024), false);
      inflater.push(new Uint8Array(0), true);
    } catch (e) {
      throw e instanceof WorkbenchError ? e : corrupt(e);
    }
    return concat(parts, total);
  }
  const reader = chunked(data, 1024).pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw tooBig(cap);
      }
      parts.push(value);
    }
  } catch (e) {
    throw e instanceof WorkbenchError ? e : corrupt(e);
  }
  return concat(parts, total);
}
