/** Cell-level recognisers shared by type inference and conversion. */

/** Markers read as a missing value. */
export const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', '?', 'null', 'NULL', 'None', '.']);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/;
/** "007", "02134": numeric-looking text (ZIP codes, IDs) that must stay text. */
const LEADING_ZERO = /^[+-]?0\d/;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const SLASH_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;

/** What a non-missing cell could be. */
export interface CellKinds {
  integer: boolean;
  number: boolean;
  decimalComma: boolean;
  iso: boolean;
  dmy: boolean;
  mdy: boolean;
}

const ALL: CellKinds = { integer: true, number: true, decimalComma: true, iso: true, dmy: true, mdy: true };

/**
 * Classifies one trimmed, non-missing cell. `still` names the kinds worth checking (a column's types only
 * narrow, so ruled-out kinds are skipped: the scan pass stays close to parse speed).
 */
export function classify(cell: string, still: CellKinds = ALL): CellKinds {
  const numericText = (still.number || still.decimalComma) && !LEADING_ZERO.test(cell);
  const number = still.number && numericText && NUMBER.test(cell) && roundTrips(cell);
  const integer = number && still.integer && INTEGER.test(cell) && Number.isSafeInteger(Number(cell));
  const slash = still.dmy || still.mdy ? SLASH_DATE.exec(cell) : null;
  const a = slash ? Number(slash[1]) : 0;
  const b = slash ? Number(slash[2]) : 0;
  return {
    integer,
    number,
    decimalComma: still.decimalComma && numericText && DECIMAL_COMMA.test(cell),
    iso: still.iso && !number && ISO_DATE.test(cell) && !Number.isNaN(isoToMs(cell)),
    dmy: slash !== null && a >= 1 && a <= 31 && b >= 1 && b <= 12,
    mdy: slash !== null && a >= 1 && a <= 12 && b >= 1 && b <= 31,
  };
}

/** A decimal as sign, digits without leading/trailing zeros, and the power of ten of its last digit. */
function canonical(s: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m === null) return s;
  const frac = m[3] ?? '';
  let digits = `${m[2] ?? ''}${frac}`.replace(/^0+/, '');
  if (digits === '') return '0';
  const zeros = /0+$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - zeros);
  return `${m[1] === '-' ? '-' : ''}${digits}e${Number(m[4] ?? 0) - frac.length + zeros}`;
}

/** Whether a float64 reads back as the same decimal (so storage never silently changes a value). */
function roundTrips(cell: string): boolean {
  // Up to 15 significant digits without an exponent always survive float64 (DBL_DIG = 15).
  if (cell.length <= 17 && !/[eE]/.test(cell) && cell.replace(/\D/g, '').length <= 15) return true;
  const x = Number(cell);
  return Number.isFinite(x) && canonical(cell) === canonical(String(x));
}

/** Parses a number written with a dot, or with a decimal comma when allowed. */
export function parseNumber(cell: string, decimalComma: boolean): number {
  return Number(decimalComma ? cell.replace(',', '.') : cell);
}

/** Milliseconds since the epoch for an ISO date/time (dates without a zone are read as UTC). */
export function isoToMs(cell: string): number {
  const m = ISO_DATE.exec(cell);
  if (m === null) return NaN;
  const [, y, mo, d, h, mi, s, ms, zone] = m;
  const base = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  );
  const frac = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
  const check = new Date(base);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return NaN;
  return base + frac - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Milliseconds since the epoch for DD/MM/YYYY or MM/DD/YYYY (UTC midnight). */
export function slashToMs(cell: string, order: 'dmy' | 'mdy'): number {
  const m = SLASH_DATE.exec(cell);
  if (m === null) return NaN;
  const [first, second, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [day, month] = order === 'dmy' ? [first, second] : [second, first];
  const t = Date.UTC(year, month - 1, day);
  return new Date(t).getUTCDate() === day ? t : NaN;
}
