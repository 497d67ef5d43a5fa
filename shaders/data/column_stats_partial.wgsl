// column_stats_partial.wgsl — pass 1 of per-column statistics (prepend common/welford.wgsl).
// Bindings: 0 values   array<f32>  column-major, cols x rows (this chunk)
//           1 validity array<u32>  bitmask, cols x wordsPerCol; bit r%32 of word r/32 = row r is present
//           2 shifts   array<f32>  per column; values are reduced as (x - shift) for precision
//           3 partials array<Stat> cols x groupsPerCol (output)
//           4 params   uniform     rows, cols, wordsPerCol, groupsPerCol
// Dispatch: (groupsPerCol, cols, 1); each workgroup of WG threads grid-strides over one column's rows,
// then tree-reduces its WG running stats with Chan's merge. WG must be a power of two.
// Missing values are skipped by the mask only: no NaN ever reaches this shader.

override WG: u32 = 256u;

struct Params {
  rows: u32,
  cols: u32,
  wordsPerCol: u32,
  groupsPerCol: u32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> validity: array<u32>;
@group(0) @binding(2) var<storage, read> shifts: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<Stat>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> shared_stats: array<Stat, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let col = wid.y;
  let group = wid.x;
  let shift = shifts[col];
  let base = col * params.rows;
  let maskBase = col * params.wordsPerCol;
  let stride = params.groupsPerCol * WG;
  var s = stat_empty();
  for (var r = group * WG + lid.x; r < params.rows; r += stride) {
    let word = validity[maskBase + r / 32u];
    if (((word >> (r % 32u)) & 1u) == 1u) {
      s = stat_push(s, values[base + r], shift);
    }
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
    partials[col * params.groupsPerCol + group] = shared_stats[0];
  }
}
