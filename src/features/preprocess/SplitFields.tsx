import type { SchemaColumn } from '../../engine/preprocess/fitted';
import type { SplitStep } from '../../engine/preprocess/recipe';
import type { StepPatch } from '../../state/recipeStore';
import { CheckField, NumberField, SelectField } from './fields';
import { accepts } from './labels';

/** The split step's form: fractions, seed, shuffling and the column to stratify by. */
export function SplitFields({
  step,
  columns,
  onChange,
}: {
  step: SplitStep;
  /** The dataset's own columns (stratification reads them before any step). */
  columns: readonly SchemaColumn[];
  onChange: (patch: StepPatch) => void;
}) {
  const strata = columns.filter((c) => accepts('split', c.type));
  if (step.stratify !== null && !strata.some((c) => c.name === step.stratify)) {
    strata.push({ name: step.stratify, type: 'text' });
  }
  const total = step.train + step.validation + step.test;
  return (
    <>
      <div className="toolbar">
        <NumberField
          label="Train"
          testId="split-train"
          value={step.train}
          min={0}
          max={1}
          step={0.05}
          onChange={(train) => onChange({ train })}
        />
        <NumberField
          label="Validation"
          testId="split-validation"
          value={step.validation}
          min={0}
          max={1}
          step={0.05}
          onChange={(validation) => onChange({ validation })}
        />
        <NumberField
          label="Test"
          testId="split-test"
          value={step.test}
          min={0}
          max={1}
          step={0.05}
          onChange={(test) => onChange({ test })}
        />
        <span className="muted">Sum: {Number(total.toFixed(6))}</span>
      </div>
      <div className="toolbar">
        <NumberField
          label="Seed"
          testId="split-seed"
          integer
          value={step.seed}
          onChange={(seed) => onChange({ seed })}
        />
        <CheckField
          label="Shuffle rows"
          testId="split-shuffle"
          checked={step.shuffle}
          onChange={(shuffle) => onChange({ shuffle })}
        />
        <SelectField
          label="Stratify by"
          testId="split-stratify"
          value={step.stratify ?? ''}
          options={[
            { value: '', label: 'Nothing' },
            ...strata.map((c) => ({ value: c.name, label: c.name })),
          ]}
          onChange={(v) => onChange({ stratify: v === '' ? null : v })}
        />
      </div>
    </>
  );
}
