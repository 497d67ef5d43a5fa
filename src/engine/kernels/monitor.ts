import driftHistogram from '../../../shaders/monitor/drift_histogram.wgsl?raw';
import ksCdf from '../../../shaders/monitor/ks_cdf.wgsl?raw';
import { kernel, type KernelEntry } from './kernel';

/** Monitor-stage kernels: drift histograms in the reference's bins and the two-sample KS statistic. */
export const MONITOR_KERNELS = {
  driftHistogram: kernel('DriftHistogram', [['monitor/drift_histogram.wgsl', driftHistogram]]),
  ksCdf: kernel('KsCdf', [['monitor/ks_cdf.wgsl', ksCdf]]),
} as const satisfies Record<string, KernelEntry>;
