import welford from '../../../shaders/common/welford.wgsl?raw';
import augment from '../../../shaders/image/augment.wgsl?raw';
import channelMoments from '../../../shaders/image/channel_moments.wgsl?raw';
import transform from '../../../shaders/image/transform.wgsl?raw';
import { kernel, type KernelEntry } from './kernel';

/** image kernels (shaders/image/): built with kernel() from registry.ts. */
export const IMAGE_KERNELS = {
  imageTransform: kernel('ImageTransform', [['image/transform.wgsl', transform]]),
  imageChannelMoments: kernel('ImageChannelMoments', [
    ['common/welford.wgsl', welford],
    ['image/channel_moments.wgsl', channelMoments],
  ]),
  imageAugment: kernel('ImageAugment', [['image/augment.wgsl', augment]]),
} as const satisfies Record<string, KernelEntry>;
