import { createStore } from 'zustand/vanilla';
import type { WorkerEvent } from '../bridge/contracts';
import type { GpuCapabilities } from '../engine/gpu/probe';

/** A notice about the GPU shown to the user. */
export interface GpuNotice {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

/** What the app knows about where work runs. Plain data only. */
export interface GpuState {
  readonly capabilities: GpuCapabilities | null;
  readonly notices: readonly GpuNotice[];
  readonly deviceGeneration: number;
  readonly lossCount: number;
}

export const gpuStore = createStore<GpuState>(() => ({
  capabilities: null,
  notices: [],
  deviceGeneration: 0,
  lossCount: 0,
}));

let noticeId = 0;

/** Stores a capability probe result. */
export function setCapabilities(capabilities: GpuCapabilities): void {
  gpuStore.setState({ capabilities });
}

/** Adds a notice (the last 20 are kept). */
export function addNotice(level: GpuNotice['level'], text: string): void {
  gpuStore.setState((s) => ({ notices: [...s.notices, { id: ++noticeId, level, text }].slice(-20) }));
}

/** Turns a worker event into state and a notice the user can read. */
export function applyWorkerEvent(e: WorkerEvent): void {
  switch (e.type) {
    case 'device-ready':
      gpuStore.setState({ deviceGeneration: e.generation });
      if (e.generation > 1) addNotice('info', `A new WebGPU device (#${e.generation}) is ready.`);
      return;
    case 'device-lost':
      gpuStore.setState((s) => ({ lossCount: s.lossCount + 1 }));
      addNotice('warning', `GPU device #${e.generation} was lost (${e.reason}): ${e.message}`);
      return;
    case 'uncaptured-error':
      addNotice('error', `GPU error: ${e.message}`);
      return;
    case 'worker-error':
      addNotice('error', `Worker error: ${e.message}`);
      return;
  }
}
