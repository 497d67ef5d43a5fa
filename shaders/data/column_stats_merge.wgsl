// column_stats_merge.wgsl — pass 2 of per-column statistics (prepend common/welford.wgsl).
// Bindings: 0 partials array<Stat> cols x groupsPerCol (from pass 1)
//           1 result   array<Stat> cols (output)
//           2 params   uniform     rows, cols, wordsPerCol, groupsPerCol (same block as pass 1)
// Dispatch: (cols, 1, 1); one workgroup of WG threads merges one column's partials with Chan's merge.

override WG: u32 = 256u;

struct Params {
  rows: u32,
  cols: u32,
  wordsPerCol: u32,
  groupsPerCol: u32,
}

@group(0) @binding(0) var<storage, read> partials: array<Stat>;
@group(0) @binding(1) var<storage, read_write> result: array<Stat>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> shared_stats: array<Stat, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let col = wid.x;
  var s = stat_empty();
  for (var g = lid.x; g < params.groupsPerCol; g += WG) {
    s = stat_merge(s, partials[col * params.groupsPerCol + g]);
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
    result[col] = shared_stats[0];
  }
}
