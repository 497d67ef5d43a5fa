import codeCounts from '../../../shaders/preprocess/code_counts.wgsl?raw';
import elementwise from '../../../shaders/preprocess/elementwise.wgsl?raw';
import encode from '../../../shaders/preprocess/encode.wgsl?raw';
import moments from '../../../shaders/preprocess/moments.wgsl?raw';
import radixSelect from '../../../shaders/preprocess/radix_select.wgsl?raw';
import { kernel, type KernelEntry } from './kernel';

/** preprocess kernels (shaders/preprocess/): built with kernel() from registry.ts. */
export const PREPROCESS_KERNELS = {
  preprocessEncode: kernel('PreprocessEncode', [['preprocess/encode.wgsl', encode]]),
  preprocessElementwise: kernel('PreprocessElementwise', [['preprocess/elementwise.wgsl', elementwise]]),
  preprocessMoments: kernel('PreprocessMoments', [['preprocess/moments.wgsl', moments]]),
  preprocessRadixSelect: kernel('PreprocessRadixSelect', [['preprocess/radix_select.wgsl', radixSelect]]),
  preprocessCodeCounts: kernel('PreprocessCodeCounts', [['preprocess/code_counts.wgsl', codeCounts]]),
} as const satisfies Record<string, KernelEntry>;
