import { WorkbenchError, toWorkbenchError } from '../../lib/errors';
import { instrumentDevice, type DeviceUsage } from './instrument';
import { PipelineCache } from './pipelineCache';
import type { MemoryBudget } from './planner';
import { REQUESTED_LIMITS, summarizeAdapter, type AdapterSummary } from './probe';

/** Something the GPU layer wants the user (and the test harness) to know. */
export type GpuEvent =
  | { readonly type: 'device-ready'; readonly generation: number; readonly adapter: AdapterSummary }
  | {
      readonly type: 'device-lost';
      readonly generation: number;
      readonly reason: string;
      readonly message: string;
    }
  | { readonly type: 'uncaptured-error'; readonly generation: number; readonly message: string };

/** A live device and what belongs to it. Everything here dies with the device. */
export interface GpuSession {
  readonly device: GPUDevice;
  readonly adapter: AdapterSummary;
  readonly generation: number;
  readonly pipelines: PipelineCache;
  readonly budget: MemoryBudget;
  /** What this device has done so far, counted at the device's entry points (see instrument.ts). */
  readonly usage: DeviceUsage;
}

/** Error codes after which a job asked to run on 'auto' falls back to the CPU (and says why). */
export const CPU_FALLBACK_CODES: ReadonlySet<string> = new Set([
  'GPU_UNAVAILABLE',
  'GPU_DEVICE_LOST',
  'GPU_LIMIT',
  'GPU_OUT_OF_MEMORY',
]);

/** Options for a GpuContext. */
export interface GpuContextOptions {
  readonly onEvent?: (event: GpuEvent) => void;
  /** How many times a job is re-run on a fresh device after a loss (default 1). */
  readonly maxLossRetries?: number;
  /** Engine-side cap on buffer bytes, so tests can force chunking. */
  readonly engineCap?: number;
}

interface Live {
  readonly session: GpuSession;
  readonly lost: Promise<GPUDeviceLostInfo>;
  lostInfo: GPUDeviceLostInfo | null;
}

const LOSS_SETTLE_MS = 1000;

/** Owns one device at a time: creates it with the limits we need, reports loss, rebuilds on demand. */
export class GpuContext {
  private live: Promise<Live> | null = null;
  private generation = 0;
  private readonly maxLossRetries: number;
  private readonly disposed = new WeakSet<GPUDevice>();

  constructor(
    private readonly gpu: GPU | undefined,
    private readonly options: GpuContextOptions = {},
  ) {
    this.maxLossRetries = options.maxLossRetries ?? 1;
  }

  /** The current device session, created if needed. Throws GPU_UNAVAILABLE when there is no adapter. */
  async session(): Promise<GpuSession> {
    return (await this.acquire()).session;
  }

  /**
   * Runs a GPU job. If the device is lost for any reason but our own destroy(), the job is re-run on a
   * fresh device, at most `maxLossRetries` times; then GPU_DEVICE_LOST is thrown for the caller to fall back.
   */
  async run<T>(job: (s: GpuSession) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const live = await this.acquire();
      try {
        return await Promise.race([
          job(live.session),
          live.lost.then((info) => Promise.reject(lostError(info))),
        ]);
      } catch (e) {
        const info = live.lostInfo ?? (await settleLoss(live, e));
        if (info === null) throw e;
        if (info.reason === 'destroyed' || attempt >= this.maxLossRetries) throw lostError(info, attempt + 1);
      }
    }
  }

  /** Destroys the device; later jobs get a fresh one. */
  async dispose(): Promise<void> {
    const live = this.live;
    this.live = null;
    const device = live === null ? undefined : (await live.catch(() => null))?.session.device;
    if (device !== undefined) {
      this.disposed.add(device);
      device.destroy();
    }
  }

  private async acquire(): Promise<Live> {
    const current = this.live;
    if (current !== null) {
      const live = await current.catch(() => null);
      if (live !== null && live.lostInfo === null) return live;
      if (this.live !== current) return this.acquire();
    }
    const next = this.create();
    this.live = next;
    next.catch(() => {
      if (this.live === next) this.live = null;
    });
    return next;
  }

  private async create(): Promise<Live> {
    if (this.gpu === undefined) throw new WorkbenchError('GPU_UNAVAILABLE', 'navigator.gpu is missing');
    const adapter = await this.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter === null) throw new WorkbenchError('GPU_UNAVAILABLE', 'No WebGPU adapter is available');
    const requiredLimits: Record<string, number> = {};
    for (const name of REQUESTED_LIMITS) requiredLimits[name] = adapter.limits[name];
    const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query')
      ? ['timestamp-query']
      : [];
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({ label: 'Workbench.device', requiredLimits, requiredFeatures });
    } catch (e) {
      throw new WorkbenchError('GPU_UNAVAILABLE', `requestDevice failed: ${toWorkbenchError(e).message}`);
    }
    const usage = instrumentDevice(device);
    const generation = ++this.generation;
    const emit = this.options.onEvent ?? (() => undefined);
    device.onuncapturederror = (ev: GPUUncapturedErrorEvent) =>
      emit({ type: 'uncaptured-error', generation, message: ev.error.message });
    const session: GpuSession = {
      device,
      adapter: summarizeAdapter(adapter),
      generation,
      pipelines: new PipelineCache(device),
      budget: {
        maxBufferSize: device.limits.maxBufferSize,
        maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
        engineCap: this.options.engineCap ?? Infinity,
      },
      usage,
    };
    const live: Live = { session, lost: device.lost, lostInfo: null };
    void device.lost.then((info) => {
      live.lostInfo = info;
      if (!this.disposed.has(device)) {
        emit({ type: 'device-lost', generation, reason: info.reason, message: info.message });
      }
    });
    emit({ type: 'device-ready', generation, adapter: session.adapter });
    return live;
  }
}

/** After a failed job, waits briefly for `device.lost` to say whether the failure was a loss. */
async function settleLoss(live: Live, error: unknown): Promise<GPUDeviceLostInfo | null> {
  const code = error instanceof WorkbenchError ? error.code : null;
  if (code !== null && code !== 'GPU_DEVICE_LOST') return null;
  const timeout = new Promise<null>((r) => setTimeout(() => r(null), LOSS_SETTLE_MS));
  return Promise.race([live.lost, timeout]);
}

function lostError(info: GPUDeviceLostInfo, times = 1): WorkbenchError {
  const what = `GPU device lost (${info.reason}): ${info.message}`;
  return new WorkbenchError('GPU_DEVICE_LOST', times > 1 ? `${what} — lost ${times} times in one job` : what);
}
