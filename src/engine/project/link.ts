/**
 * Share links: a project carried in the URL fragment, `#/p/<base64url(deflate-raw(project JSON))>`. A link is
 * data, never code: the decoder caps the fragment and the inflated size (a deflate bomb stops at the cap),
 * then the project goes through the same schema validation as any file, which refuses unknown fields (an
 * "endpoint" or "token" cannot ride along). Small local datasets travel inline as CSV; larger ones travel as
 * their hash, name, columns and row count, and the recipient supplies the file (verifySuppliedFile).
 */
import Papa from 'papaparse';
import { WorkbenchError } from '../../lib/errors';
import { detectLayout } from '../data/ingest/layout';
import type { Cell, DatasetCell, DatasetSource, Project } from './format';
import { sha256Hex } from './hash';
import { loadProject, parseProjectText } from './load';
import { deflateRaw, inflateRaw, type Codec } from './projectFile';

/** What comes before the payload in a link's fragment. */
export const LINK_PREFIX = '#/p/';

/**
 * CSV at most this many UTF-8 bytes is carried inline. CSV deflates 4–6× (iris 2.7 KB → 0.8 KB, penguins
 * 15.2 KB → 2.9 KB), and base64 adds a third, so a 16 KiB table costs about 3–5 KB of link: the penguins
 * example stays under the 8 KB goal, and anything larger goes by hash.
 */
export const INLINE_LIMIT = 16 * 1024;

/** The encoder sends inlined data by hash instead, largest first, until the link is at most this long. */
export const LINK_BUDGET = 32 * 1024;

/** Longest payload the decoder reads (characters after `#/p/`); twice the encoder's budget. */
export const MAX_LINK_CHARS = 64 * 1024;

/** Most bytes a link may inflate to; a larger result is refused as a probable deflate bomb. */
export const MAX_INFLATED_BYTES = 2 * 2 ** 20;

/** The data of a dataset cell that is not a sample or a URL, as the app holds it. */
export interface LinkDataset {
  /** File name shown to the recipient when they are asked for it. */
  readonly name: string;
  /** The data as CSV, when it has a CSV form (absent: it can only travel by hash). */
  readonly csvText?: string;
  /** The file's bytes: their SHA-256 names the data in the link. */
  readonly bytes: Uint8Array;
  readonly columns: readonly string[];
  readonly rows: number;
}

export interface EncodeOptions {
  /** Largest CSV carried inline, UTF-8 bytes (default INLINE_LIMIT). */
  readonly inlineLimit?: number;
  /** Longest link before inlined data is demoted to by-hash (default LINK_BUDGET). */
  readonly budget?: number;
  /** Deflate implementation: 'stream' (CompressionStream), 'fflate', or 'auto' (the first available). */
  readonly codec?: Codec;
}

export interface EncodedLink {
  /** `#/p/…`, ready to append to the app's URL. */
  readonly fragment: string;
  /** Length of the fragment in bytes (it is ASCII). */
  readonly bytes: number;
  /** Ids of the dataset cells carried inline. */
  readonly inlined: string[];
  /** Ids of the dataset cells sent as hash + columns (the recipient supplies the file). */
  readonly byHash: string[];
}

export interface DecodeOptions {
  readonly codec?: Codec;
}

/** A dataset the recipient must supply, by cell. */
export interface MissingDataset {
  readonly cellId: string;
  readonly missing: Extract<DatasetSource, { missing: unknown }>['missing'];
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).byteLength;

/** Sources that need no local data: they stay as they are. */
const travelsAsIs = (s: DatasetSource): boolean => 'sample' in s || 'url' in s;

interface Choice {
  readonly cellId: string;
  readonly inline: DatasetSource | null;
  readonly byHash: DatasetSource;
  readonly size: number;
}

