// drift_histogram.wgsl — counts of several value segments in equal-width bins over each segment's own range
// (the reference's training [lo, hi]): one segment per feature and sample (compared rows, training rows).
// Bindings: 0 values   array<f32>          all segments back to back (finite values only)
//           1 segs     array<vec2<u32>>    per segment: (offset into values, length)
//           2 ranges   array<vec2<f32>>    per segment: (lo, scale) with scale = BINS / (hi - lo) as f32,
//                                          computed on the CPU so bins match the CPU reference bit for bit
//           3 counts   array<atomic<u32>>  segment * BINS + bin
//           4 params   uniform             groups (workgroups per segment)
// Dispatch: (groups, segments, 1). Each workgroup counts a strided share of one segment in workgroup memory,
// then adds its non-zero bins to the global counts. Values below lo go to bin 0, at or above hi to the last.

override WG: u32 = 256u;
override BINS: u32 = 20u;

struct Params {
  groups: u32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> segs: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read> ranges: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> local_counts: array<atomic<u32>, BINS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let seg = wid.y;
  for (var b = lid.x; b < BINS; b += WG) {
    atomicStore(&local_counts[b], 0u);
  }
  workgroupBarrier();
  let s = segs[seg];
  let range = ranges[seg];
  let stride = params.groups * WG;
  for (var i = wid.x * WG + lid.x; i < s.y; i += stride) {
    let t = (values[s.x + i] - range.x) * range.y;
    let bin = min(u32(max(t, 0.0)), BINS - 1u);
    atomicAdd(&local_counts[bin], 1u);
  }
  workgroupBarrier();
  for (var b = lid.x; b < BINS; b += WG) {
    let c = atomicLoad(&local_counts[b]);
    if (c > 0u) {
      atomicAdd(&counts[seg * BINS + b], c);
    }
  }
}
