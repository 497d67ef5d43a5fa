import { assertTableShape, isValid, type NumericTable } from './table';

/** Bins of one column: `counts[b]` values fell in [lo + b·w, lo + (b+1)·w), the last bin closed at hi. */
export interface ColumnHistogram {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
}

/** (lo, scale) per column as f32, exactly as the kernel receives them. */
export function binParams(lo: number, hi: number, bins: number): [number, number] {
  const flo = Math.fround(lo);
  const width = Math.fround(Math.fround(hi) - flo);
  return [flo, width > 0 ? Math.fround(bins / width) : 0];
}

/** The bin of a value with f32 arithmetic, matching the WGSL kernel bit for bit. */
export function binOf(x: number, lo: number, scale: number, bins: number): number {
  const t = Math.fround(Math.fround(Math.fround(x) - lo) * scale);
  return Math.min(Math.trunc(Math.max(t, 0)), bins - 1);
}

/** CPU reference for column histograms over [lo, hi] per column (e.g. the min and max from statistics). */
export function columnHistogramsRef(
  t: NumericTable,
  ranges: readonly (readonly [number, number])[],
  bins: number,
): ColumnHistogram[] {
  assertTableShape(t);
  return t.names.map((name, c) => {
    const [lo, hi] = ranges[c] ?? [0, 0];
    const [flo, scale] = binParams(lo, hi, bins);
    const counts = new Array<number>(bins).fill(0);
    for (let r = 0; r < t.rows; r++) {
      if (isValid(t, c, r)) counts[binOf(t.values[c * t.rows + r] ?? 0, flo, scale, bins)]!++;
    }
    return { name, lo, hi, counts };
  });
}
