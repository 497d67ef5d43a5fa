import { saveBlob } from '../download';
import { proxy, transfer } from 'comlink';
import type { BackendChoice, ImportProgress } from '../../bridge/contracts';
import { computeClient, dataClient } from '../../bridge/clients';
import type { CapturedSet } from '../../engine/data/ingest/capture';
import { toWorkbenchError } from '../../lib/errors';
import { dataStore } from '../../state/dataStore';
import { applyWorkerEvent } from '../../state/gpuStore';

/** Built-in samples: served from public/samples, imported like any URL. */
export const SAMPLES = [
  { id: 'penguins', label: 'Palmer penguins', path: 'samples/penguins.csv' },
  { id: 'iris', label: 'Iris', path: 'samples/iris.csv' },
  { id: 'breast_cancer', label: 'Breast cancer', path: 'samples/breast_cancer.csv' },
  {
    id: 'mnist',
    label: 'MNIST-3000',
    paths: ['samples/mnist-3000-images-idx3-ubyte.gz', 'samples/mnist-3000-labels-idx1-ubyte.gz'],
  },
] as const;

/** Files that import together as ONE dataset: images, zips of them, IDX files (MNIST), WAV audio. */
const MULTI_FILE = /\.(png|jpe?g|webp|gif|bmp|zip|gz|idx\d?|ubyte|wave?)$|-ubyte$/i;

const data = () => dataClient(() => dataStore.setState({ staleTab: true }));
const compute = () => computeClient(applyWorkerEvent);
const fail = (e: unknown): void =>
  dataStore.setState({ status: 'error', error: toWorkbenchError(e).toJSON(), progress: null });

/** Backend requested by the page URL (`?backend=cpu|webgpu|auto`), for tests and power users. */
export function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'cpu' || b === 'webgpu' ? b : 'auto';
}

/** Reloads the dataset list and the storage estimate. */
export async function refreshDatasets(): Promise<void> {
  const [datasets, storage] = await Promise.all([data().listDatasets(), data().storageInfo()]);
  dataStore.setState({ datasets, storage });
}

/** At start: list what is stored; with nothing stored, import the default sample; show the newest. */
export async function bootData(): Promise<void> {
  dataStore.setState({ status: 'loading', error: null });
  try {
    await refreshDatasets();
    if (dataStore.getState().datasets.length === 0) await importSample('penguins');
    else await selectDataset(dataStore.getState().datasets[0]!.id);
  } catch (e) {
    fail(e);
  }
}

/** Shows a dataset: its statistics (GPU, with the CPU reference beside) and category counts. */
export async function selectDataset(id: string): Promise<void> {
  dataStore.setState({ selectedId: id, run: null, reference: null, categories: null, error: null });
  await computeStats(backendFromUrl());
}

/** Computes statistics of the selected dataset on `backend` and with the CPU reference. */
export async function computeStats(backend: BackendChoice = 'auto'): Promise<void> {
  const id = dataStore.getState().selectedId;
  if (id === null) return;
  dataStore.setState({ status: 'computing', error: null });
  try {
    const run = await compute().datasetStats(id, backend);
    const reference = await compute().datasetStats(id, 'cpu');
    const categories = await data().categoryCounts(id);
    if (dataStore.getState().selectedId !== id) return;
    dataStore.setState({ run, reference, categories, status: 'done' });
  } catch (e) {
    fail(e);
  }
}

async function runImport(start: (onProgress: (p: ImportProgress) => void) => Promise<{ id: string }>) {
  dataStore.setState({ status: 'importing', error: null, progress: null });
  void askPersistence();
  try {
    const meta = await start((p) => dataStore.setState({ progress: p }));
    dataStore.setState({ progress: null });
    await refreshDatasets();
    await selectDataset(meta.id);
  } catch (e) {
    fail(e);
    await refreshDatasets().catch(() => undefined);
  }
}

/**
 * Imports files chosen in the picker or dropped on the page. Images, zips and IDX files become one dataset
 * together (labels from the folders in `paths`, by default each file's webkitRelativePath); other files
 * (CSV, JSON …) are imported one after another, each its own dataset.
 */
export async function importFiles(
  files: readonly File[],
  paths: readonly string[] = files.map((f) => f.webkitRelativePath || f.name),
): Promise<void> {
  if (files.some((f) => MULTI_FILE.test(f.name))) {
    await runImport((onProgress) => data().importFiles([...files], proxy(onProgress), [...paths]));
    return;
  }
  for (const file of files) await runImport((onProgress) => data().importFile(file, proxy(onProgress)));
}

/** Imports from a URL typed by the user. */
export function importFromUrl(url: string): Promise<void> {
  return runImport((onProgress) => data().importUrl(url, proxy(onProgress)));
}

/** Imports one of the built-in samples. */
export function importSample(id: (typeof SAMPLES)[number]['id']): Promise<void> {
  const sample = SAMPLES.find((s) => s.id === id)!;
  if ('paths' in sample) {
    const urls = sample.paths.map((p) => new URL(p, document.baseURI).href);
    return runImport((onProgress) => data().importUrls(urls, proxy(onProgress)));
  }
  return importFromUrl(new URL(sample.path, document.baseURI).href);
}

/**
 * Saves captured frames or clips as one dataset. Their buffers are transferred to the worker (not copied), so
 * the caller's copies are detached afterwards, whether or not the save succeeds.
 */
export function saveCaptured(set: CapturedSet): Promise<void> {
  const buffers = [...(set.images ?? []).map((i) => i.pixels), ...(set.clips ?? []).map((c) => c.samples)];
  return runImport((onProgress) => data().saveCaptured(transfer(set, buffers), proxy(onProgress)));
}

/** Cancels the running import. */
export function cancelImport(): Promise<void> {
  return data().cancelImport();
}

/** Renames, deletes, sets the target of, or exports the selected dataset. */
export async function renameDataset(id: string, name: string): Promise<void> {
  await data().renameDataset(id, name).then(refreshDatasets, fail);
}
export async function deleteDataset(id: string): Promise<void> {
  try {
    await data().deleteDataset(id);
    dataStore.setState({ selectedId: null, run: null, reference: null, categories: null });
    await refreshDatasets();
  } catch (e) {
    fail(e);
  }
}
export async function retypeColumn(id: string, column: string, to: string): Promise<void> {
  try {
    const meta = await data().retypeColumn(id, column, to);
    await refreshDatasets();
    await selectDataset(meta.id);
  } catch (e) {
    fail(e);
  }
}
export async function setTarget(id: string, column: string | null): Promise<void> {
  await data().setTarget(id, column).then(refreshDatasets, fail);
}
export async function exportDataset(id: string, name: string, format: 'csv' | 'jsonl'): Promise<void> {
  try {
    saveBlob(await data().exportDataset(id, format), `${name}.${format}`);
  } catch (e) {
    fail(e);
  }
}

/** Asks the browser to keep our storage (only a window can); the answer is shown next to the storage use. */
async function askPersistence(): Promise<void> {
  const storage = navigator.storage as StorageManager | undefined;
  if (storage?.persist === undefined) return void dataStore.setState({ persistence: 'unsupported' });
  const granted = (await storage.persisted()) || (await storage.persist());
  dataStore.setState({ persistence: granted ? 'granted' : 'denied' });
}
