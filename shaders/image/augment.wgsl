// augment.wgsl — training-time flip + padded crop of a block of f32 HWC images.
// Bindings: 0 src    array<f32>  rows x h x w x C
//           1 draws  array<u32>  per image: flip (0/1), dy, dx; offsets in [0, 2 * pad]
//           2 dst    array<f32>  rows x h x w x C (output)
//           3 params uniform     total values, h, w, C, pad, groupsX
// Dispatch: (groupsX, groupsY, 1), one thread per output value:
//   dst(y, x) = src(y + dy - pad, x' + dx - pad) with x' = w - 1 - x when flipped, else x; 0 outside.

override WG: u32 = 256u;

struct Params {
  total: u32,
  h: u32,
  w: u32,
  C: u32,
  pad: u32,
  groupsX: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> draws: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let idx = (wid.y * params.groupsX + wid.x) * WG + lid.x;
  if (idx >= params.total) {
    return;
  }
  let C = params.C;
  let c = idx % C;
  let pix = idx / C;
  let x = pix % params.w;
  let rowAll = pix / params.w;
  let y = rowAll % params.h;
  let img = rowAll / params.h;
  let flip = draws[img * 3u];
  let xs = select(x, params.w - 1u - x, flip == 1u);
  // Unsigned: y + dy - pad wraps below 0 to a huge value, which the bounds test rejects.
  let sy = y + draws[img * 3u + 1u] - params.pad;
  let sx = xs + draws[img * 3u + 2u] - params.pad;
  var v = 0.0;
  if (sy < params.h && sx < params.w) {
    v = src[((img * params.h + sy) * params.w + sx) * C + c];
  }
  dst[idx] = v;
}