async function choiceFor(cell: DatasetCell, data: LinkDataset | undefined): Promise<Choice | null> {
  const src = cell.source;
  if (travelsAsIs(src)) return null;
  if (data === undefined) {
    if ('missing' in src) return null;
    if ('inline' in src) {
      const size = utf8Length(src.inline.text);
      return { cellId: cell.id, inline: src, byHash: src, size };
    }
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Dataset cell “${cell.id}” reads a local file, but its data was not given to the link encoder.`,
    );
  }
  const byHash: DatasetSource = {
    missing: {
      name: data.name,
      sha256: await sha256Hex(data.bytes),
      columns: [...data.columns],
      rows: data.rows,
    },
  };
  const csv = data.csvText;
  const inline: DatasetSource | null = csv === undefined ? null : { inline: { format: 'csv', text: csv } };
  return { cellId: cell.id, inline, byHash, size: csv === undefined ? Infinity : utf8Length(csv) };
}

function withSources(project: Project, sources: ReadonlyMap<string, DatasetSource>): Project {
  const cells = project.cells.map((c): Cell => {
    if (c.kind !== 'dataset') return c;
    const s = sources.get(c.id);
    return s === undefined ? c : { ...c, source: s };
  });
  return { ...project, cells };
}

async function fragmentOf(project: Project, codec: EncodeOptions['codec']): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(project));
  return LINK_PREFIX + base64urlEncode(await deflateRaw(json, codec ?? 'auto'));
}

/**
 * Encodes a project as a share link. Dataset cells with local data (a path, inline text, or data in
 * `datasets`, keyed by cell id) carry their CSV inline when it is small, else their hash and columns;
 * samples and URLs stay as they are. The result is validated as the recipient will validate it.
 */
export async function encodeProjectLink(
  project: Project,
  datasets: ReadonlyMap<string, LinkDataset>,
  opts: EncodeOptions = {},
): Promise<EncodedLink> {
  const inlineLimit = opts.inlineLimit ?? INLINE_LIMIT;
  const budget = opts.budget ?? LINK_BUDGET;
  const choices: Choice[] = [];
  for (const cell of project.cells) {
    if (cell.kind !== 'dataset') continue;
    const c = await choiceFor(cell, datasets.get(cell.id));
    if (c !== null) choices.push(c);
  }
  // Inline what may be, then demote the largest inlined tables until the link fits the budget.
  const inlined = new Set(
    choices.filter((c) => c.inline !== null && c.size <= inlineLimit).map((c) => c.cellId),
  );
  for (;;) {
    const sources = new Map<string, DatasetSource>();
    for (const c of choices) sources.set(c.cellId, inlined.has(c.cellId) ? c.inline! : c.byHash);
    const linkProject = withSources(project, sources);
    refuseCredentials(loadProject(JSON.parse(JSON.stringify(linkProject)) as unknown));
    const fragment = await fragmentOf(linkProject, opts.codec);
    if (fragment.length <= budget) {
      const byHash = choices
        .filter((c) => !inlined.has(c.cellId) && 'missing' in c.byHash)
        .map((c) => c.cellId);
      return { fragment, bytes: fragment.length, inlined: [...inlined], byHash };
    }
    const largest = choices
      .filter((c) => inlined.has(c.cellId) && 'missing' in c.byHash)
      .sort((a, b) => b.size - a.size)[0];
    if (largest === undefined) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `The project needs a ${Math.ceil(fragment.length / 1024)} KB link even with its data sent by hash (limit ${Math.floor(budget / 1024)} KB). Export a project file instead.`,
      );
    }
    inlined.delete(largest.cellId);
  }
}

/** The payload of a link: accepts a whole URL, a fragment with or without '#', or `/p/…`. */
function payloadOf(link: string): string {
  const hash = link.indexOf('#');
  const frag = hash >= 0 ? link.slice(hash + 1) : link;
  if (!frag.startsWith('/p/')) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      'This is not a workbench project link (it has no “#/p/” part).',
    );
  }
  return frag.slice(3);
}

/**
 * Reads a share link back into a project: size-capped, inflated with an output cap, then parsed and
 * schema-validated like a project file. Failures are WorkbenchErrors (INVALID_INPUT or PARSE_ERROR).
 */
export async function decodeProjectLink(link: string, opts: DecodeOptions = {}): Promise<Project> {
  const payload = payloadOf(link);
  if (payload.length > MAX_LINK_CHARS) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The link is too long (${Math.ceil(payload.length / 1024)} KB; links are at most ${MAX_LINK_CHARS / 1024} KB). Ask for a project file instead.`,
    );
  }
  const deflated = base64urlDecode(payload);
  const json = await inflateRaw(deflated, MAX_INFLATED_BYTES, opts.codec ?? 'auto');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new WorkbenchError('PARSE_ERROR', 'The link is damaged: its content is not UTF-8 text.');
  }
  return refuseCredentials(parseProjectText(text));
}

