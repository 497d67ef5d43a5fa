import type { ColumnType } from '../../engine/data/dataset';
import type { StepKind } from '../../engine/preprocess/recipe';
import { isNumericType } from '../../engine/preprocess/validate';

/** Every step kind, in the order the "Add step" menu lists them, with a plain-language label. */
export const STEP_KINDS: readonly { readonly kind: StepKind; readonly label: string }[] = [
  { kind: 'split', label: 'Split into train / validation / test' },
  { kind: 'drop', label: 'Drop columns' },
  { kind: 'impute', label: 'Fill missing values' },
  { kind: 'clip', label: 'Clip outliers' },
  { kind: 'transform', label: 'Transform values (log, square root, power)' },
  { kind: 'scale', label: 'Scale numbers (standardize, min–max, robust)' },
  { kind: 'onehot', label: 'One-hot encode categories' },
  { kind: 'ordinal', label: 'Number categories (ordinal codes)' },
  { kind: 'image-resize', label: 'Resize images' },
  { kind: 'image-scale', label: 'Scale image pixels to [0, 1]' },
  { kind: 'image-normalize', label: 'Normalize image channels' },
  { kind: 'image-augment', label: 'Augment images while training (flip, crop)' },
];

export function stepLabel(kind: StepKind): string {
  return STEP_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** Whether a step of `kind` can act on a column of `type` (the picker lists only those). */
export function accepts(kind: StepKind, type: ColumnType): boolean {
  switch (kind) {
    case 'drop':
      return true;
    case 'impute':
      return isNumericType(type) || type === 'categorical';
    case 'scale':
    case 'clip':
    case 'transform':
      return isNumericType(type);
    case 'onehot':
    case 'ordinal':
      return type === 'categorical';
    case 'split':
      return type === 'categorical' || type === 'integer';
    default:
      return type === 'image';
  }
}
