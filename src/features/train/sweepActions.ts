import { paramOf, sweepConfigs } from '../../engine/train/sweep';
import type { TrainConfig } from '../../engine/train/spec';
import { toWorkbenchError } from '../../lib/errors';
import { axesOf, sweepStore, type SweepRow } from '../../state/sweepStore';
import { trainStore } from '../../state/trainStore';
import { startTraining } from './actions';

/**
 * Runs every configuration of the grid one after the other in the training worker (the live charts follow
 * each run); each run is stored like any other, and the sweep's table collects their results.
 */
export async function runSweep(base: TrainConfig): Promise<void> {
  if (sweepStore.getState().running) return;
  const axes = axesOf(sweepStore.getState());
  let configs: TrainConfig[];
  try {
    configs = sweepConfigs(base, axes);
  } catch (e) {
    sweepStore.setState({ error: toWorkbenchError(e).toJSON() });
    return;
  }
  const values = (c: TrainConfig): number[] => axes.map((a) => paramOf(c, a.param) ?? 0);
  let rows: SweepRow[] = configs.map((c) => ({ values: values(c), record: null, status: 'waiting' }));
  sweepStore.setState({ rows, params: axes.map((a) => a.param), running: true, error: null });
  const set = (i: number, row: Partial<SweepRow>): void => {
    rows = rows.map((r, k) => (k === i ? { ...r, ...row } : r));
    sweepStore.setState({ rows });
  };
  for (const [i, config] of configs.entries()) {
    set(i, { status: 'running' });
    await startTraining(config);
    const { last, live } = trainStore.getState();
    const ok = live.status === 'done' && last !== null;
    set(i, { status: ok ? 'done' : 'failed', record: ok ? last : null });
    if (!ok || last.status === 'cancelled') break;
  }
  sweepStore.setState({ running: false });
}
