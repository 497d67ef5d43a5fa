import { useId } from 'react';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { TrainConfig } from '../../engine/train/spec';
import { DEFAULT_DRAFT, updateDraft } from '../../state/trainStore';
import { SelectField } from '../preprocess/fields';
import { hasImageColumn, targetColumns } from './config';

const TASKS: readonly { value: TrainConfig['task']; label: string }[] = [
  { value: 'auto', label: 'Automatic (from the target)' },
  { value: 'classification', label: 'Classification' },
  { value: 'regression', label: 'Regression' },
];

/** The dataset (ready snapshots), its split, the target column and the task. */
export function DatasetFields({
  datasets,
  meta,
  config,
  loading,
}: {
  datasets: readonly DatasetMeta[];
  meta: DatasetMeta | null;
  config: TrainConfig;
  loading: boolean;
}) {
  const datasetId = useId();
  const choose = (id: string): void => {
    const next = datasets.find((d) => d.id === id) ?? null;
    const cnnLost = config.model.kind === 'cnn' && !hasImageColumn(next);
    updateDraft({ datasetId: id, target: '', ...(cnnLost && { model: DEFAULT_DRAFT.model }) });
  };
  const split = meta?.split;
  return (
    <fieldset className="panel">
      <legend>
        <h2>Data</h2>
      </legend>
      {datasets.length === 0 ? (
        <p>
          {loading ? 'Loading datasets…' : 'No datasets yet: import one on the '}
          {!loading && <a href="#/data">Data page</a>}
        </p>
      ) : (
        <>
          <div className="toolbar">
            <span className="field">
              <label htmlFor={datasetId}>Dataset</label>
              <select
                id={datasetId}
                data-testid="train-dataset"
                value={meta?.id ?? ''}
                onChange={(e) => choose(e.currentTarget.value)}
              >
                {datasets.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </span>
            <SelectField
              label="Target"
              testId="train-target"
              value={config.target}
              options={targetColumns(meta).map((c) => ({ value: c, label: c }))}
              onChange={(target) => updateDraft({ target })}
            />
            <SelectField
              label="Task"
              testId="train-task"
              value={config.task}
              options={TASKS}
              onChange={(task) => updateDraft({ task })}
            />
          </div>
          {meta !== null && (
            <p className="muted" data-testid="train-dataset-summary" data-split={split ? 'yes' : 'no'}>
              {meta.rows.toLocaleString('en-US')} rows, {meta.columns.length} columns.{' '}
              {split !== undefined
                ? `Split: train ${split.train.toLocaleString('en-US')} · validation ${split.validation.toLocaleString('en-US')} · test ${split.test.toLocaleString('en-US')} rows.`
                : 'No stored split.'}
            </p>
          )}
          <p className="muted">
            Models train best on prepared data (missing values filled, numbers scaled, categories encoded, a
            train/validation/test split): prepare it on the <a href="#/preprocess">Preprocess page</a>.
          </p>
        </>
      )}
    </fieldset>
  );
}