/** URLs a project fetches: dataset sources and infer models. */
function urlsOf(project: Project): { cell: string; url: string }[] {
  const out: { cell: string; url: string }[] = [];
  for (const c of project.cells) {
    if (c.kind === 'dataset' && 'url' in c.source) out.push({ cell: c.id, url: c.source.url });
    if (c.kind === 'infer' && 'url' in c.model) out.push({ cell: c.id, url: c.model.url });
  }
  return out;
}

/** A link carries no credentials: a URL with a user name or password (https://user:token@host) is refused. */
function refuseCredentials(project: Project): Project {
  for (const { cell, url } of urlsOf(project)) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url, 'https://workbench.invalid/');
    } catch {
      // The schema's pattern already admits only https:// and site paths; an unparsable one fails its fetch.
    }
    if (parsed !== null && (parsed.username !== '' || parsed.password !== '')) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `Cell “${cell}” has a URL with a user name or password; share links never carry credentials.`,
      );
    }
  }
  return project;
}

/** The datasets a decoded link asks its recipient for. */
export function missingDatasets(project: Project): MissingDataset[] {
  const out: MissingDataset[] = [];
  for (const c of project.cells) {
    if (c.kind === 'dataset' && 'missing' in c.source) out.push({ cellId: c.id, missing: c.source.missing });
  }
  return out;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_VALUE = new Map([...B64URL].map((ch, i) => [ch, i]));

/** Bytes as unpadded base64url (RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, bytes.length - i + 1);
    for (let k = 0; k < chars; k++) parts.push(B64URL[(n >> (18 - 6 * k)) & 63]!);
  }
  return parts.join('');
}

/** Strict base64url (padding optional): any other character, or an impossible length, is a PARSE_ERROR. */
export function base64urlDecode(text: string): Uint8Array {
  const s = text.replace(/={1,2}$/, '');
  if (s.length % 4 === 1) {
    throw new WorkbenchError('PARSE_ERROR', 'The link is damaged: it was cut short or altered.');
  }
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const v = B64URL_VALUE.get(s[i]!);
    if (v === undefined) {
      throw new WorkbenchError(
        'PARSE_ERROR',
        `The link is damaged: “${s[i]!}” at position ${i + 1} cannot appear in a project link.`,
      );
    }
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** The column names a CSV file's head would get on import, or null when it is not readable text. */
function csvColumns(name: string, bytes: Uint8Array, rows: number): string[] | null {
  let head: string;
  try {
    head = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 65536), { stream: true });
  } catch {
    return null;
  }
  const parsed = Papa.parse<string[]>(head, { preview: 2, skipEmptyLines: true });
  if (parsed.data.length === 0) return null;
  try {
    // The sender's row count stands in for the file's (it decides only scikit-learn's metadata line).
    return [...detectLayout(name, parsed.data, rows + 1).names];
  } catch {
    return null;
  }
}

const quoted = (names: readonly string[]): string => names.map((n) => `“${n}”`).join(', ');

/**
 * Checks a file the recipient supplied for a by-hash dataset: its SHA-256 must match. When it does not,
 * the error names what differs: missing or unexpected columns, their order, or the content alone.
 */
export async function verifySuppliedFile(
  missing: MissingDataset['missing'],
  bytes: Uint8Array,
): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got === missing.sha256) return;
  const want = missing.columns;
  const cols = csvColumns(missing.name, bytes, missing.rows);
  const diffs: string[] = [];
  if (cols === null) {
    diffs.push('it is not a CSV file whose header can be read');
  } else {
    const lacking = want.filter((c) => !cols.includes(c));
    const extra = cols.filter((c) => !want.includes(c));
    if (lacking.length > 0) diffs.push(`it lacks the column(s) ${quoted(lacking)}`);
    if (extra.length > 0) diffs.push(`it has column(s) the project does not expect: ${quoted(extra)}`);
    if (lacking.length === 0 && extra.length === 0 && cols.join('\u0000') !== want.join('\u0000')) {
      diffs.push('its columns are in a different order');
    }
  }
  if (diffs.length === 0) diffs.push('its columns match, but its content differs');
  throw new WorkbenchError(
    'INVALID_INPUT',
    `This file is not the “${missing.name}” the project was made with: ${diffs.join('; ')}.`,
    [
      `expected SHA-256 ${missing.sha256}`,
      `this file's SHA-256 ${got}`,
      `expected columns: ${want.join(', ')} (${missing.rows} rows)`,
    ],
  );
}
