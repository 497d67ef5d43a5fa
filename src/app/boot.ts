import { computeClient, reportHarnessError } from '../bridge/clients';
import { bootData } from '../features/data/actions';
import type { ProjectResults } from '../engine/project/results';
import { toWorkbenchError } from '../lib/errors';
import { applyWorkerEvent, setCapabilities } from '../state/gpuStore';

declare global {
  interface Window {
    /** Diagnostics for the test harness and bug reports: exercise the error paths on purpose. */
    __WORKBENCH_DEBUG__?: { injectBadDispatch(): Promise<void> };
    /** The headless runner's entry (scripts/project.mjs): runs a project document, returns results.json. */
    __workbenchRunProject?: (text: string) => Promise<ProjectResults>;
  }
}

/** Starts the app's work: probe the GPU in the worker, load the built-in sample, compute its statistics. */
export async function boot(): Promise<void> {
  window.addEventListener('unhandledrejection', (e) => reportHarnessError('page', String(e.reason)));
  let booted: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (booted = resolve));
  // A headless run starts after the boot's own work (the sample import) so the two never race.
  window.__workbenchRunProject = async (text) => {
    await ready;
    return (await import('../features/project/headless')).runProjectHeadless(text);
  };
  window.__WORKBENCH_DEBUG__ = {
    injectBadDispatch: () => computeClient(applyWorkerEvent).injectBadDispatch(),
  };
  try {
    setCapabilities(await computeClient(applyWorkerEvent).probe());
  } catch (e) {
    setCapabilities({ available: false, reason: toWorkbenchError(e).message });
  }
  try {
    await bootData();
  } finally {
    booted();
  }
}
