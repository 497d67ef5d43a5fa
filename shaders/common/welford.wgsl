// welford.wgsl — shared snippet (no entry point): running statistics and Chan's parallel merge.
// Prepended to kernels that reduce statistics. Stat is 20 bytes; arrays of it have stride 20.
// mean is of (x - shift) for a per-column shift; mn/mx are of x.
// Invariant: n == 0 means "no valid values"; mean/m2 are then 0 and mn/mx are +/-FLT_MAX.

struct Stat {
  n: u32,
  mean: f32,
  m2: f32,
  mn: f32,
  mx: f32,
}

const FLT_MAX: f32 = 0x1.fffffep+127f;

fn stat_empty() -> Stat {
  return Stat(0u, 0.0, 0.0, FLT_MAX, -FLT_MAX);
}

// Welford's update with one value x; mean and m2 track (x - shift), extremes track x itself.
fn stat_push(s: Stat, x: f32, shift: f32) -> Stat {
  let n = s.n + 1u;
  let y = x - shift;
  let d = y - s.mean;
  let mean = s.mean + d / f32(n);
  return Stat(n, mean, s.m2 + d * (y - mean), min(s.mn, x), max(s.mx, x));
}

// Chan et al.'s pairwise merge: stable, unlike E[x^2] - E[x]^2.
fn stat_merge(a: Stat, b: Stat) -> Stat {
  if (a.n == 0u) { return b; }
  if (b.n == 0u) { return a; }
  let n = a.n + b.n;
  let na = f32(a.n);
  let nb = f32(b.n);
  let nf = f32(n);
  let d = b.mean - a.mean;
  let mean = a.mean + d * (nb / nf);
  let m2 = a.m2 + b.m2 + d * d * (na * nb / nf);
  return Stat(n, mean, m2, min(a.mn, b.mn), max(a.mx, b.mx));
}
