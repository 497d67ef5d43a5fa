import type { KernelEntry } from './kernel';

/** preprocess kernels (shaders/preprocess/): built with kernel() from registry.ts. */
export const PREPROCESS_KERNELS = {} as const satisfies Record<string, KernelEntry>;
