// ks_cdf.wgsl — two-sample Kolmogorov–Smirnov statistic per feature from two ascending-sorted samples:
// D = max over every point z of both samples of |A(z)/n − B(z)/m|, with A(z), B(z) the counts ≤ z
// (upper bounds by binary search), which is where the empirical CDFs step, ties included.
// Bindings: 0 a      array<f32>          training samples, each feature's sorted ascending, back to back
//           1 b      array<f32>          compared samples, likewise
//           2 segs   array<vec4<u32>>    per feature: (a offset, n, b offset, m), n and m > 0
//           3 dmax   array<atomic<u32>>  per feature: bits of the largest |difference| (an f32 ≥ 0, whose
//                                        bit patterns order like the values, so atomicMax on u32 works)
//           4 params uniform             groups (workgroups per feature)
// Dispatch: (groups, features, 1). Each invocation takes points k, k + stride…; a workgroup reduces in
// workgroup memory, then one atomicMax per workgroup.

override WG: u32 = 256u;

struct Params {
  groups: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> segs: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> dmax: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> local_max: atomic<u32>;

// Number of a[off .. off + len) that are <= z.
fn upper_a(off: u32, len: u32, z: f32) -> u32 {
  var lo = 0u;
  var hi = len;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (a[off + mid] <= z) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}

fn upper_b(off: u32, len: u32, z: f32) -> u32 {
  var lo = 0u;
  var hi = len;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    if (b[off + mid] <= z) { lo = mid + 1u; } else { hi = mid; }
  }
  return lo;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let f = wid.y;
  if (lid.x == 0u) {
    atomicStore(&local_max, 0u);
  }
  workgroupBarrier();
  let s = segs[f];
  let total = s.y + s.w;
  let stride = params.groups * WG;
  var best = 0.0;
  for (var k = wid.x * WG + lid.x; k < total; k += stride) {
    var z: f32;
    if (k < s.y) { z = a[s.x + k]; } else { z = b[s.z + k - s.y]; }
    let fa = f32(upper_a(s.x, s.y, z)) / f32(s.y);
    let fb = f32(upper_b(s.z, s.w, z)) / f32(s.w);
    best = max(best, abs(fa - fb));
  }
  atomicMax(&local_max, bitcast<u32>(best));
  workgroupBarrier();
  if (lid.x == 0u) {
    atomicMax(&dmax[f], atomicLoad(&local_max));
  }
}
