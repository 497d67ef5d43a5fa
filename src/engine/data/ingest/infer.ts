import type { ColumnType } from '../dataset';
import { classify, MISSING, type CellKinds } from './cells';

/** Largest number of distinct values a text column may have to be categorical. */
export const MAX_CATEGORIES = 1000;

/** The inferred type of a column, with what conversion needs. */
export interface InferredColumn {
  readonly type: ColumnType;
  readonly missing: number;
  readonly decimalComma: boolean;
  readonly dateOrder: 'iso' | 'dmy' | 'mdy' | null;
  /** Categories in natural sort order (categorical columns). */
  readonly dictionary: readonly string[] | null;
}

/**
 * Watches every cell of one column and keeps what each could still be: types only ever widen
 * (integer → number → text; date → text), so the result holds for all rows, not a prefix.
 */
export class ColumnProfile {
  missing = 0;
  present = 0;
  /** What every cell so far could be; only ever narrows. */
  private readonly k: CellKinds;
  private distinct: Map<string, number> | null = new Map();

  constructor(allowDecimalComma: boolean) {
    this.k = {
      integer: true,
      number: true,
      decimalComma: allowDecimalComma,
      iso: true,
      dmy: true,
      mdy: true,
    };
  }

  /** Records one raw cell. */
  observe(raw: string): void {
    const cell = raw.trim();
    if (MISSING.has(cell)) {
      this.missing++;
      return;
    }
    this.present++;
    if (this.distinct !== null && !this.distinct.has(cell)) {
      if (this.distinct.size >= MAX_CATEGORIES) this.distinct = null;
      else this.distinct.set(cell, this.distinct.size);
    }
    const s = this.k;
    if (!(s.integer || s.number || s.decimalComma || s.iso || s.dmy || s.mdy)) return;
    const k = classify(cell, { ...s, integer: s.integer || s.decimalComma });
    s.decimalComma &&= k.decimalComma || k.integer;
    s.integer &&= k.integer;
    s.number &&= k.number;
    s.iso &&= k.iso;
    s.dmy &&= k.dmy;
    s.mdy &&= k.mdy;
  }

  /** The column's type over everything observed. */
  result(): InferredColumn {
    const base = { missing: this.missing, decimalComma: false, dateOrder: null, dictionary: null };
    if (this.present === 0) return { ...base, type: 'number' };
    if (this.k.integer) return { ...base, type: 'integer' };
    if (this.k.number) return { ...base, type: 'number' };
    if (this.k.decimalComma) return { ...base, type: 'number', decimalComma: true };
    if (this.k.iso) return { ...base, type: 'date', dateOrder: 'iso' };
    // Ambiguous day/month: a value above 12 in the first place settles it; otherwise month first.
    if (this.k.mdy) return { ...base, type: 'date', dateOrder: 'mdy' };
    if (this.k.dmy) return { ...base, type: 'date', dateOrder: 'dmy' };
    const d = this.distinct;
    if (d !== null && d.size < this.present && d.size <= Math.max(2, this.present / 2)) {
      return { ...base, type: 'categorical', dictionary: [...d.keys()].sort(naturalOrder) };
    }
    return { ...base, type: 'text' };
  }
}

/** Whether a raw cell reads as a number (used to tell a header row from data). */
export function isNumericCell(raw: string): boolean {
  const k = classify(raw.trim());
  return k.number || k.decimalComma;
}

const collator = new Intl.Collator('en', { numeric: true });
/** "a2" before "a10"; the same order in every browser and in Node. */
function naturalOrder(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
