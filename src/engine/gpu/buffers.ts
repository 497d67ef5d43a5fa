import { WorkbenchError } from '../../lib/errors';

/** Counters a job reports: hardware-independent figures for benchmarks and tests. */
export interface GpuCounters {
  dispatches: number;
  submits: number;
  readbacks: number;
  bytesUploaded: number;
  bytesRead: number;
}

/** Fresh zeroed counters. */
export function newCounters(): GpuCounters {
  return { dispatches: 0, submits: 0, readbacks: 0, bytesUploaded: 0, bytesRead: 0 };
}

/** Rounds up to WebGPU's 4-byte copy alignment. */
export function align4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** Creates a storage buffer holding `data` (mapped at creation: one copy, no queue write). */
export function uploadStorage(
  device: GPUDevice,
  label: string,
  data: ArrayBufferView,
  counters?: GpuCounters,
): GPUBuffer {
  const size = Math.max(4, align4(data.byteLength));
  const buffer = device.createBuffer({ label, size, usage: GPUBufferUsage.STORAGE, mappedAtCreation: true });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  if (counters) counters.bytesUploaded += data.byteLength;
  return buffer;
}

/** Creates a uniform buffer from 32-bit words. */
export function uploadUniform(device: GPUDevice, label: string, words: Uint32Array<ArrayBuffer>): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(words.byteLength / 16) * 16),
    usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
}

/** Creates an empty storage buffer that can be copied out. */
export function storageBuffer(device: GPUDevice, label: string, bytes: number): GPUBuffer {
  return device.createBuffer({
    label,
    size: Math.max(4, align4(bytes)),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
}

/** Copies `source` to a staging buffer in `encoder`; call `read` after submitting. */
export function stageReadback(
  device: GPUDevice,
  encoder: GPUCommandEncoder,
  source: GPUBuffer,
  bytes: number,
): GPUBuffer {
  const size = align4(bytes);
  const staging = device.createBuffer({
    label: `${source.label}.readback`,
    size,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  encoder.copyBufferToBuffer(source, 0, staging, 0, size);
  return staging;
}

/** Maps a staging buffer and copies out its bytes; a lost device surfaces as GPU_DEVICE_LOST. */
export async function readStaging(staging: GPUBuffer, counters?: GpuCounters): Promise<ArrayBuffer> {
  try {
    await staging.mapAsync(GPUMapMode.READ);
  } catch (e) {
    throw new WorkbenchError('GPU_DEVICE_LOST', `Reading ${staging.label} failed: ${String(e)}`);
  }
  const out = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  if (counters) {
    counters.readbacks++;
    counters.bytesRead += out.byteLength;
  }
  return out;
}
