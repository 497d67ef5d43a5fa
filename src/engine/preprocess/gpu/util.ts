import { WorkbenchError } from '../../../lib/errors';
import { align4 } from '../../gpu/buffers';
import { bufferBudget, type MemoryBudget } from '../../gpu/planner';

/** Smallest buffer the preprocess kernels bind: a runtime-sized array needs room for one element. */
const MIN_BINDING_BYTES = 32;

/** Creates a storage buffer holding `data`, padded to MIN_BINDING_BYTES (mapped at creation: no queue write). */
export function uploadPadded(device: GPUDevice, label: string, data: ArrayBufferView): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(MIN_BINDING_BYTES, align4(data.byteLength)),
    usage: GPUBufferUsage.STORAGE,
    mappedAtCreation: true,
  });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

/** An empty (zeroed) storage buffer that can be copied from and to, at least MIN_BINDING_BYTES. */
export function scratchBuffer(device: GPUDevice, label: string, bytes: number): GPUBuffer {
  return device.createBuffer({
    label,
    size: Math.max(MIN_BINDING_BYTES, align4(bytes)),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** Records one compute pass with a single dispatch; entries are bindings 0, 1, … of group 0. */
export function dispatch(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  label: string,
  pipeline: GPUComputePipeline,
  entries: readonly (GPUBuffer | GPUBufferBinding)[],
  x: number,
  y: number,
): void {
  const bindGroup = device.createBindGroup({
    label: `${label}.bindGroup`,
    layout: pipeline.getBindGroupLayout(0),
    entries: entries.map((e, binding) => ({ binding, resource: 'buffer' in e ? e : { buffer: e } })),
  });
  const pass = encoder.beginComputePass({ label });
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y);
  pass.end();
}

/** Bytes the largest single buffer may hold; throws GPU_LIMIT with `what` when `needed` does not fit. */
export function requireFits(budget: MemoryBudget, needed: number, what: string): void {
  const cap = bufferBudget(budget);
  if (needed > cap) {
    throw new WorkbenchError(
      'GPU_LIMIT',
      `${what} needs a ${needed}-byte buffer, but buffers are capped at ${cap} bytes here`,
    );
  }
}

/** Workgroups for a grid-stride pass over `rows` rows: about `perThread` rows a thread, between 1 and `max`. */
export function strideGroups(rows: number, wg: number, perThread: number, max: number): number {
  return Math.max(1, Math.min(max, Math.ceil(rows / (wg * perThread))));
}

/** Distinct values in first-seen order. */
export function distinct(xs: readonly number[]): number[] {
  return [...new Set(xs)];
}
