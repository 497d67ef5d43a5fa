import { proxy } from 'comlink';
import { trainClient } from '../../bridge/clients';
import type { RunRecord, TrainEvent } from '../../engine/train/run';
import type { TrainConfig } from '../../engine/train/spec';
import { toWorkbenchError } from '../../lib/errors';
import { applyTrainEvent, beginRun, failRun, finishRun, setRuns, trainStore } from '../../state/trainStore';

declare global {
  interface Window {
    /** The last finished training run, for the e2e tests. */
    __WORKBENCH_LAST_RUN__?: RunRecord;
  }
}

const fail = (e: unknown): void => failRun(toWorkbenchError(e).toJSON());

/** Trains `config` in the training worker; the live charts follow its events. */
export async function startTraining(config: TrainConfig): Promise<void> {
  const status = trainStore.getState().live.status;
  if (status === 'running' || status === 'paused' || status === 'evaluating') return;
  beginRun();
  try {
    const record = await trainClient().start(
      config,
      proxy((e: TrainEvent) => applyTrainEvent(e)),
    );
    window.__WORKBENCH_LAST_RUN__ = record;
    finishRun(record);
  } catch (e) {
    fail(e);
  }
  await refreshRuns();
}

export async function pauseTraining(): Promise<void> {
  try {
    await trainClient().pause();
    const { live } = trainStore.getState();
    if (live.status === 'running') trainStore.setState({ live: { ...live, status: 'paused' } });
  } catch (e) {
    fail(e);
  }
}

export async function resumeTraining(): Promise<void> {
  try {
    await trainClient().resume();
    const { live } = trainStore.getState();
    if (live.status === 'paused') trainStore.setState({ live: { ...live, status: 'running' } });
  } catch (e) {
    fail(e);
  }
}

/** Asks the run to stop; it ends with a 'cancelled' record. */
export async function cancelTraining(): Promise<void> {
  await trainClient().cancel().catch(fail);
}

/** Reloads the stored runs. */
export async function refreshRuns(): Promise<void> {
  try {
    setRuns(await trainClient().listRuns());
  } catch (e) {
    trainStore.setState({ error: toWorkbenchError(e).toJSON() });
  }
}

export async function deleteRun(id: string): Promise<void> {
  try {
    await trainClient().deleteRun(id);
    if (trainStore.getState().last?.id === id) trainStore.setState({ last: null });
  } catch (e) {
    trainStore.setState({ error: toWorkbenchError(e).toJSON() });
  }
  await refreshRuns();
}
