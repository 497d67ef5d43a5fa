import type { DatasetMeta } from '../../engine/data/dataset';
import type { TrainConfig } from '../../engine/train/spec';

/** Backend requested by the page URL (`?backend=webgpu|wasm|cpu|auto`), for tests and power users. */
export function trainBackendFromUrl(): TrainConfig['backend'] {
  const b = new URLSearchParams(window.location.search).get('backend');
  return b === 'webgpu' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

/** Whether a dataset can feed a CNN (it has an image column). */
export function hasImageColumn(meta: DatasetMeta | null): boolean {
  return meta?.columns.some((c) => c.type === 'image') ?? false;
}

/** Columns a model can learn to predict (not images or audio). */
export function targetColumns(meta: DatasetMeta | null): readonly string[] {
  return (meta?.columns ?? []).filter((c) => c.type !== 'image' && c.type !== 'audio').map((c) => c.name);
}

/** The dataset's own target, else its last column that can be one. */
export function defaultTarget(meta: DatasetMeta): string {
  const names = targetColumns(meta);
  return meta.target !== null && names.includes(meta.target) ? meta.target : (names.at(-1) ?? '');
}

/** The dataset the draft trains on: its own choice, else the Data page's selection, else the newest. */
export function draftDataset(
  draft: TrainConfig,
  ready: readonly DatasetMeta[],
  selectedId: string | null,
): DatasetMeta | null {
  return (
    ready.find((d) => d.id === draft.datasetId) ?? ready.find((d) => d.id === selectedId) ?? ready[0] ?? null
  );
}

/** The config a run gets: the draft with its dataset, target and backend filled in. */
export function resolveConfig(
  draft: TrainConfig,
  meta: DatasetMeta | null,
  backend: TrainConfig['backend'],
): TrainConfig {
  if (meta === null) return { ...draft, backend };
  const target = targetColumns(meta).includes(draft.target) ? draft.target : defaultTarget(meta);
  return { ...draft, datasetId: meta.id, target, backend };
}

const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;

/** What stops the config from running, in words (empty: it can run). */
export function configIssues(config: TrainConfig, meta: DatasetMeta | null): string[] {
  const issues: string[] = [];
  if (meta === null) return ['Choose a dataset first.'];
  if (config.target === '') issues.push('Choose a target column.');
  if (!positiveInt(config.epochs)) issues.push('Epochs must be a whole number of at least 1.');
  if (!positiveInt(config.batchSize)) issues.push('Batch size must be a whole number of at least 1.');
  if (!(config.optimizer.learningRate > 0)) issues.push('The learning rate must be above 0.');
  if (!(Number.isInteger(config.seed) && config.seed >= 0))
    issues.push('The seed must be a whole number ≥ 0.');
  if (config.earlyStopping !== null && !positiveInt(config.earlyStopping.patience)) {
    issues.push('Early-stopping patience must be a whole number of at least 1.');
  }
  const m = config.model;
  if (m.kind === 'cnn' && !hasImageColumn(meta)) issues.push('A CNN needs a dataset with an image column.');
  const dense = m.kind === 'mlp' ? m.hidden : m.kind === 'cnn' ? m.dense : [];
  if (dense.some((l) => !positiveInt(l.units))) issues.push('Every dense layer needs at least 1 unit.');
  if (dense.some((l) => !((l.dropout ?? 0) >= 0 && (l.dropout ?? 0) < 1))) {
    issues.push('Dropout must be in [0, 1).');
  }
  if (m.kind === 'cnn' && m.conv.some((b) => ![b.filters, b.kernel, b.pool].every(positiveInt))) {
    issues.push('Conv blocks need whole numbers of at least 1 for filters, kernel and pool.');
  }
  if (m.kind === 'cnn' && m.conv.length === 0) issues.push('A CNN needs at least one conv block.');
  return issues;
}
