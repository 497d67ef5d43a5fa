import type { Program } from '../program';

/** A program flattened into the tables elementwise.wgsl and encode.wgsl read (layouts as their Column structs). */
export interface PackedProgram {
  /** Per output (numeric, then code passes): kind, input, first op (or fill bits), op count. */
  readonly columns: Uint32Array<ArrayBuffer>;
  /** Per operation: code (u32), a (f32), b (f32). */
  readonly ops: Uint32Array<ArrayBuffer>;
  /** Per encoded column: input, fill, mode (0 onehot, 1 ordinal), slot, map start, map length. */
  readonly encColumns: Int32Array<ArrayBuffer>;
  readonly maps: Int32Array<ArrayBuffer>;
  readonly outCols: number;
  readonly codeOuts: number;
  /** Encoded columns the encode pass must produce: 0 when no output reads one. */
  readonly encCols: number;
}

const KIND_TABLE = 0;
const KIND_ENCODED = 1;
const KIND_CODES = 2;

/** Packs `p` for a table with `numericCols` numeric columns. */
export function packProgram(p: Program, numericCols: number): PackedProgram {
  const opCount = p.elementwise.reduce((s, c) => s + c.ops.length, 0);
  const ops = new Uint32Array(3 * opCount);
  const opsF = new Float32Array(ops.buffer);
  const columns = new Uint32Array(4 * (p.elementwise.length + p.codes.length));
  let first = 0;
  p.elementwise.forEach((col, j) => {
    const encoded = col.input >= numericCols;
    columns.set(
      [
        encoded ? KIND_ENCODED : KIND_TABLE,
        encoded ? col.input - numericCols : col.input,
        first,
        col.ops.length,
      ],
      4 * j,
    );
    for (const o of col.ops) {
      ops[3 * first] = o.op;
      opsF[3 * first + 1] = o.a;
      opsF[3 * first + 2] = o.b;
      first++;
    }
  });
  p.codes.forEach((c, k) =>
    columns.set([KIND_CODES, c.input, c.fill >>> 0, 0], 4 * (p.elementwise.length + k)),
  );
  const usesEncode = p.elementwise.some((c) => c.input >= numericCols);
  const specs = usesEncode ? p.encode : [];
  const encCols = specs.reduce((s, e) => s + e.width, 0);
  const encColumns = new Int32Array(6 * encCols);
  const maps = new Int32Array(specs.reduce((s, e) => s + e.map.length, 0));
  let col = 0;
  let mapStart = 0;
  for (const e of specs) {
    maps.set(e.map, mapStart);
    for (let slot = 0; slot < e.width; slot++, col++) {
      encColumns.set([e.input, e.fill, e.mode === 'onehot' ? 0 : 1, slot, mapStart, e.map.length], 6 * col);
    }
    mapStart += e.map.length;
  }
  return {
    columns,
    ops,
    encColumns,
    maps,
    outCols: p.elementwise.length,
    codeOuts: p.codes.length,
    encCols,
  };
}

/** Operations elementwise.wgsl specialises per step (its MAX_STEPS: overrides OPS0 … OPS11). */
export const SPECIALISED_STEPS = 12;

/**
 * The elementwise.wgsl overrides that specialise its pipeline to `p`'s operation codes (not their parameters): per
 * step k < STEPS the mask OPSk of the codes some numeric output has there, FULL = the fewest operations of any
 * output, TAIL = whether some output has more than SPECIALISED_STEPS (those run the generic loop).
 */
export function elementwiseOverrides(p: PackedProgram): Record<string, number> {
  const masks = new Array<number>(SPECIALISED_STEPS).fill(0);
  let most = 0;
  let fewest = p.outCols > 0 ? Infinity : 0;
  for (let j = 0; j < p.outCols; j++) {
    const first = p.columns[4 * j + 2]!;
    const count = p.columns[4 * j + 3]!;
    most = Math.max(most, count);
    fewest = Math.min(fewest, count);
    for (let k = 0; k < Math.min(count, SPECIALISED_STEPS); k++) masks[k]! |= 1 << p.ops[3 * (first + k)]!;
  }
  const steps = Math.min(most, SPECIALISED_STEPS);
  const overrides: Record<string, number> = {
    STEPS: steps,
    FULL: Math.min(fewest, steps),
    TAIL: most > SPECIALISED_STEPS ? 1 : 0,
  };
  for (let k = 0; k < steps; k++) overrides[`OPS${k}`] = masks[k]!;
  return overrides;
}

/** The program restricted to elementwise outputs `outputs` (in that order), without code passes. */
export function subProgram(p: Program, outputs: readonly number[]): Program {
  return { encode: p.encode, elementwise: outputs.map((o) => p.elementwise[o]!), codes: [] };
}
