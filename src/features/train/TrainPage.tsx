import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { dataStore } from '../../state/dataStore';
import { trainStore } from '../../state/trainStore';
import { refreshRuns } from './actions';
import { configIssues, draftDataset, hasImageColumn, resolveConfig, trainBackendFromUrl } from './config';
import { DatasetFields } from './DatasetFields';
import { EvalPanel } from './EvalPanel';
import { LiveCharts } from './LiveCharts';
import { ModelEditor } from './ModelEditor';
import { RunControls } from './RunControls';
import { RunsList } from './RunsList';
import { StartedInfo } from './StartedInfo';
import { SweepPanel } from './SweepPanel';
import { TrainingFields } from './TrainingFields';

/** The Train stage: a model and training settings, a run in the worker with live curves, its evaluation. */
export function TrainPage() {
  const { datasets, selectedId, status: dataStatus } = useStore(dataStore);
  const draft = useStore(trainStore, (s) => s.draft);
  const backend = useStore(trainStore, (s) => s.backend);
  const status = useStore(trainStore, (s) => s.live.status);
  const started = useStore(trainStore, (s) => s.live.started);
  const last = useStore(trainStore, (s) => s.last);
  const ready = useMemo(() => datasets.filter((d) => d.status === 'ready'), [datasets]);
  const meta = draftDataset(draft, ready, selectedId);
  const config = useMemo(
    () => resolveConfig(draft, meta, backend ?? trainBackendFromUrl()),
    [draft, meta, backend],
  );
  const issues = useMemo(() => configIssues(config, meta), [config, meta]);
  const active = status === 'running' || status === 'paused' || status === 'evaluating';

  useEffect(() => {
    void refreshRuns();
  }, []);

  return (
    <section aria-labelledby="train-title" data-testid="train-page">
      <h1 id="train-title">Train</h1>
      <form className="train-form" onSubmit={(e) => e.preventDefault()} aria-label="Training settings">
        <fieldset disabled={active} className="train-settings">
          <legend className="sr-only">Settings (locked while a run goes on)</legend>
          <DatasetFields
            datasets={ready}
            meta={meta}
            config={config}
            loading={dataStatus === 'loading' || dataStatus === 'importing'}
          />
          <ModelEditor model={config.model} imageColumn={hasImageColumn(meta)} />
          <TrainingFields config={config} />
        </fieldset>
      </form>
      <RunControls config={config} issues={issues} />
      {started !== null && <StartedInfo info={started} />}
      <LiveCharts />
      {last !== null && <EvalPanel record={last} />}
      <RunsList />
      <SweepPanel config={config} disabled={active || issues.length > 0} />
    </section>
  );
}
