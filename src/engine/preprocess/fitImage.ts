import { WorkbenchError } from '../../lib/errors';
import type { FitInput } from './fit';
import type { RecipeStep } from './recipe';
import type { ImageSlot, Slot } from './slots';

type ImageStep = Extract<RecipeStep, { kind: `image-${string}` }>;

/**
 * Fits an image step into its column's fused transform `(bilinear(v) · scale − mean_c) · invStd_c`. Affine
 * steps compose in any order (bilinear resampling is linear with weights summing to one, so it commutes with
 * them); a normalize fitted without given statistics uses the training images as transformed so far.
 */
export async function fitImageStep(
  slots: readonly Slot[],
  step: ImageStep,
  input: FitInput,
): Promise<string[]> {
  const slot = slots.find((s): s is ImageSlot => s.kind === 'image' && s.name === step.column);
  if (slot === undefined)
    throw new WorkbenchError('INVALID_INPUT', `${step.column} is not an image column at this step`);
  const t = slot.transform;
  const c = t.outShape[2];
  switch (step.kind) {
    case 'image-resize':
      slot.transform = { ...t, outShape: [step.height, step.width, c] };
      return [`${slot.name}: resized to ${step.height}×${step.width} (bilinear)`];
    case 'image-scale':
      slot.transform = slot.normalized
        ? { ...t, invStd: t.invStd.map((s) => s / 255) }
        : { ...t, scale: t.scale / 255 };
      return [`${slot.name}: pixels ÷ 255`];
    case 'image-normalize': {
      let mean = step.mean;
      let std = step.std;
      if (mean === undefined || std === undefined) {
        const m = await input.images.channelMoments(input.pixels(slot.source), input.trainRows, t);
        mean ??= m.mean;
        std ??= m.std.map((s) => (s > 0 ? s : 1));
      }
      // ((v·scale − M)·I − m) / s = (v·scale − (M + m/I)) · (I/s)
      slot.transform = {
        ...t,
        mean: t.mean.map((M, k) => M + mean[k]! / t.invStd[k]!),
        invStd: t.invStd.map((I, k) => I / std[k]!),
      };
      slot.normalized = true;
      const per = mean.map((m, k) => `c${k} mean ${m.toPrecision(4)} std ${std[k]!.toPrecision(4)}`);
      return [
        `${slot.name}: ${per.join(', ')}${step.mean === undefined ? ' (fitted on training images)' : ''}`,
      ];
    }
    case 'image-augment':
      slot.augment = { flip: step.flip, cropPadding: step.cropPadding };
      return [
        `${slot.name}: ${step.flip ? 'random horizontal flip, ' : ''}random crop after ${step.cropPadding} px padding — training only, per epoch`,
      ];
  }
}
