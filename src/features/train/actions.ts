import { proxy } from 'comlink';
import { trainClient } from '../../bridge/clients';
import type { RunRecord, TrainEvent } from '../../engine/train/run';
import type { TrainConfig } from '../../engine/train/spec';
import { toWorkbenchError } from '../../lib/errors';
import {
  applyTrainEvent,
  beginRun,
  failRun,
  finishRun,
  setInterrupted,
  setRuns,
  trainStore,
} from '../../state/trainStore';

declare global {
  interface Window {
    /** The last finished training run, for the e2e tests. */
    __WORKBENCH_LAST_RUN__?: RunRecord;
  }
}

const fail = (e: unknown): void => failRun(toWorkbenchError(e).toJSON());

/** Runs `go` as the page's run: the live charts follow its events, the record ends it. */
async function runWith(go: (onEvent: (e: TrainEvent) => void) => Promise<RunRecord>): Promise<void> {
  const status = trainStore.getState().live.status;
  if (status === 'running' || status === 'paused' || status === 'evaluating') return;
  beginRun();
  trainStore.setState({ interrupted: [] });
  try {
    const record = await go(proxy((e: TrainEvent) => applyTrainEvent(e)));
    window.__WORKBENCH_LAST_RUN__ = record;
    finishRun(record);
  } catch (e) {
    fail(e);
  }
  await refreshRuns();
}

/** Trains `config` in the training worker; the live charts follow its events. */
export function startTraining(config: TrainConfig): Promise<void> {
  return runWith((onEvent) => trainClient().start(config, onEvent));
}

/** Carries an interrupted run on from its last checkpoint. */
export function resumeInterrupted(runId: string): Promise<void> {
  return runWith((onEvent) => trainClient().resumeRun(runId, onEvent));
}

/** Forgets an interrupted run (deletes its checkpoint). */
export async function discardInterrupted(runId: string): Promise<void> {
  try {
    await trainClient().discardRun(runId);
  } catch (e) {
    trainStore.setState({ error: toWorkbenchError(e).toJSON() });
  }
  await refreshInterrupted();
}

/** Reloads the list of interrupted runs (checkpoints left by a reload or a crash). */
export async function refreshInterrupted(): Promise<void> {
  try {
    setInterrupted(await trainClient().interruptedRuns());
  } catch (e) {
    trainStore.setState({ error: toWorkbenchError(e).toJSON() });
  }
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

/** Reloads the stored runs, and the interrupted ones. */
export async function refreshRuns(): Promise<void> {
  try {
    setRuns(await trainClient().listRuns());
  } catch (e) {
    trainStore.setState({ error: toWorkbenchError(e).toJSON() });
  }
  await refreshInterrupted();
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
