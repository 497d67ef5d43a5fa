// moments.wgsl — per-column partial moments (n, shift, mean, M2, min, max) of program outputs in one row block.
// Bindings: 0 out      array<u32>     program outputs of the block: cols x rows f32 bits, validity at validityStart
//                                     (cols x words), as elementwise.wgsl writes them
//           1 partials array<Partial> (slotStart + col * groups + group), read back and merged on the CPU (Chan)
//           2 params   uniform
// Dispatch: (groups, cols, 1); each workgroup grid-strides over one column's rows with Welford's update, then
// tree-reduces its WG partials. Each thread shifts by its own first value (mean and M2 are of x - shift), and
// merges account for the shift difference, so f32 stays precise when |mean| >> std. WG must be a power of two.

override WG: u32 = 128u;

struct Params {
  rows: u32,
  words: u32,
  validityStart: u32,
  groups: u32,
  slotStart: u32,
}

struct Partial {
  n: u32,
  shift: f32,
  mean: f32,
  m2: f32,
  mn: f32,
  mx: f32,
}

const FLT_MAX: f32 = 0x1.fffffep+127f;

@group(0) @binding(0) var<storage, read> out: array<u32>;
@group(0) @binding(1) var<storage, read_write> partials: array<Partial>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> shared_partials: array<Partial, WG>;

fn push(s: Partial, x: f32) -> Partial {
  var shift = s.shift;
  if (s.n == 0u) {
    shift = x;
  }
  let n = s.n + 1u;
  let y = x - shift;
  let d = y - s.mean;
  let mean = s.mean + d / f32(n);
  return Partial(n, shift, mean, s.m2 + d * (y - mean), min(s.mn, x), max(s.mx, x));
}

// Chan et al.'s merge; b's mean is moved to a's shift first (shifts of one column are close, so exact).
fn merge(a: Partial, b: Partial) -> Partial {
  if (a.n == 0u) {
    return b;
  }
  if (b.n == 0u) {
    return a;
  }
  let n = a.n + b.n;
  let na = f32(a.n);
  let nb = f32(b.n);
  let nf = f32(n);
  let d = (b.mean - a.mean) + (b.shift - a.shift);
  let mean = a.mean + d * (nb / nf);
  let m2 = a.m2 + b.m2 + d * d * (na * nb / nf);
  return Partial(n, a.shift, mean, m2, min(a.mn, b.mn), max(a.mx, b.mx));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let col = wid.y;
  let group = wid.x;
  let base = col * params.rows;
  let maskBase = params.validityStart + col * params.words;
  let stride = params.groups * WG;
  var s = Partial(0u, 0.0, 0.0, 0.0, FLT_MAX, -FLT_MAX);
  for (var r = group * WG + lid.x; r < params.rows; r += stride) {
    let word = out[maskBase + r / 32u];
    if (((word >> (r % 32u)) & 1u) == 1u) {
      s = push(s, bitcast<f32>(out[base + r]));
    }
  }
  shared_partials[lid.x] = s;
  workgroupBarrier();
  for (var offset = WG / 2u; offset > 0u; offset = offset / 2u) {
    if (lid.x < offset) {
      shared_partials[lid.x] = merge(shared_partials[lid.x], shared_partials[lid.x + offset]);
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    partials[params.slotStart + col * params.groups + group] = shared_partials[0];
  }
}
