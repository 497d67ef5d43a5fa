// code_counts.wgsl — per-category counts of code columns, with missing codes replaced by `fill`.
// Bindings: 0 codes   array<i32>         table block codes, codeCols x tableRows (-1 = missing)
//           1 queries array<CountQuery>  (input column, fill, start in counts, cardinality)
//           2 counts  array<atomic<u32>> concatenated per query, accumulated across row blocks
//           3 params  uniform
// Dispatch: (groups, queries, 1). Codes below LOCAL are counted in workgroup memory first; larger codes go
// straight to the global counts. Still-missing codes are not counted.

override WG: u32 = 256u;
override LOCAL: u32 = 256u;

struct Params {
  tableRows: u32,
  rowOffset: u32,
  rows: u32,
  groups: u32,
}

struct CountQuery {
  input: u32,
  fill: i32,
  start: u32,
  cardinality: u32,
}

@group(0) @binding(0) var<storage, read> codes: array<i32>;
@group(0) @binding(1) var<storage, read> queries: array<CountQuery>;
@group(0) @binding(2) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> local_counts: array<atomic<u32>, LOCAL>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let q = queries[wid.y];
  let bins = min(q.cardinality, LOCAL);
  for (var b = lid.x; b < bins; b += WG) {
    atomicStore(&local_counts[b], 0u);
  }
  workgroupBarrier();
  let base = q.input * params.tableRows + params.rowOffset;
  let stride = params.groups * WG;
  for (var r = wid.x * WG + lid.x; r < params.rows; r += stride) {
    var c = codes[base + r];
    if (c < 0) {
      c = q.fill;
    }
    if (c >= 0) {
      let u = u32(c);
      if (u < bins) {
        atomicAdd(&local_counts[u], 1u);
      } else if (u < q.cardinality) {
        atomicAdd(&counts[q.start + u], 1u);
      }
    }
  }
  workgroupBarrier();
  for (var b = lid.x; b < bins; b += WG) {
    let c = atomicLoad(&local_counts[b]);
    if (c > 0u) {
      atomicAdd(&counts[q.start + b], c);
    }
  }
}
