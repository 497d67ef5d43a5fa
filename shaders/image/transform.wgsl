// transform.wgsl — fused bilinear resize + scale + per-channel normalize of a block of HWC images.
// Bindings: 0 src    array<u32>        the block's input: 4 packed u8 per word (little-endian) when U8,
//                                      else the bits of one f32 per word
//           1 taps   array<Tap>        outH row taps, then outW column taps (CPU-computed, see image/taps.ts):
//                                      source indices i0, i1 and the weight w of i1, half-pixel centres
//           2 norm   array<vec2<f32>>  per channel: (mean, invStd)
//           3 dst    array<f32>        rows x outH x outW x C (output)
//           4 params uniform           total outputs, inH, inW, C, outH, outW, groupsX, scale
// Dispatch: (groupsX, groupsY, 1) covering `total` threads, one per output value:
//   dst = (lerp_y(lerp_x(.), lerp_x(.)) * scale - mean[c]) * invStd[c], lerp(a, b, w) = a + (b - a) * w.

override WG: u32 = 256u;
override U8: bool = true;

struct Tap {
  i0: u32,
  i1: u32,
  w: f32,
}

struct Params {
  total: u32,
  inH: u32,
  inW: u32,
  C: u32,
  outH: u32,
  outW: u32,
  groupsX: u32,
  scale: f32,
}

@group(0) @binding(0) var<storage, read> src: array<u32>;
@group(0) @binding(1) var<storage, read> taps: array<Tap>;
@group(0) @binding(2) var<storage, read> norm: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

fn load(i: u32) -> f32 {
  if (U8) {
    return f32((src[i / 4u] >> ((i % 4u) * 8u)) & 0xffu);
  }
  return bitcast<f32>(src[i]);
}

fn lerp(a: f32, b: f32, w: f32) -> f32 {
  return a + (b - a) * w;
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let idx = (wid.y * params.groupsX + wid.x) * WG + lid.x;
  if (idx >= params.total) {
    return;
  }
  let C = params.C;
  let c = idx % C;
  let pix = idx / C;
  let x = pix % params.outW;
  let rowAll = pix / params.outW;
  let y = rowAll % params.outH;
  let img = rowAll / params.outH;
  let ty = taps[y];
  let tx = taps[params.outH + x];
  let rowStride = params.inW * C;
  let base = img * params.inH * rowStride + c;
  let r0 = base + ty.i0 * rowStride;
  let r1 = base + ty.i1 * rowStride;
  let top = lerp(load(r0 + tx.i0 * C), load(r0 + tx.i1 * C), tx.w);
  let bottom = lerp(load(r1 + tx.i0 * C), load(r1 + tx.i1 * C), tx.w);
  let v = lerp(top, bottom, ty.w);
  let m = norm[c];
  dst[idx] = (v * params.scale - m.x) * m.y;
}
