import welford from '../../../shaders/common/welford.wgsl?raw';
import columnHistogram from '../../../shaders/data/column_histogram.wgsl?raw';
import columnStatsMerge from '../../../shaders/data/column_stats_merge.wgsl?raw';
import columnStatsPartial from '../../../shaders/data/column_stats_partial.wgsl?raw';
import type { KernelSource } from '../gpu/pipelineCache';
import { FILE_MARKER } from '../gpu/shader';

/** A registered kernel: its WGSL files (snippets first, entry file last) and entry point. */
export interface KernelEntry extends KernelSource {
  /** Paths of the .wgsl files it is built from, relative to shaders/. */
  readonly files: readonly string[];
}

function kernel(name: string, files: readonly [string, string][]): KernelEntry {
  return {
    name,
    entryPoint: 'main',
    files: files.map(([path]) => path),
    code: files.map(([path, text]) => `${FILE_MARKER}${path}\n${text}`).join('\n'),
  };
}

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
} as const satisfies Record<string, KernelEntry>;
