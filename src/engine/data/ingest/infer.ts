import type { ColumnType } from '../dataset';
import { classify, MISSING } from './cells';

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
  private integer = true;
  private number = true;
  private decimalComma: boolean;
  private iso = true;
  private dmy = true;
  private mdy = true;
  private distinct: Map<string, number> | null = new Map();

  constructor(allowDecimalComma: boolean) {
    this.decimalComma = allowDecimalComma;
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
    if (!(this.integer || this.number || this.decimalComma || this.iso || this.dmy || this.mdy)) return;
    const k = classify(cell);
    this.integer &&= k.integer;
    this.number &&= k.number;
    this.decimalComma &&= k.decimalComma || k.integer;
    this.iso &&= k.iso;
    this.dmy &&= k.dmy;
    this.mdy &&= k.mdy;
  }

  /** The column's type over everything observed. */
  result(): InferredColumn {
    const base = { missing: this.missing, decimalComma: false, dateOrder: null, dictionary: null };
    if (this.present === 0) return { ...base, type: 'number' };
    if (this.integer) return { ...base, type: 'integer' };
    if (this.number) return { ...base, type: 'number' };
    if (this.decimalComma) return { ...base, type: 'number', decimalComma: true };
    if (this.iso) return { ...base, type: 'date', dateOrder: 'iso' };
    // Ambiguous day/month: a value above 12 in the first place settles it; otherwise month first.
    if (this.mdy) return { ...base, type: 'date', dateOrder: 'mdy' };
    if (this.dmy) return { ...base, type: 'date', dateOrder: 'dmy' };
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
