import type { KernelEntry } from './kernel';

/** image kernels (shaders/image/): built with kernel() from registry.ts. */
export const IMAGE_KERNELS = {} as const satisfies Record<string, KernelEntry>;
