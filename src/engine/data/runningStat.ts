/** Running statistics of one column, in f64: Welford's state plus extremes. */
export interface RunningStat {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** Per-column summary shown to users and used by later stages (variance is the sample variance). */
export interface ColumnStats {
  readonly name: string;
  readonly count: number;
  readonly missing: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Sample variance (n − 1 in the denominator); null below two values. */
  readonly variance: number | null;
}

/** An empty running stat. */
export function emptyStat(): RunningStat {
  return { n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
}

/** Welford's update with one value, in place. */
export function pushStat(s: RunningStat, x: number): void {
  s.n += 1;
  const d = x - s.mean;
  s.mean += d / s.n;
  s.m2 += d * (x - s.mean);
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
}

/** Chan et al.'s pairwise merge of two running stats. */
export function mergeStats(a: RunningStat, b: RunningStat): RunningStat {
  if (a.n === 0) return { ...b };
  if (b.n === 0) return { ...a };
  const n = a.n + b.n;
  const d = b.mean - a.mean;
  return {
    n,
    mean: a.mean + (d * b.n) / n,
    m2: a.m2 + b.m2 + (d * d * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
  };
}

/** Turns a running stat (mean of x − shift, extremes of x) into the user-facing summary. */
export function finalizeStat(name: string, rows: number, s: RunningStat, shift = 0): ColumnStats {
  const has = s.n > 0;
  return {
    name,
    count: s.n,
    missing: rows - s.n,
    min: has ? s.min : null,
    max: has ? s.max : null,
    mean: has ? s.mean + shift : null,
    variance: s.n > 1 ? s.m2 / (s.n - 1) : null,
  };
}
