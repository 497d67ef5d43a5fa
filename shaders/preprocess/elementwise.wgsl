// elementwise.wgsl — the fused element-wise pass: every output column runs its own operation list, one dispatch.
// Bindings: 0 values   array<f32>    table block numeric values, column-major, numericCols x tableRows
//           1 validity array<u32>    table block validity, numericCols x tableWords (bit r%32 of word r/32)
//           2 codes    array<i32>    table block codes, codeCols x tableRows (-1 = missing)
//           3 encoded  array<u32>    encode outputs of this block: encCols x rows f32 bits, then encCols x words
//                                    validity (written by encode.wgsl; unused when encCols = 0)
//           4 columns  array<Column> outCols numeric outputs, then codeOuts code passes
//           5 ops      array<Op>     (code, a, b) with the OP codes of program.ts
//           6 out      array<u32>    outCols x rows f32 bits | codeOuts x rows i32 bits | outCols x words validity
//           7 params   uniform
// Dispatch: (ceil(words / WG), outCols + codeOuts, 1): one thread per (32-row word, output column), so each thread
// writes a whole validity word without atomics. rowOffset is a multiple of 32 (blocks start on mask words).
// A non-finite result becomes missing (value 0, bit clear); missing values never become NaN. Non-finite values
// are detected on the bits, as WGSL may assume finite math.
// Specialisation (overrides, set per program by the runner; the defaults run any program): operation k < STEPS of
// every column runs apply() with mask OPSk (bit c: code c may occur at step k), so the compiler drops the cases no
// column uses there — SIMD emulations such as SwiftShader otherwise evaluate every case of a per-thread switch.
// Steps below FULL skip the per-column count test (every column has them). Operations from STEPS on run the
// generic loop, compiled only when TAIL (some column has more than STEPS).

override WG: u32 = 64u;

const OP_IMPUTE: u32 = 1u;
const OP_AFFINE: u32 = 2u;
const OP_CLIP: u32 = 3u;
const OP_LOG: u32 = 4u;
const OP_LOG1P: u32 = 5u;
const OP_SQRT: u32 = 6u;
const OP_POWER: u32 = 7u;
// Every operation code (bits 1..7).
const ALL_OPS: u32 = 0xfeu;
const MAX_STEPS: u32 = 12u;

override STEPS: u32 = 0u;
override FULL: u32 = 0u;
override TAIL: bool = true;
override OPS0: u32 = ALL_OPS;
override OPS1: u32 = ALL_OPS;
override OPS2: u32 = ALL_OPS;
override OPS3: u32 = ALL_OPS;
override OPS4: u32 = ALL_OPS;
override OPS5: u32 = ALL_OPS;
override OPS6: u32 = ALL_OPS;
override OPS7: u32 = ALL_OPS;
override OPS8: u32 = ALL_OPS;
override OPS9: u32 = ALL_OPS;
override OPS10: u32 = ALL_OPS;
override OPS11: u32 = ALL_OPS;

const KIND_TABLE: u32 = 0u;
const KIND_ENCODED: u32 = 1u;

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

// kind: KIND_TABLE (input = numeric column), KIND_ENCODED (input = encoded column), 2 = code pass
// (input = code column, first = fill as i32 bits). Ops of the column: ops[first .. first + count).
struct Column {
  kind: u32,
  input: u32,
  first: u32,
  count: u32,
}

struct Op {
  code: u32,
  a: f32,
  b: f32,
}

struct Value {
  x: f32,
  ok: bool,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> validity: array<u32>;
@group(0) @binding(2) var<storage, read> codes: array<i32>;
@group(0) @binding(3) var<storage, read> encoded: array<u32>;
@group(0) @binding(4) var<storage, read> columns: array<Column>;
@group(0) @binding(5) var<storage, read> ops: array<Op>;
@group(0) @binding(6) var<storage, read_write> out: array<u32>;
@group(0) @binding(7) var<uniform> params: Params;

const MISSING = Value(0.0, false);

fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

fn checked(x: f32) -> Value {
  if (is_finite(x)) {
    return Value(x, true);
  }
  return MISSING;
}

// ln(1 + x) for |x| < 0.25 as 2 artanh(s), s = x / (2 + x), |s| < 1/7: a few ulps relative, where the
// builtin log only promises 2^-21 absolute near 1.
fn log1p_small(x: f32) -> f32 {
  let s = x / (2.0 + x);
  let s2 = s * s;
  let p = 1.0 + s2 * (1.0 / 3.0 + s2 * (0.2 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0)))));
  return 2.0 * s * p;
}

// ln x, relatively accurate near 1 (x - 1 is exact there).
fn log_f32(x: f32) -> f32 {
  if (abs(x - 1.0) < 0.25) {
    return log1p_small(x - 1.0);
  }
  return log(x);
}

fn log1p_f32(x: f32) -> f32 {
  if (abs(x) < 0.25) {
    return log1p_small(x);
  }
  return log(1.0 + x);
}

