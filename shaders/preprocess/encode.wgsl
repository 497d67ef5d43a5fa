// encode.wgsl — categorical i32 codes to one-hot / ordinal f32 columns of the intermediate table.
// Bindings: 0 codes    array<i32>       table block codes, codeCols x tableRows (-1 = missing)
//           1 columns  array<EncColumn> one per encoded column (a one-hot spec of width w has w of them)
//           2 maps     array<i32>       every spec's map, concatenated (map[code] = slot / ordinal value / -1)
//           3 encoded  array<u32>       encCols x rows f32 bits, then encCols x words validity (output)
//           4 params   uniform
// Dispatch: (ceil(words / WG), encCols, 1): one thread per (32-row word, encoded column) writes its 32 values and
// its validity word. Missing codes are replaced by `fill` first (-1: none); codes outside the map are unseen.
// onehot: 1 where map[code] == slot, else 0, always present. ordinal: map[code] as f32, missing when map[code] < 0.

override WG: u32 = 64u;

const MODE_ONEHOT: u32 = 0u;

// The same Params as elementwise.wgsl (one parameter block per row block serves both passes).
struct Params {
  tableRows: u32,
  tableWords: u32,
  rowOffset: u32,
  rows: u32,
  words: u32,
  outCols: u32,
  codeOuts: u32,
  encCols: u32,
}

struct EncColumn {
  input: u32,
  fill: i32,
  mode: u32,
  slot: i32,
  mapStart: u32,
  mapLength: u32,
}

@group(0) @binding(0) var<storage, read> codes: array<i32>;
@group(0) @binding(1) var<storage, read> columns: array<EncColumn>;
@group(0) @binding(2) var<storage, read> maps: array<i32>;
@group(0) @binding(3) var<storage, read_write> encoded: array<u32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let w = gid.x;
  let k = gid.y;
  if (w >= params.words) {
    return;
  }
  let col = columns[k];
  let n = min(32u, params.rows - w * 32u);
  let src = col.input * params.tableRows + params.rowOffset + w * 32u;
  let dst = k * params.rows + w * 32u;
  var word = 0u;
  for (var i = 0u; i < n; i++) {
    var c = codes[src + i];
    if (c < 0 && col.fill >= 0) {
      c = col.fill;
    }
    var m = -1;
    if (c >= 0 && u32(c) < col.mapLength) {
      m = maps[col.mapStart + u32(c)];
    }
    var x = 0.0;
    if (col.mode == MODE_ONEHOT) {
      x = select(0.0, 1.0, m == col.slot);
      word = word | (1u << i);
    } else if (m >= 0) {
      x = f32(m);
      word = word | (1u << i);
    }
    encoded[dst + i] = bitcast<u32>(x);
  }
  encoded[params.encCols * params.rows + k * params.words + w] = word;
}
