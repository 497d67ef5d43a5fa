import { computeClient, reportHarnessError } from '../bridge/clients';
import { backendFromUrl, computeStats, loadBuiltInSample } from '../features/data/actions';
import { toWorkbenchError } from '../lib/errors';
import { applyWorkerEvent, setCapabilities } from '../state/gpuStore';

/** Starts the app's work: probe the GPU in the worker, load the built-in sample, compute its statistics. */
export async function boot(): Promise<void> {
  window.addEventListener('unhandledrejection', (e) => reportHarnessError('page', String(e.reason)));
  try {
    setCapabilities(await computeClient(applyWorkerEvent).probe());
  } catch (e) {
    setCapabilities({ available: false, reason: toWorkbenchError(e).message });
  }
  await loadBuiltInSample();
  await computeStats(backendFromUrl());
}
