import { expose } from 'comlink';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import type { ComputeApi } from '../src/bridge/contracts';
import { createComputeApi } from '../src/engine/compute/computeApi';

installErrorTransfer();
const api = createComputeApi(self.navigator.gpu);

// Errors the worker does not catch reach the page (and the test harness) as events.
self.addEventListener('error', (e) => api.emit({ type: 'worker-error', message: e.message }));
self.addEventListener('unhandledrejection', (e) =>
  api.emit({ type: 'worker-error', message: String(e.reason) }),
);

expose(api satisfies ComputeApi);
