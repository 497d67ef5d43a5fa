// channel_moments.wgsl — per-channel Welford partials of a resident HWC block (prepend common/welford.wgsl).
// Bindings: 0 values   array<f32>  pixels x C (the transform kernel's output for this block)
//           1 partials array<Stat> C x groups (output); merged in f64 on the CPU across groups and blocks
//           2 params   uniform     pixels, C, groups
// Dispatch: (groups, C, 1); each workgroup of WG threads grid-strides over one channel's pixels, then
// tree-reduces its WG running stats with Chan's merge. WG must be a power of two. Shift is 0: the inputs
// are already scaled and normalized, so |mean| is not large next to the spread.

override WG: u32 = 256u;

struct Params {
  pixels: u32,
  C: u32,
  groups: u32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read_write> partials: array<Stat>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> shared_stats: array<Stat, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let c = wid.y;
  let stride = params.groups * WG;
  var s = stat_empty();
  for (var p = wid.x * WG + lid.x; p < params.pixels; p += stride) {
    s = stat_push(s, values[p * params.C + c], 0.0);
  }
  shared_stats[lid.x] = s;
  workgroupBarrier();
  for (var offset = WG / 2u; offset > 0u; offset = offset / 2u) {
    if (lid.x < offset) {
      shared_stats[lid.x] = stat_merge(shared_stats[lid.x], shared_stats[lid.x + offset]);
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    partials[c * params.groups + wid.x] = shared_stats[0];
  }
}
