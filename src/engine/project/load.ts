/**
 * Reading a project document: JSON → version check (newer refused, older migrated) → schema (the precompiled
 * validator: no eval, CSP-safe) → cross-references → defaults filled in. Every failure is a WorkbenchError
 * whose message says where the problem is (a JSON pointer into the document) and what to do.
 */
import { WorkbenchError } from '../../lib/errors';
import { validate, type ValidationError } from './generated/validateProject.js';
import { PROJECT_FORMAT, PROJECT_VERSION, type Cell, type CellKind, type Project } from './format';
import { normalizeProject } from './normalize';

/** Documents larger than this are refused before parsing (share links and files are far smaller). */
export const MAX_PROJECT_CHARS = 8 * 2 ** 20;

/** Migrations from version v to v + 1, keyed by v. Version 1 is the first released format: none yet. */
const MIGRATIONS: Readonly<Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>> = {};

export function parseProjectText(text: string): Project {
  if (text.length > MAX_PROJECT_CHARS) {
    throw new WorkbenchError('INVALID_INPUT', 'The project document is larger than 8 MiB.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new WorkbenchError('PARSE_ERROR', `The project is not valid JSON: ${(e as Error).message}`);
  }
  return loadProject(value);
}

/** Brings an older document up to PROJECT_VERSION; refuses a newer one. */
export function migrate(doc: Record<string, unknown>): Record<string, unknown> {
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new WorkbenchError('INVALID_INPUT', '“version” must be a whole number ≥ 1 (this app writes 1).');
  }
  if (version > PROJECT_VERSION) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `This project uses format version ${version}, made by a newer workbench; this one reads versions up to ${PROJECT_VERSION}. Update the app (reload it) to open it.`,
    );
  }
  let cur = doc;
  for (let v = version; v < PROJECT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) throw new WorkbenchError('INTERNAL', `No migration from version ${v}.`);
    cur = { ...step(cur), version: v + 1 };
  }
  return cur;
}

/** A validator error as one readable line: where (JSON pointer) and what. */
export function describeError(e: ValidationError): string {
  const where = e.instancePath === '' ? 'the document' : e.instancePath;
  const params = e.params;
  if (e.keyword === 'additionalProperties') {
    return `${where}: unknown field “${String(params['additionalProperty'])}”`;
  }
  if (e.keyword === 'enum') {
    const allowed = (params['allowedValues'] as readonly unknown[] | undefined) ?? [];
    return `${where}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  }
  if (e.keyword === 'const') return `${where}: must be ${JSON.stringify(params['allowedValue'])}`;
  if (e.keyword === 'discriminator' && params['error'] === 'mapping') {
    return `${where}: unknown kind ${JSON.stringify(params['tagValue'])}`;
  }
  return `${where}: ${e.message ?? e.keyword}`;
}

export function loadProject(value: unknown): Project {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WorkbenchError('INVALID_INPUT', 'A project is a JSON object; see docs/project-format.md.');
  }
  const doc = value as Record<string, unknown>;
  if (doc['format'] !== PROJECT_FORMAT) {
    throw new WorkbenchError(
      'INVALID_INPUT',
      `Not a workbench project: “format” must be "${PROJECT_FORMAT}".`,
    );
  }
  const migrated = migrate(doc);
  if (!validate(migrated)) {
    const lines = (validate.errors ?? []).map(describeError);
    throw new WorkbenchError(
      'INVALID_INPUT',
      `The project does not match the format (${lines[0] ?? 'unknown error'}).`,
      lines,
    );
  }
  const project = migrated as unknown as Project;
  checkReferences(project.cells);
  return normalizeProject(project);
}

/** What each reference may point at. */
const ALLOWED: Readonly<Record<string, readonly CellKind[]>> = {
  input: ['dataset', 'preprocess'],
  data: ['dataset', 'preprocess'],
  model: ['train'],
};

function refsOf(cell: Cell): { field: string; ref: string; role: keyof typeof ALLOWED }[] {
  switch (cell.kind) {
    case 'preprocess':
    case 'train':
      return [{ field: 'input', ref: cell.input, role: 'input' }];
    case 'evaluate':
    case 'chart':
      return [{ field: 'model', ref: cell.model, role: 'model' }];
    case 'export': {
      const refs: { field: string; ref: string; role: keyof typeof ALLOWED }[] = [
        { field: 'model', ref: cell.model, role: 'model' },
      ];
      if (cell.predictions) {
        refs.push({ field: 'predictions.dataset', ref: cell.predictions.dataset, role: 'data' });
      }
      return refs;
    }
    case 'infer': {
      const refs: { field: string; ref: string; role: 'data' }[] = [];
      if (cell.batch) refs.push({ field: 'batch.dataset', ref: cell.batch.dataset, role: 'data' });
      if (cell.stream) refs.push({ field: 'stream.dataset', ref: cell.stream.dataset, role: 'data' });
      return refs;
    }
    default:
      return [];
  }
}

/** Ids unique; every reference names an EARLIER cell of an allowed kind; at most one split per recipe. */
export function checkReferences(cells: readonly Cell[]): void {
  const seen = new Map<string, CellKind>();
  for (const [i, cell] of cells.entries()) {
    if (seen.has(cell.id)) {
      throw new WorkbenchError('INVALID_INPUT', `/cells/${i}: the id “${cell.id}” is used twice.`);
    }
    for (const { field, ref, role } of refsOf(cell)) {
      const kind = seen.get(ref);
      const allowed = ALLOWED[role]!;
      if (kind === undefined) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `/cells/${i} (“${cell.id}”): ${field} “${ref}” is not an earlier cell.`,
        );
      }
      if (!allowed.includes(kind)) {
        throw new WorkbenchError(
          'INVALID_INPUT',
          `/cells/${i} (“${cell.id}”): ${field} “${ref}” is a ${kind} cell; it must be ${allowed.join(' or ')}.`,
        );
      }
    }
    if (cell.kind === 'preprocess' && cell.steps.filter((s) => s.kind === 'split').length > 1) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `/cells/${i} (“${cell.id}”): a recipe has at most one split.`,
      );
    }
    if (cell.kind === 'export' && cell.onnx === undefined && cell.predictions === undefined) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `/cells/${i} (“${cell.id}”): an export cell asks for "onnx", "predictions" or both.`,
      );
    }
    if (cell.kind === 'infer' && (cell.batch === undefined) === (cell.stream === undefined)) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `/cells/${i} (“${cell.id}”): an infer cell has exactly one of "batch" or "stream".`,
      );
    }
    seen.set(cell.id, cell.kind);
  }
}
