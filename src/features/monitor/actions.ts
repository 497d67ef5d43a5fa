import type { BackendChoice } from '../../bridge/contracts';
import { computeClient, dataClient } from '../../bridge/clients';
import type { DatasetMeta } from '../../engine/data/dataset';
import type { InferLogSummary } from '../../db/inferLog.repo';
import type { DriftRequest, DriftRun, ReferenceRunSummary } from '../../engine/monitor/service';
import { dataStore } from '../../state/dataStore';
import { applyWorkerEvent } from '../../state/gpuStore';

const compute = () => computeClient(applyWorkerEvent);
const data = () => dataClient(() => dataStore.setState({ staleTab: true }));

/** What the monitor page chooses from: runs, stored datasets, models with logged inputs. */
export interface MonitorChoices {
  readonly runs: ReferenceRunSummary[];
  readonly datasets: DatasetMeta[];
  readonly logs: InferLogSummary[];
}

export async function loadChoices(): Promise<MonitorChoices> {
  const [runs, datasets, logs] = await Promise.all([
    compute().listReferenceRuns(),
    data().listDatasets(),
    compute().listInferLogs(),
  ]);
  return { runs, datasets: datasets.filter((d) => d.status === 'ready'), logs };
}

export function driftReport(request: DriftRequest): Promise<DriftRun> {
  return compute().driftReport(request);
}

/** Backend asked for by the page URL (`?backend=cpu|webgpu|auto`), for tests and power users. */
export function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'cpu' || b === 'webgpu' ? b : 'auto';
}
