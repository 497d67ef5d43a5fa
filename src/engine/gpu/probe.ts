/** What the adapter says about itself, in plain data. */
export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/** Result of the capability probe: where work can run, and within which limits. */
export type GpuCapabilities =
  | {
      readonly available: true;
      readonly adapter: AdapterSummary;
      readonly features: readonly string[];
      readonly limits: Readonly<Record<string, number>>;
    }
  | { readonly available: false; readonly reason: string };

/** Limits the app asks for when it creates a device (as much as the adapter allows). */
export const REQUESTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Reads the adapter's info. Older browsers keep `isFallbackAdapter` on the adapter itself. */
export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fromInfo = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: fromInfo ?? legacy ?? false,
  };
}

/** Copies numeric limits out of a GPUSupportedLimits (its fields are prototype getters). */
export function limitsToRecord(limits: GPUSupportedLimits): Record<string, number> {
  const out: Record<string, number> = {};
  let proto: object | null = limits;
  while (proto !== null && proto !== Object.prototype) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      const v = (limits as unknown as Record<string, unknown>)[key];
      if (typeof v === 'number' && !(key in out)) out[key] = v;
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return out;
}

/** Asks for an adapter and describes it; never throws. */
export async function probeGpu(gpu: GPU | undefined): Promise<GpuCapabilities> {
  if (gpu === undefined)
    return { available: false, reason: 'navigator.gpu is missing (no WebGPU in this browser)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { available: false, reason: `requestAdapter failed: ${String(e)}` };
  }
  if (adapter === null)
    return { available: false, reason: 'requestAdapter() returned null (WebGPU disabled or blocked)' };
  return {
    available: true,
    adapter: summarizeAdapter(adapter),
    features: [...adapter.features].map(String).sort(),
    limits: limitsToRecord(adapter.limits),
  };
}
