/** One-line summaries of valid cells: what the JSON says, in words (the recipe steps, the model...). */
import type { Cell, DatasetSource, ProjectModel, ProjectStep } from '../../engine/project/format';

const list = (xs: readonly string[]): string => (xs.length <= 3 ? xs.join(', ') : `${xs.length} columns`);

function sourceText(s: DatasetSource): string {
  if ('path' in s) return `file ${s.path}${s.sha256 ? ' (hash checked)' : ''}`;
  if ('paths' in s) return `${s.paths.length} files (${list(s.paths)})`;
  if ('sample' in s) return `built-in sample “${s.sample}”`;
  if ('url' in s) return `downloaded from ${s.url}`;
  if ('inline' in s)
    return `inline CSV (${s.inline.text.split('\n').filter((l) => l !== '').length - 1} rows)`;
  return `to be supplied: ${s.missing.name} (${s.missing.rows} rows, ${s.missing.columns.length} columns)`;
}

export function stepText(s: ProjectStep): string {
  switch (s.kind) {
    case 'split':
      return `split ${Math.round(s.train * 100)}/${Math.round(s.validation * 100)}/${Math.round(s.test * 100)}${s.stratify ? ` stratified by ${s.stratify}` : ''}${s.seed !== undefined ? ` (seed ${s.seed})` : ''}`;
    case 'impute':
      return `impute ${list(s.columns)} (${s.strategy})`;
    case 'onehot':
      return `one-hot ${list(s.columns)}`;
    case 'drop':
      return `drop ${list(s.columns)}`;
    case 'scale':
      return `scale ${list(s.columns)} (${s.method})`;
    default:
      return 'columns' in s ? `${s.kind} ${list(s.columns)}` : s.kind;
  }
}

export function modelText(m: ProjectModel | undefined): string {
  if (m === undefined) return 'default model';
  if (m.kind === 'mlp')
    return `MLP ${m.hidden.map((h) => `${h.units} ${h.activation ?? 'relu'}`).join(' → ') || '(no hidden layer)'}`;
  if (m.kind === 'cnn') return `CNN ${m.conv.map((c) => `${c.filters}×${c.kernel}²`).join(' → ')}`;
  return m.kind === 'linear' ? 'linear regression' : 'logistic regression';
}

/** The summary of a cell (markdown cells are rendered instead: empty). */
export function summaryOf(cell: Cell): string {
  switch (cell.kind) {
    case 'markdown':
      return '';
    case 'dataset':
      return `Data: ${sourceText(cell.source)}${cell.target ? ` · target ${cell.target}` : ''}`;
    case 'preprocess':
      return `Recipe on ${cell.input}: ${cell.steps.map(stepText).join(' · ') || 'no steps'}`;
    case 'train': {
      const opt = cell.optimizer ? `${cell.optimizer.kind} lr ${cell.optimizer.learningRate}` : '';
      return [
        `Train ${modelText(cell.model)} on ${cell.input} → ${cell.target}`,
        opt,
        cell.epochs !== undefined ? `${cell.epochs} epochs` : '',
        cell.batchSize !== undefined ? `batch ${cell.batchSize}` : '',
        cell.seed !== undefined ? `seed ${cell.seed}` : '',
        `backend ${cell.backend ?? 'auto'}`,
      ]
        .filter((x) => x !== '')
        .join(' · ');
    }
    case 'evaluate':
      return `Test-split metrics of ${cell.model}`;
    case 'export':
      return [
        cell.onnx ? `ONNX of ${cell.model} → ${cell.onnx}` : '',
        cell.predictions ? `predictions on ${cell.predictions.dataset} → ${cell.predictions.file}` : '',
      ]
        .filter((x) => x !== '')
        .join(' · ');
    case 'infer':
      return `Run ${'path' in cell.model ? cell.model.path : cell.model.url} (${cell.ep ?? 'auto'}) ${cell.batch ? `over ${cell.batch.dataset}` : `streaming ${cell.stream?.dataset ?? ''}`}`;
    case 'chart':
      return `Chart ${(cell.series ?? ['loss', 'val_loss']).join(', ')} of ${cell.model}${cell.file ? ` → ${cell.file}` : ''}`;
  }
}
