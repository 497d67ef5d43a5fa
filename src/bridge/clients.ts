import { proxy, wrap, type Remote } from 'comlink';
import type { ComputeApi, DataApi, InferApi, TrainApi, WorkerEvent } from './contracts';
import { installErrorTransfer } from './errorTransfer';
import { WorkbenchError } from '../lib/errors';

/** Errors from workers and the GPU that nobody caught; the e2e harness fails any test that sees one. */
export interface HarnessError {
  readonly source: string;
  readonly message: string;
}

declare global {
  interface Window {
    __WORKBENCH_ERRORS__?: HarnessError[];
  }
}

/** Records an uncaught problem where the test harness (and the console) can see it. */
export function reportHarnessError(source: string, message: string): void {
  (window.__WORKBENCH_ERRORS__ ??= []).push({ source, message });
  console.error(`[workbench:${source}] ${message}`);
}

let compute: Remote<ComputeApi> | null = null;
const workers: Worker[] = [];

/** Stops every worker (before a storage reset, so no connection keeps the database open). */
export function terminateWorkers(): void {
  for (const w of workers.splice(0)) w.terminate();
  compute = null;
  data = null;
  train = null;
  infer = null;
}

/** The compute worker's client, started on first use. Events go to `onEvent`. */
export function computeClient(onEvent: (e: WorkerEvent) => void): Remote<ComputeApi> {
  if (compute !== null) return compute;
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/compute.worker.ts', import.meta.url), {
    type: 'module',
    name: 'compute',
  });
  workers.push(worker);
  worker.addEventListener('error', (e) =>
    reportHarnessError('compute-worker', e.message || 'worker failed to load'),
  );
  worker.addEventListener('messageerror', () =>
    reportHarnessError('compute-worker', 'message could not be decoded'),
  );
  compute = wrap<ComputeApi>(worker);
  void compute.subscribe(
    proxy((e: WorkerEvent) => {
      if (e.type === 'uncaptured-error') reportHarnessError('webgpu', e.message);
      if (e.type === 'worker-error') reportHarnessError('compute-worker', e.message);
      onEvent(e);
    }),
  );
  return compute;
}

let data: Remote<DataApi> | null = null;

/** The data worker's client (imports, the dataset library), started on first use. */
export function dataClient(onVersionChange: () => void): Remote<DataApi> {
  if (data !== null) return data;
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), {
    type: 'module',
    name: 'data',
  });
  worker.addEventListener('error', (e) =>
    reportHarnessError('data-worker', e.message || 'worker failed to load'),
  );
  worker.addEventListener('message', (e: MessageEvent<unknown>) => {
    if ((e.data as { type?: string } | null)?.type === 'storage-versionchange') onVersionChange();
  });
  data = wrap<DataApi>(worker);
  return data;
}

let train: Remote<TrainApi> | null = null;

/** The training worker's client (tfjs lives there), started on first use. */
export function trainClient(): Remote<TrainApi> {
  if (train !== null) return train;
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'train',
  });
  workers.push(worker);
  worker.addEventListener('error', (e) =>
    reportHarnessError('train-worker', e.message || 'worker failed to load'),
  );
  train = wrap<TrainApi>(worker);
  return train;
}

let infer: { worker: Worker; api: Remote<InferApi> } | null = null;

/** The inference worker's client (onnxruntime-web lives there), started on first use; disposable. */
export function inferClient(): Remote<InferApi> {
  if (infer !== null) return infer.api;
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/infer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'infer',
  });
  workers.push(worker);
  worker.addEventListener('error', (e) =>
    reportHarnessError('infer-worker', e.message || 'worker failed to load'),
  );
  infer = { worker, api: wrap<InferApi>(worker) };
  return infer.api;
}

/** Terminates the inference worker at once (a hung or crashed model); the next inferClient() starts afresh. */
export function killInferClient(): void {
  const cur = infer;
  if (cur === null) return;
  infer = null;
  cur.worker.terminate();
  const i = workers.indexOf(cur.worker);
  if (i >= 0) workers.splice(i, 1);
}

/**
 * One call on the inference worker under a watchdog. Untrusted models can hang inside onnxruntime (a
 * synchronous WASM run cannot be interrupted from within its worker), so if the call has not settled within
 * `timeoutMs` the worker is terminated and the call fails with MODEL_REJECTED. Long jobs call `alive()` (e.g.
 * from their progress callback) to re-arm the watchdog. A crashed worker also fails the call, not hang it.
 */
export function inferCall<T>(
  fn: (api: Remote<InferApi>, alive: () => void) => Promise<T>,
  timeoutMs: number,
  what = 'The model',
): Promise<T> {
  const api = inferClient();
  const worker = infer?.worker;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const fail = (message: string): void => {
      clearTimeout(timer);
      worker?.removeEventListener('error', onError);
      killInferClient();
      reject(new WorkbenchError('MODEL_REJECTED', message));
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          fail(
            `${what} did not finish within ${Math.round(timeoutMs / 1000)} s; the inference worker was stopped and a fresh one will start on the next run.`,
          ),
        timeoutMs,
      );
    };
    const onError = (e: ErrorEvent): void =>
      fail(`The inference worker crashed: ${e.message || 'unknown error'}.`);
    worker?.addEventListener('error', onError);
    arm();
    fn(api, arm).then(
      (v) => {
        clearTimeout(timer);
        worker?.removeEventListener('error', onError);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        worker?.removeEventListener('error', onError);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Releases the inference session and terminates its worker; the next inferClient() starts a fresh one. */
export async function releaseInferClient(): Promise<void> {
  const cur = infer;
  if (cur === null) return;
  infer = null;
  try {
    await cur.api.release();
  } finally {
    cur.worker.terminate();
    const i = workers.indexOf(cur.worker);
    if (i >= 0) workers.splice(i, 1);
  }
}
