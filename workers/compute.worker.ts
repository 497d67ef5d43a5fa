import { expose } from 'comlink';
import type { ComputeApi } from '../src/bridge/contracts';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import { openWorkbenchDb } from '../src/db/open';
import { createComputeApi } from '../src/engine/compute/computeApi';
import { GpuContext } from '../src/engine/gpu/context';
import { createMonitorService } from '../src/engine/monitor/service';

installErrorTransfer();
const db = openWorkbenchDb();
db.catch(() => undefined); // reported by the calls that need it
const api = createComputeApi(self.navigator.gpu, db);

// Errors the worker does not catch reach the page (and the test harness) as events.
self.addEventListener('error', (e) => api.emit({ type: 'worker-error', message: e.message }));
self.addEventListener('unhandledrejection', (e) =>
  api.emit({ type: 'worker-error', message: String(e.reason) }),
);

// Drift checks (monitor stage) keep their own GPU context; its events go the same way.
const monitor = createMonitorService(new GpuContext(self.navigator.gpu, { onEvent: (e) => api.emit(e) }), db);
expose({ ...api, ...monitor } satisfies ComputeApi);
