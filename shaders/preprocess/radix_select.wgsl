// radix_select.wgsl — one round of radix select: 256-bin histograms of one 8-bit digit of order-preserving keys.
// Bindings: 0 out     array<u32>            program outputs of the block: cols x rows f32 bits, validity at
//                                           validityStart (cols x words), as elementwise.wgsl writes them
//           1 queries array<Query>          (column, prefix, mask, shift): count keys with key & mask == prefix
//           2 hist    array<atomic<u32>>    queries x 256, accumulated across row blocks
//           3 params  uniform
// Dispatch: (groups, queries, 1). key(f32 bits) = ~bits for negatives, bits | 0x80000000 otherwise, so unsigned
// key order is float order (-0 before +0). Four rounds of 8-bit digits, the CPU picking each digit, give exact
// order statistics. Each workgroup counts in workgroup memory, then adds its non-zero bins to the global counts.

override WG: u32 = 256u;

struct Params {
  rows: u32,
  words: u32,
  validityStart: u32,
  groups: u32,
}

struct Query {
  column: u32,
  prefix: u32,
  mask: u32,
  shift: u32,
}

@group(0) @binding(0) var<storage, read> out: array<u32>;
@group(0) @binding(1) var<storage, read> queries: array<Query>;
@group(0) @binding(2) var<storage, read_write> hist: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> local_hist: array<atomic<u32>, 256>;

fn order_key(bits: u32) -> u32 {
  if ((bits >> 31u) == 1u) {
    return ~bits;
  }
  return bits | 0x80000000u;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let q = queries[wid.y];
  for (var b = lid.x; b < 256u; b += WG) {
    atomicStore(&local_hist[b], 0u);
  }
  workgroupBarrier();
  let base = q.column * params.rows;
  let maskBase = params.validityStart + q.column * params.words;
  let stride = params.groups * WG;
  for (var r = wid.x * WG + lid.x; r < params.rows; r += stride) {
    let word = out[maskBase + r / 32u];
    if (((word >> (r % 32u)) & 1u) == 1u) {
      let key = order_key(out[base + r]);
      if ((key & q.mask) == q.prefix) {
        atomicAdd(&local_hist[(key >> q.shift) & 255u], 1u);
      }
    }
  }
  workgroupBarrier();
  for (var b = lid.x; b < 256u; b += WG) {
    let c = atomicLoad(&local_hist[b]);
    if (c > 0u) {
      atomicAdd(&hist[wid.y * 256u + b], c);
    }
  }
}
