import type { PackedProgram } from './pack';

/** A block's pass parameters (the Params struct shared by encode.wgsl and elementwise.wgsl). */
export interface PassParams {
  readonly tableRows: number;
  readonly tableWords: number;
  readonly rowOffset: number;
  readonly rows: number;
  readonly words: number;
}

/** Bindings into the one buffer that holds a call's program tables and every block's parameters. */
export interface ProgramBuffer {
  readonly buffer: GPUBuffer;
  /** Block i's Params, for binding as a uniform. */
  params(i: number): GPUBufferBinding;
  readonly columns: GPUBufferBinding;
  readonly ops: GPUBufferBinding;
  readonly encColumns: GPUBufferBinding;
  readonly maps: GPUBufferBinding;
}

const PARAMS_BYTES = 32;
/** Smallest storage binding (room for one element of any table). */
const MIN_TABLE_BYTES = 32;

/**
 * Lays out [params of block 0 | block 1 | … | columns | ops | encColumns | maps], each section on the device's
 * binding offset alignment, in one buffer mapped at creation: a program costs one upload whatever its blocks.
 */
export function programBuffer(
  device: GPUDevice,
  p: PackedProgram,
  blocks: readonly PassParams[],
): ProgramBuffer {
  const align = Math.max(
    device.limits.minUniformBufferOffsetAlignment,
    device.limits.minStorageBufferOffsetAlignment,
  );
  const up = (n: number): number => Math.ceil(n / align) * align;
  const tables = [p.columns, p.ops, p.encColumns, p.maps];
  let offset = blocks.length * up(PARAMS_BYTES);
  const placed = tables.map((t) => {
    const at = { offset, size: Math.max(MIN_TABLE_BYTES, t.byteLength) };
    offset += up(at.size);
    return at;
  });
  const buffer = device.createBuffer({
    label: 'Preprocess.program',
    size: offset,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.UNIFORM,
    mappedAtCreation: true,
  });
  const mapped = buffer.getMappedRange();
  blocks.forEach((b, i) => {
    const words = [b.tableRows, b.tableWords, b.rowOffset, b.rows, b.words, p.outCols, p.codeOuts, p.encCols];
    new Uint32Array(mapped, i * up(PARAMS_BYTES), words.length).set(words);
  });
  tables.forEach((t, k) => {
    new Uint8Array(mapped, placed[k]!.offset, t.byteLength).set(
      new Uint8Array(t.buffer, t.byteOffset, t.byteLength),
    );
  });
  buffer.unmap();
  const [columns, ops, encColumns, maps] = placed.map((at) => ({ buffer, ...at })) as [
    GPUBufferBinding,
    GPUBufferBinding,
    GPUBufferBinding,
    GPUBufferBinding,
  ];
  return {
    buffer,
    params: (i) => ({ buffer, offset: i * up(PARAMS_BYTES), size: PARAMS_BYTES }),
    columns,
    ops,
    encColumns,
    maps,
  };
}
