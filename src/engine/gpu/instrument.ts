/**
 * What a device actually did, counted by wrapping the device's own entry points (queue writes and submits,
 * buffers mapped at creation or for reading, compute passes' dispatches). Engine code cannot under- or
 * over-report: the counts come from the calls, not from the code under test.
 */
export interface DeviceUsage {
  dispatches: number;
  submits: number;
  /** Host → GPU transfers: queue.writeBuffer calls and buffers created mapped with data. */
  uploads: number;
  bytesUploaded: number;
  /** GPU → host transfers: buffers mapped for reading. */
  readbacks: number;
  bytesRead: number;
}

/** Zeroed usage. */
export function newUsage(): DeviceUsage {
  return { dispatches: 0, submits: 0, uploads: 0, bytesUploaded: 0, readbacks: 0, bytesRead: 0 };
}

/** `after − before`, field by field. */
export function usageSince(before: DeviceUsage, after: DeviceUsage): DeviceUsage {
  return {
    dispatches: after.dispatches - before.dispatches,
    submits: after.submits - before.submits,
    uploads: after.uploads - before.uploads,
    bytesUploaded: after.bytesUploaded - before.bytesUploaded,
    readbacks: after.readbacks - before.readbacks,
    bytesRead: after.bytesRead - before.bytesRead,
  };
}

/** Wraps `device` in place and returns its live usage counters (monotonic for the device's life). */
export function instrumentDevice(device: GPUDevice): DeviceUsage {
  const usage = newUsage();
  const queue = device.queue;
  const writeBuffer = queue.writeBuffer.bind(queue) as (...a: unknown[]) => void;
  queue.writeBuffer = (...args: unknown[]) => {
    writeBuffer(...args);
    usage.uploads++;
    usage.bytesUploaded += writtenBytes(args);
  };
  const submit = queue.submit.bind(queue);
  queue.submit = (buffers) => {
    usage.submits++;
    submit(buffers);
  };
  const createBuffer = device.createBuffer.bind(device);
  device.createBuffer = (desc) => {
    const buffer = createBuffer(desc);
    if (desc.mappedAtCreation === true && (desc.usage & GPUBufferUsage.MAP_READ) === 0) {
      usage.uploads++;
      usage.bytesUploaded += desc.size;
    }
    if ((desc.usage & GPUBufferUsage.MAP_READ) !== 0) {
      const mapAsync = buffer.mapAsync.bind(buffer);
      buffer.mapAsync = async (mode, offset, size) => {
        await mapAsync(mode, offset, size);
        usage.readbacks++;
        usage.bytesRead += size ?? buffer.size - (offset ?? 0);
      };
    }
    return buffer;
  };
  const createCommandEncoder = device.createCommandEncoder.bind(device);
  device.createCommandEncoder = (desc) => {
    const encoder = createCommandEncoder(desc);
    const beginComputePass = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (passDesc) => {
      const pass = beginComputePass(passDesc);
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x, y, z) => {
        usage.dispatches++;
        dispatch(x, y, z);
      };
      const indirect = pass.dispatchWorkgroupsIndirect.bind(pass);
      pass.dispatchWorkgroupsIndirect = (buffer, offset) => {
        usage.dispatches++;
        indirect(buffer, offset);
      };
      return pass;
    };
    return encoder;
  };
  return usage;
}

/** Bytes a writeBuffer(buffer, offset, data, dataOffset?, size?) call moves. */
function writtenBytes(args: readonly unknown[]): number {
  const data = args[2];
  const size = args[4];
  if (typeof size === 'number') {
    const elementBytes =
      ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data ? Number(data.BYTES_PER_ELEMENT) : 1;
    return size * elementBytes;
  }
  if (ArrayBuffer.isView(data)) return data.byteLength;
  if (data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}
