import type { SchemaColumn } from '../../engine/preprocess/fitted';
import type { RecipeStep } from '../../engine/preprocess/recipe';
import type { StepPatch } from '../../state/recipeStore';
import { CheckField, NumberField, NumberListField, SelectField } from './fields';

type ImageStep = Extract<RecipeStep, { column: string }>;

/** The form of an image step: which image column, then the step's own settings. */
export function ImageStepFields({
  step,
  available,
  onChange,
}: {
  step: ImageStep;
  available: readonly SchemaColumn[];
  onChange: (patch: StepPatch) => void;
}) {
  const images = available.filter((c) => c.type === 'image');
  const options = images.map((c) => ({
    value: c.name,
    label: c.shape ? `${c.name} (${c.shape.join('×')})` : c.name,
  }));
  if (!images.some((c) => c.name === step.column)) {
    options.unshift({
      value: step.column,
      label: step.column === '' ? 'Choose…' : `${step.column} (not here)`,
    });
  }
  const channels = images.find((c) => c.name === step.column)?.shape?.[2] ?? 1;
  return (
    <div className="toolbar">
      <SelectField
        label="Image column"
        testId="step-column"
        value={step.column}
        options={options}
        onChange={(column) => onChange({ column })}
      />
      <Settings step={step} channels={channels} onChange={onChange} />
    </div>
  );
}

function Settings({
  step,
  channels,
  onChange,
}: {
  step: ImageStep;
  channels: number;
  onChange: (patch: StepPatch) => void;
}) {
  switch (step.kind) {
    case 'image-resize':
      return (
        <>
          <NumberField
            label="Height (px)"
            testId="step-height"
            integer
            min={1}
            max={4096}
            value={step.height}
            onChange={(height) => onChange({ height })}
          />
          <NumberField
            label="Width (px)"
            testId="step-width"
            integer
            min={1}
            max={4096}
            value={step.width}
            onChange={(width) => onChange({ width })}
          />
        </>
      );
    case 'image-normalize': {
      const hint = `${channels} value${channels === 1 ? '' : 's'}; empty: fitted on the training split`;
      return (
        <>
          <NumberListField
            label="Mean per channel"
            testId="step-mean"
            value={step.mean}
            hint={hint}
            onChange={(mean) => onChange({ mean })}
          />
          <NumberListField
            label="Std per channel"
            testId="step-std"
            value={step.std}
            hint={hint}
            onChange={(std) => onChange({ std })}
          />
        </>
      );
    }
    case 'image-augment':
      return (
        <>
          <CheckField
            label="Random horizontal flip"
            testId="step-flip"
            checked={step.flip}
            onChange={(flip) => onChange({ flip })}
          />
          <NumberField
            label="Crop padding (px)"
            testId="step-crop-padding"
            integer
            min={0}
            value={step.cropPadding}
            onChange={(cropPadding) => onChange({ cropPadding })}
          />
          <span className="muted">Training only: never stored, never applied at inference.</span>
        </>
      );
    default:
      return <span className="muted">Pixels 0–255 become 0–1.</span>;
  }
}
