import { HISTOGRAM_BINS } from '../data/statsService';
import { binOf, binParams, type ColumnHistogram } from '../data/histogram.ref';
import type { ColumnSummary, SplitStats } from './fitted';
import { countPresent, present, type LoadedColumn } from './load';
import { isNumericType } from './validate';

interface Moments {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** Welford over rows [from, to) of a numeric column (f64). */
function momentsOf(col: LoadedColumn, from: number, to: number): Moments {
  const data = col.data as Float64Array;
  const m: Moments = { n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
  for (let r = from; r < to; r++) {
    if (!present(col.validity, r)) continue;
    const x = data[r]!;
    m.n++;
    const d = x - m.mean;
    m.mean += d / m.n;
    m.m2 += d * (x - m.mean);
    if (x < m.min) m.min = x;
    if (x > m.max) m.max = x;
  }
  return m;
}

function histogramOf(col: LoadedColumn, rows: number, lo: number, hi: number): ColumnHistogram {
  const [flo, scale] = binParams(lo, hi, HISTOGRAM_BINS);
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const data = col.data as Float64Array;
  for (let r = 0; r < rows; r++)
    if (present(col.validity, r)) counts[binOf(data[r]!, flo, scale, HISTOGRAM_BINS)]!++;
  return { name: col.meta.name, lo, hi, counts };
}

/** Summaries for the before/after preview: moments and a histogram (numeric), top categories (categorical). */
export function summarize(columns: readonly LoadedColumn[], rows: number): ColumnSummary[] {
  return columns.map((col) => {
    const base = {
      name: col.meta.name,
      type: col.meta.type,
      missing: rows - countPresent(col.validity, rows),
    };
    if (isNumericType(col.meta.type)) {
      const m = momentsOf(col, 0, rows);
      const some = m.n > 0;
      return {
        ...base,
        mean: some ? m.mean : null,
        std: some ? Math.sqrt(m.m2 / m.n) : null,
        min: some ? m.min : null,
        max: some ? m.max : null,
        histogram: some ? histogramOf(col, rows, m.min, m.max) : null,
        topCategories: null,
      };
    }
    const empty = { mean: null, std: null, min: null, max: null, histogram: null };
    if (col.meta.type !== 'categorical') return { ...base, ...empty, topCategories: null };
    const dict = col.meta.dictionary ?? [];
    const counts = new Array<number>(dict.length).fill(0);
    const codes = col.data as Int32Array;
    for (let r = 0; r < rows; r++)
      if (present(col.validity, r)) counts[codes[r]!] = (counts[codes[r]!] ?? 0) + 1;
    const top = dict.map((value, i) => ({ value, count: counts[i] ?? 0 })).sort((a, b) => b.count - a.count);
    return { ...base, ...empty, topCategories: top.slice(0, 8) };
  });
}

/** Mean, population std and missing count of each numeric output column within each split. */
export function splitStatsOf(
  columns: readonly LoadedColumn[],
  sizes: { train: number; validation: number; test: number },
): SplitStats[] {
  const parts = [
    ['train', 0, sizes.train],
    ['validation', sizes.train, sizes.train + sizes.validation],
    ['test', sizes.train + sizes.validation, sizes.train + sizes.validation + sizes.test],
  ] as const;
  return columns
    .filter((c) => isNumericType(c.meta.type))
    .flatMap((col) =>
      parts
        .filter(([, from, to]) => to > from)
        .map(([split, from, to]) => {
          const m = momentsOf(col, from, to);
          return {
            column: col.meta.name,
            split,
            mean: m.n > 0 ? m.mean : null,
            std: m.n > 0 ? Math.sqrt(m.m2 / m.n) : null,
            missing: to - from - m.n,
          };
        }),
    );
}
