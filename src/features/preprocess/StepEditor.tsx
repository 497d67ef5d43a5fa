import type { SchemaColumn } from '../../engine/preprocess/fitted';
import type { RecipeStep } from '../../engine/preprocess/recipe';
import type { StepPatch } from '../../state/recipeStore';
import { ColumnStepFields } from './ColumnStepFields';
import { ImageStepFields } from './ImageStepFields';
import { SplitFields } from './SplitFields';

/** The form of one step, whatever its kind. */
export function StepEditor({
  step,
  available,
  source,
  onChange,
}: {
  step: RecipeStep;
  /** Columns present just before this step. */
  available: readonly SchemaColumn[];
  /** The dataset's own columns. */
  source: readonly SchemaColumn[];
  onChange: (patch: StepPatch) => void;
}) {
  switch (step.kind) {
    case 'split':
      return <SplitFields step={step} columns={source} onChange={onChange} />;
    case 'image-scale':
    case 'image-normalize':
    case 'image-resize':
    case 'image-augment':
      return <ImageStepFields step={step} available={available} onChange={onChange} />;
    default:
      return <ColumnStepFields step={step} available={available} onChange={onChange} />;
  }
}
