import type { SchemaColumn } from '../../engine/preprocess/fitted';
import { ONEHOT_CEILING, type RecipeStep } from '../../engine/preprocess/recipe';
import type { StepPatch } from '../../state/recipeStore';
import { ColumnPicker } from './ColumnPicker';
import { ConstantField } from './ConstantField';
import { NumberField, SelectField } from './fields';
import { accepts } from './labels';

type ColumnStep = Extract<RecipeStep, { columns: readonly string[] }>;

const STRATEGIES = [
  { value: 'mean', label: 'Mean (numbers)' },
  { value: 'median', label: 'Median (numbers)' },
  { value: 'most_frequent', label: 'Most frequent value' },
  { value: 'constant', label: 'A constant' },
] as const;
const SCALES = [
  { value: 'standardize', label: 'Standardize: (x − mean) / std' },
  { value: 'minmax', label: 'Min–max: to [0, 1]' },
  { value: 'robust', label: 'Robust: (x − median) / IQR' },
] as const;
const CLIPS = [
  { value: 'quantile', label: 'Between two quantiles' },
  { value: 'zscore', label: 'Within mean ± z·std' },
] as const;
const TRANSFORMS = [
  { value: 'log1p', label: 'log(1 + x)' },
  { value: 'log', label: 'log(x)' },
  { value: 'sqrt', label: 'Square root' },
  { value: 'power', label: 'Power: x^p' },
] as const;

/** The form of a step that acts on a list of columns: the picker, then the step's own settings. */
export function ColumnStepFields({
  step,
  available,
  onChange,
}: {
  step: ColumnStep;
  available: readonly SchemaColumn[];
  onChange: (patch: StepPatch) => void;
}) {
  const usable = available.filter((c) => accepts(step.kind, c.type));
  return (
    <>
      <ColumnPicker
        available={usable}
        selected={step.columns}
        onChange={(columns) => onChange({ columns })}
      />
      <div className="toolbar">
        <Settings step={step} available={available} onChange={onChange} />
      </div>
    </>
  );
}

function Settings({
  step,
  available,
  onChange,
}: {
  step: ColumnStep;
  available: readonly SchemaColumn[];
  onChange: (patch: StepPatch) => void;
}) {
  switch (step.kind) {
    case 'impute': {
      const categorical = step.columns.some(
        (n) => available.find((c) => c.name === n)?.type === 'categorical',
      );
      return (
        <>
          <SelectField
            label="Fill with"
            testId="step-strategy"
            value={step.strategy}
            options={STRATEGIES}
            onChange={(strategy) => onChange({ strategy })}
          />
          {step.strategy === 'constant' && (
            <ConstantField value={step.value} categorical={categorical} onChange={onChange} />
          )}
        </>
      );
    }
    case 'scale':
      return (
        <SelectField
          label="Method"
          testId="step-method"
          value={step.method}
          options={SCALES}
          onChange={(method) => onChange({ method })}
        />
      );
    case 'clip':
      return (
        <>
          <SelectField
            label="Clip"
            testId="step-method"
            value={step.method}
            options={CLIPS}
            onChange={(method) => onChange({ method })}
          />
          {step.method === 'quantile' ? (
            <>
              <NumberField
                label="Lower quantile"
                testId="step-lower"
                value={step.lower ?? 0.01}
                min={0}
                max={1}
                step={0.01}
                onChange={(lower) => onChange({ lower })}
              />
              <NumberField
                label="Upper quantile"
                testId="step-upper"
                value={step.upper ?? 0.99}
                min={0}
                max={1}
                step={0.01}
                onChange={(upper) => onChange({ upper })}
              />
            </>
          ) : (
            <NumberField
              label="z"
              testId="step-z"
              value={step.z ?? 3}
              min={0}
              step={0.5}
              onChange={(z) => onChange({ z })}
            />
          )}
        </>
      );
    case 'transform':
      return (
        <>
          <SelectField
            label="Function"
            testId="step-method"
            value={step.fn}
            options={TRANSFORMS}
            onChange={(fn) => onChange({ fn })}
          />
          {step.fn === 'power' && (
            <NumberField
              label="Exponent"
              testId="step-exponent"
              value={step.exponent ?? 2}
              onChange={(exponent) => onChange({ exponent })}
            />
          )}
          <span className="muted">Values outside the function’s domain become missing.</span>
        </>
      );
    case 'onehot':
      return (
        <NumberField
          label="At most this many categories per column"
          testId="step-max-categories"
          integer
          min={1}
          max={ONEHOT_CEILING}
          value={step.maxCategories ?? 256}
          onChange={(maxCategories) => onChange({ maxCategories })}
        />
      );
    default:
      return null;
  }
}
