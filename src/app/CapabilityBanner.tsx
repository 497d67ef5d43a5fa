import { useStore } from 'zustand';
import { gpuStore } from '../state/gpuStore';

/** Says plainly where work runs: the WebGPU adapter, or the CPU and why. */
export function CapabilityBanner() {
  const caps = useStore(gpuStore, (s) => s.capabilities);
  if (caps === null) {
    return (
      <p className="status" role="status" data-testid="gpu-status">
        Checking WebGPU…
      </p>
    );
  }
  if (!caps.available) {
    return (
      <p className="status warn" role="status" data-testid="gpu-status" title={caps.reason}>
        WebGPU unavailable — running on CPU
      </p>
    );
  }
  const { vendor, architecture, isFallbackAdapter } = caps.adapter;
  return (
    <p className="status ok" role="status" data-testid="gpu-status">
      WebGPU: {vendor || 'unknown vendor'} / {architecture || 'unknown architecture'}
      {isFallbackAdapter ? ' (software adapter)' : ''}
    </p>
  );
}
