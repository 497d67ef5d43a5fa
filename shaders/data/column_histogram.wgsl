// column_histogram.wgsl — per-column histograms of equal-width bins.
// Bindings: 0 values   array<f32>        column-major, cols x rows (this chunk)
//           1 validity array<u32>        bitmask, cols x wordsPerCol (bit r%32 of word r/32 = row r present)
//           2 ranges   array<vec2<f32>>  per column of the chunk: (lo, scale) with scale = BINS / (hi - lo),
//                                        computed on the CPU so the GPU only subtracts and multiplies
//                                        (both correctly rounded in WGSL) and bins match the CPU reference
//           3 counts   array<atomic<u32>> (colOffset + col) * BINS + bin, accumulated across chunks
//           4 params   uniform           rows, cols, wordsPerCol, groupsPerCol, colOffset
// Dispatch: (groupsPerCol, cols, 1). Each workgroup counts into workgroup memory, then adds its
// non-zero bins to the global counts. Values at or above hi go to the last bin.

override WG: u32 = 256u;
override BINS: u32 = 32u;

struct Params {
  rows: u32,
  cols: u32,
  wordsPerCol: u32,
  groupsPerCol: u32,
  colOffset: u32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> validity: array<u32>;
@group(0) @binding(2) var<storage, read> ranges: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> local_counts: array<atomic<u32>, BINS>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let col = wid.y;
  for (var b = lid.x; b < BINS; b += WG) {
    atomicStore(&local_counts[b], 0u);
  }
  workgroupBarrier();
  let range = ranges[col];
  let base = col * params.rows;
  let maskBase = col * params.wordsPerCol;
  let stride = params.groupsPerCol * WG;
  for (var r = wid.x * WG + lid.x; r < params.rows; r += stride) {
    let word = validity[maskBase + r / 32u];
    if (((word >> (r % 32u)) & 1u) == 1u) {
      let t = (values[base + r] - range.x) * range.y;
      let bin = min(u32(max(t, 0.0)), BINS - 1u);
      atomicAdd(&local_counts[bin], 1u);
    }
  }
  workgroupBarrier();
  let out = (params.colOffset + col) * BINS;
  for (var b = lid.x; b < BINS; b += WG) {
    let c = atomicLoad(&local_counts[b]);
    if (c > 0u) {
      atomicAdd(&counts[out + b], c);
    }
  }
}
