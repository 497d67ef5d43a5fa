/**
 * GPU timestamps around compute passes, when the device has 'timestamp-query'.
 * Browsers quantize timestamps (~65 µs) unless developer features are on; use for profiles, not tests.
 */
export class PassTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly read: GPUBuffer;
  private next = 0;
  private readonly labels: string[] = [];

  private constructor(
    device: GPUDevice,
    private readonly capacity: number,
  ) {
    this.querySet = device.createQuerySet({
      label: 'PassTimer.queries',
      type: 'timestamp',
      count: capacity * 2,
    });
    const bytes = capacity * 2 * 8;
    this.resolve = device.createBuffer({
      label: 'PassTimer.resolve',
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.read = device.createBuffer({
      label: 'PassTimer.read',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  /** A timer when the device supports timestamp queries, otherwise null. */
  static create(device: GPUDevice, capacity = 16): PassTimer | null {
    return device.features.has('timestamp-query') ? new PassTimer(device, capacity) : null;
  }

  /** Timestamp writes for the next pass, or undefined when the timer is full. */
  writes(label: string): GPUComputePassTimestampWrites | undefined {
    if (this.next >= this.capacity) return undefined;
    const i = this.next++;
    this.labels.push(label);
    return { querySet: this.querySet, beginningOfPassWriteIndex: i * 2, endOfPassWriteIndex: i * 2 + 1 };
  }

  /** Adds the resolve and copy commands; call once, before submitting the encoder. */
  resolveInto(encoder: GPUCommandEncoder): void {
    if (this.next === 0) return;
    encoder.resolveQuerySet(this.querySet, 0, this.next * 2, this.resolve, 0);
    encoder.copyBufferToBuffer(this.resolve, 0, this.read, 0, this.next * 16);
  }

  /** Reads pass durations in milliseconds, by label; frees the timer's GPU objects. */
  async durations(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    if (this.next > 0) {
      await this.read.mapAsync(GPUMapMode.READ, 0, this.next * 16);
      const t = new BigInt64Array(this.read.getMappedRange(0, this.next * 16));
      this.labels.forEach((label, i) => {
        const begin = t[i * 2] ?? 0n;
        const end = t[i * 2 + 1] ?? 0n;
        out[label] = (out[label] ?? 0) + Number(end - begin) / 1e6;
      });
      this.read.unmap();
    }
    this.querySet.destroy();
    this.resolve.destroy();
    this.read.destroy();
    return out;
  }
}
