import type { BackendChoice } from '../../bridge/contracts';
import { computeClient } from '../../bridge/clients';
import { toWorkbenchError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { applyWorkerEvent } from '../../state/gpuStore';

/** The built-in sample the app opens with. */
export const BUILT_IN_SAMPLE = { name: 'Palmer penguins', path: 'samples/penguins.csv' } as const;

function client() {
  return computeClient(applyWorkerEvent);
}

/** Loads the built-in sample into the compute worker. */
export async function loadBuiltInSample(): Promise<void> {
  dataStore.setState({ status: 'loading', error: null });
  try {
    const url = new URL(BUILT_IN_SAMPLE.path, document.baseURI).href;
    const dataset = await client().loadCsvUrl(BUILT_IN_SAMPLE.name, url);
    dataStore.setState({ dataset, status: 'idle', run: null, reference: null });
  } catch (e) {
    dataStore.setState({ status: 'error', error: toWorkbenchError(e).toJSON() });
  }
}

/** Computes statistics on `backend` and, for comparison, with the CPU reference. */
export async function computeStats(backend: BackendChoice = 'auto'): Promise<void> {
  const dataset = dataStore.getState().dataset;
  if (dataset === null) return;
  dataStore.setState({ status: 'computing', error: null });
  try {
    const run = await client().columnStats(dataset.id, backend);
    const reference = await client().columnStats(dataset.id, 'cpu');
    dataStore.setState({ run, reference, status: 'done' });
  } catch (e) {
    dataStore.setState({ status: 'error', error: toWorkbenchError(e).toJSON() });
  }
}

/** Backend requested by the page URL (`?backend=cpu|webgpu|auto`), for tests and power users. */
export function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'cpu' || b === 'webgpu' ? b : 'auto';
}
