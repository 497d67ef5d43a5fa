/** New cells for the notebook's "Add cell": sensible defaults that point at the nearest earlier cells. */
import type { CellKind } from '../../engine/project/format';
import { idOf } from './cells';

export const CELL_KINDS: readonly { readonly kind: CellKind; readonly label: string }[] = [
  { kind: 'markdown', label: 'Notes (markdown)' },
  { kind: 'dataset', label: 'Dataset' },
  { kind: 'preprocess', label: 'Preprocess' },
  { kind: 'train', label: 'Train' },
  { kind: 'evaluate', label: 'Evaluate' },
  { kind: 'export', label: 'Export' },
  { kind: 'infer', label: 'Infer' },
  { kind: 'chart', label: 'Chart' },
];

type Parsed = Record<string, unknown> | null;

function lastOf(cells: readonly Parsed[], kinds: readonly string[], fallback: string): string {
  for (let i = cells.length - 1; i >= 0; i--) {
    const c = cells[i] ?? null;
    if (c !== null && kinds.includes(String(c['kind']))) return idOf(c) ?? fallback;
  }
  return fallback;
}

/** A fresh cell of `kind` placed after `before` (the cells above it), as pretty JSON. */
export function newCellText(kind: CellKind, before: readonly Parsed[], all: readonly Parsed[]): string {
  const taken = new Set(all.map(idOf).filter((x) => x !== null));
  let n = 1;
  while (taken.has(`${kind}-${n}`)) n++;
  const id = `${kind}-${n}`;
  const data = lastOf(before, ['dataset', 'preprocess'], 'data');
  const dataset = lastOf(before, ['dataset'], 'data');
  const model = lastOf(before, ['train'], 'model');
  const cell: Record<string, unknown> = (() => {
    switch (kind) {
      case 'markdown':
        return { id, kind, text: '## Notes\nWhat this step is for.' };
      case 'dataset':
        return { id, kind, source: { sample: 'penguins' } };
      case 'preprocess':
        return {
          id,
          kind,
          input: data,
          steps: [{ kind: 'split', train: 0.7, validation: 0.15, test: 0.15 }],
        };
      case 'train':
        return {
          id,
          kind,
          input: data,
          target: 'species',
          model: { kind: 'mlp', hidden: [{ units: 16 }] },
          epochs: 10,
        };
      case 'evaluate':
        return { id, kind, model };
      case 'export':
        return { id, kind, model, onnx: `${model}.onnx` };
      case 'infer':
        return { id, kind, model: { path: 'model.onnx' }, batch: { dataset } };
      case 'chart':
        return { id, kind, model, series: ['loss', 'val_loss'] };
    }
  })();
  return JSON.stringify(cell, null, 2);
}