// x^a. Integer |a| <= 2^24: repeated squaring (at most 25 steps; exact signs, -0 kept), since exp2(a log2 x)
// loses |a| times log2's absolute error near x = 1. Otherwise exp2(a log2 |x|), with the sign of x for odd
// integers; negative x with a non-integer a is missing.
fn power(x: f32, a: f32) -> Value {
  let negative = (bitcast<u32>(x) >> 31u) == 1u;
  let integer = a == floor(a);
  let odd = integer && (a - 2.0 * floor(a * 0.5)) == 1.0;
  var r: f32;
  if (integer && abs(a) <= 16777216.0) {
    var e = u32(abs(a));
    var base = abs(x);
    r = 1.0;
    loop {
      if ((e & 1u) == 1u) {
        r = r * base;
      }
      e = e >> 1u;
      if (e == 0u) {
        break;
      }
      base = base * base;
    }
  } else {
    if (x < 0.0 && !integer) {
      return MISSING;
    }
    let ax = abs(x);
    if (ax == 0.0) {
      r = 0.0;
    } else {
      let e = a * log2(ax);
      if (e >= 128.0) {
        return MISSING;
      }
      r = select(exp2(e), 0.0, e < -150.0);
    }
  }
  if (a < 0.0) {
    if (r == 0.0) {
      return MISSING;
    }
    r = 1.0 / r;
  }
  if (negative && odd) {
    r = -r;
  }
  return checked(r);
}

// Whether op.code is `code`, given that it is one of the codes in `mask`: no test when `code` is the only one.
fn is(mask: u32, code: u32, op: Op) -> bool {
  return (mask & (1u << code)) != 0u && (mask == (1u << code) || op.code == code);
}

// One operation; `mask` (a constant at each call) says which codes op.code may be: the other cases compile away.
fn apply(mask: u32, op: Op, v: Value) -> Value {
  if (is(mask, OP_IMPUTE, op)) {
    if (v.ok) {
      return v;
    }
    return checked(op.a);
  }
  if (!v.ok) {
    return v;
  }
  if (is(mask, OP_AFFINE, op)) {
    return checked((v.x - op.a) * op.b);
  }
  if (is(mask, OP_CLIP, op)) {
    return checked(min(max(v.x, op.a), op.b));
  }
  if (is(mask, OP_LOG, op)) {
    if (v.x <= 0.0) {
      return MISSING;
    }
    return checked(log_f32(v.x));
  }
  if (is(mask, OP_LOG1P, op)) {
    if (v.x <= -1.0) {
      return MISSING;
    }
    return checked(log1p_f32(v.x));
  }
  if (is(mask, OP_SQRT, op)) {
    if (v.x < 0.0) {
      return MISSING;
    }
    return checked(sqrt(v.x));
  }
  if (is(mask, OP_POWER, op)) {
    return power(v.x, op.a);
  }
  return v;
}

// Operation k of column `col`, specialised to `mask`; none when k is past STEPS or the column's operations (every
// column has operations 0 .. FULL - 1).
fn step(mask: u32, k: u32, col: Column, v: Value) -> Value {
  if (k < STEPS && (k < FULL || k < col.count)) {
    return apply(mask, ops[col.first + k], v);
  }
  return v;
}

fn code_pass(col: Column, k: u32, w: u32, n: u32) {
  let fill = bitcast<i32>(col.first);
  let src = col.input * params.tableRows + params.rowOffset + w * 32u;
  let dst = (params.outCols + k) * params.rows + w * 32u;
  for (var i = 0u; i < n; i++) {
    var c = codes[src + i];
    if (c < 0 && fill >= 0) {
      c = fill;
    }
    out[dst + i] = bitcast<u32>(c);
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let w = gid.x;
  let j = gid.y;
  if (w >= params.words) {
    return;
  }
  let n = min(32u, params.rows - w * 32u);
  let col = columns[j];
  if (j >= params.outCols) {
    code_pass(col, j - params.outCols, w, n);
    return;
  }
  var mask: u32;
  var src: u32;
  if (col.kind == KIND_TABLE) {
    mask = validity[col.input * params.tableWords + params.rowOffset / 32u + w];
    src = col.input * params.tableRows + params.rowOffset + w * 32u;
  } else {
    mask = encoded[params.encCols * params.rows + col.input * params.words + w];
    src = col.input * params.rows + w * 32u;
  }
  let dst = j * params.rows + w * 32u;
  var word = 0u;
  for (var i = 0u; i < n; i++) {
    var v = MISSING;
    if (((mask >> i) & 1u) == 1u) {
      if (col.kind == KIND_TABLE) {
        v = Value(values[src + i], true);
      } else {
        v = Value(bitcast<f32>(encoded[src + i]), true);
      }
    }
    v = step(OPS0, 0u, col, v);
    v = step(OPS1, 1u, col, v);
    v = step(OPS2, 2u, col, v);
    v = step(OPS3, 3u, col, v);
    v = step(OPS4, 4u, col, v);
    v = step(OPS5, 5u, col, v);
    v = step(OPS6, 6u, col, v);
    v = step(OPS7, 7u, col, v);
    v = step(OPS8, 8u, col, v);
    v = step(OPS9, 9u, col, v);
    v = step(OPS10, 10u, col, v);
    v = step(OPS11, 11u, col, v);
    if (TAIL) {
      for (var k = STEPS; k < col.count; k++) {
        v = apply(ALL_OPS, ops[col.first + k], v);
      }
    }
    if (v.ok) {
      word = word | (1u << i);
      out[dst + i] = bitcast<u32>(v.x);
    } else {
      out[dst + i] = 0u;
    }
  }
  out[(params.outCols + params.codeOuts) * params.rows + j * params.words + w] = word;
}
