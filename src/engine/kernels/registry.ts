import welford from '../../../shaders/common/welford.wgsl?raw';
import columnHistogram from '../../../shaders/data/column_histogram.wgsl?raw';
import columnStatsMerge from '../../../shaders/data/column_stats_merge.wgsl?raw';
import columnStatsPartial from '../../../shaders/data/column_stats_partial.wgsl?raw';
import { IMAGE_KERNELS } from './image';
import { kernel, type KernelEntry } from './kernel';
import { MONITOR_KERNELS } from './monitor';
import { PREPROCESS_KERNELS } from './preprocess';

/** Every kernel the engine can run. A test fails any .wgsl file in shaders/ that no entry uses. */
export const KERNELS = {
  columnStatsPartial: kernel('ColumnStatsPartial', [
    ['common/welford.wgsl', welford],
    ['data/column_stats_partial.wgsl', columnStatsPartial],
  ]),
  columnStatsMerge: kernel('ColumnStatsMerge', [
    ['common/welford.wgsl', welford],
    ['data/column_stats_merge.wgsl', columnStatsMerge],
  ]),
  columnHistogram: kernel('ColumnHistogram', [['data/column_histogram.wgsl', columnHistogram]]),
  ...PREPROCESS_KERNELS,
  ...IMAGE_KERNELS,
  ...MONITOR_KERNELS,
} as const satisfies Record<string, KernelEntry>;
