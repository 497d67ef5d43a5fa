import { useStore } from 'zustand';
import { USER_MESSAGES } from '../../lib/errors';
import { dataStore, selectedDataset } from '../../state/dataStore';
import { CapturePanel } from './CapturePanel';
import { DatasetList } from './DatasetList';
import { DatasetView } from './DatasetView';
import { ImportPanel } from './ImportPanel';
import { StorageRecovery } from './StorageRecovery';

/** The Data stage: import, the dataset library, and the selected dataset. */
export function DataPage() {
  const state = useStore(dataStore);
  const meta = selectedDataset(state);
  const { error, staleTab } = state;
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data</h1>
      {staleTab && (
        <div role="alert" className="panel error">
          The workbench was updated in another tab. Reload this tab to keep working; nothing was lost.
        </div>
      )}
      {error?.code === 'STORAGE_UNAVAILABLE' && <StorageRecovery error={error} />}
      {error !== null && error.code !== 'STORAGE_UNAVAILABLE' && (
        <div role="alert" className="panel error" data-testid="data-error" data-code={error.code}>
          <p>{error.message}</p>
          <p>{USER_MESSAGES[error.code]}</p>
        </div>
      )}
      <div className="data-layout">
        <div>
          <ImportPanel />
          <CapturePanel />
          <DatasetList />
        </div>
        {meta !== null ? (
          <DatasetView key={meta.id} meta={meta} />
        ) : (
          <p>{state.status === 'loading' ? 'Loading…' : 'Choose or import a dataset.'}</p>
        )}
      </div>
    </section>
  );
}
