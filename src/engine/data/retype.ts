import { WorkbenchError } from '../../lib/errors';
import type { ColumnChunk, ColumnMeta } from './dataset';
import { cellValue } from './export';
import { codeMapsFor, columnMeta, convertChunk, type ColumnPlan } from './ingest/convert';
import { ColumnProfile, MAX_CATEGORIES } from './ingest/infer';

/** Types a user may give a column; images keep their type. */
export const RETYPE_TARGETS = ['number', 'integer', 'date', 'categorical', 'text'] as const;
export type RetypeTarget = (typeof RETYPE_TARGETS)[number];

/** A column's valid cells as the text they stand for (numbers in shortest form, dates as ISO). */
function cellTexts(meta: ColumnMeta, chunks: readonly ColumnChunk[]): string[][] {
  return chunks.map((c) =>
    Array.from({ length: c.rows }, (_, r) => {
      const v = cellValue(meta, c, r);
      return v === null ? '' : String(v);
    }),
  );
}

/**
 * Converts one column to another type, through the same text recognisers as import, so a retyped column
 * equals what importing it with that type would give. Refuses (INVALID_INPUT) when a value cannot be
 * represented, naming the first one, instead of dropping it.
 */
export function retypeColumn(
  meta: ColumnMeta,
  chunks: readonly ColumnChunk[],
  to: RetypeTarget,
): { meta: ColumnMeta; chunks: ColumnChunk[] } {
  if (meta.type === 'image' || meta.type === 'audio')
    throw new WorkbenchError(
      'INVALID_INPUT',
      `${meta.name} holds ${meta.type === 'image' ? 'images' : 'audio'}; its type is fixed`,
    );
  const texts = cellTexts(meta, chunks);
  const profile = new ColumnProfile(false);
  for (const block of texts) for (const t of block) profile.observe(t);
  const inferred = profile.result();
  const plan = planFor(meta.name, to, inferred, texts);
  const codeMaps = codeMapsFor([plan]);
  const out = chunks.map((c, i) => {
    const [converted] = convertChunk(
      c.datasetId,
      c.index,
      texts[i]!.map((t) => [t]),
      [plan],
      codeMaps,
    );
    return { ...converted!, column: c.column };
  });
  return { meta: columnMeta(plan), chunks: out };
}

function planFor(
  name: string,
  to: RetypeTarget,
  inferred: ReturnType<ColumnProfile['result']>,
  texts: readonly (readonly string[])[],
): ColumnPlan {
  const base = { ...inferred, name, labels: null };
  const fits: Record<RetypeTarget, boolean> = {
    text: true,
    categorical: true,
    number: inferred.type === 'number' || inferred.type === 'integer',
    integer: inferred.type === 'integer',
    date: inferred.type === 'date',
  };
  if (!fits[to]) {
    const bad = firstMisfit(texts, to);
    throw new WorkbenchError(
      'INVALID_INPUT',
      `${name} cannot become ${to}: "${bad}" is not ${articleFor(to)}`,
    );
  }
  if (to === 'categorical') {
    const dictionary = distinct(texts);
    if (dictionary.length > MAX_CATEGORIES) {
      throw new WorkbenchError(
        'INVALID_INPUT',
        `${name} has over ${MAX_CATEGORIES} distinct values; keep it as text`,
      );
    }
    return { ...base, type: 'categorical', dictionary, dateOrder: null, decimalComma: false };
  }
  if (to === 'text') return { ...base, type: 'text', dictionary: null, dateOrder: null, decimalComma: false };
  return { ...base, type: to };
}

function distinct(texts: readonly (readonly string[])[]): string[] {
  const set = new Set<string>();
  for (const block of texts) for (const t of block) if (t !== '') set.add(t);
  const collator = new Intl.Collator('en', { numeric: true });
  return [...set].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function firstMisfit(texts: readonly (readonly string[])[], to: RetypeTarget): string {
  for (const block of texts) {
    for (const t of block) {
      if (t === '') continue;
      const p = new ColumnProfile(false);
      p.observe(t);
      const type = p.result().type;
      const ok = to === 'number' ? type === 'number' || type === 'integer' : type === to;
      if (!ok) return t;
    }
  }
  return '';
}

function articleFor(to: RetypeTarget): string {
  return to === 'integer' ? 'an integer' : to === 'date' ? 'a date' : `a ${to}`;
}

/** Whether a string names a type a column can be changed to. */
export function isRetypeTarget(t: string): t is RetypeTarget {
  return (RETYPE_TARGETS as readonly string[]).includes(t);
}
