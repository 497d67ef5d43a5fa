import { WorkbenchError } from '../../../lib/errors';
import { bufferBudget, type MemoryBudget } from '../../gpu/planner';

/** Threads per workgroup of the image kernels (every one is a power of two, as the reductions need). */
export const WG = 256;

/** A block of consecutive images: [start, start + count). */
export interface ImageBlock {
  readonly start: number;
  readonly count: number;
}

/**
 * Splits `rows` images into blocks whose per-image buffers (`bytesPerImage`, one entry per buffer that grows
 * with the block) each fit the budget; `fixedBytes` are buffers of constant size that must fit too.
 * Throws GPU_LIMIT when a single image cannot fit.
 */
export function planImageBlocks(
  what: string,
  rows: number,
  bytesPerImage: readonly number[],
  fixedBytes: readonly number[],
  budget: MemoryBudget,
): ImageBlock[] {
  const cap = Math.floor(bufferBudget(budget) / 4) * 4;
  const largest = Math.max(...bytesPerImage);
  const fixed = Math.max(0, ...fixedBytes);
  if (largest > cap || fixed > cap) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `${what}: one image needs a ${Math.max(largest, fixed).toLocaleString('en')}-byte GPU buffer, but buffers here hold at most ${cap.toLocaleString('en')} bytes`,
    );
  }
  const per = Math.max(1, Math.floor(cap / largest));
  const blocks: ImageBlock[] = [];
  for (let start = 0; start < rows; start += per) blocks.push({ start, count: Math.min(per, rows - start) });
  return blocks;
}

/** Workgroup grid (x, y) covering `threads` threads of WG, within the per-dimension limit. */
export function grid(threads: number, budget: MemoryBudget): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / WG));
  const x = Math.min(groups, budget.maxComputeWorkgroupsPerDimension);
  return [x, Math.ceil(groups / x)];
}

/** Encodes one compute pass: `buffers` bound in order at group 0, bindings 0, 1, … */
export function encodePass(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  label: string,
  pipeline: GPUComputePipeline,
  buffers: readonly GPUBuffer[],
  [x, y]: [number, number],
): void {
  const bindGroup = device.createBindGroup({
    label: `${label}.bindGroup`,
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass = encoder.beginComputePass({ label });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** A uniform block of u32 words whose last word holds an f32 (`scale`), as the transform kernel reads. */
export function paramsWithFloat(words: readonly number[], last: number): Uint32Array<ArrayBuffer> {
  const u32 = new Uint32Array(words.length + 1);
  u32.set(words);
  new Float32Array(u32.buffer)[words.length] = last;
  return u32;
}
