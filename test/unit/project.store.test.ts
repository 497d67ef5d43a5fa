import { beforeEach, describe, expect, it } from 'vitest';
import penguins from '../../examples/penguins/project.json';
import { checkDoc, downstreamOf } from '../../src/features/project/cells';
import type { CellResult } from '../../src/engine/project/results';
import {
  attachFile,
  canRedo,
  canUndo,
  cellStatuses,
  COALESCE_MS,
  deleteCell,
  draftsOf,
  editCell,
  insertCell,
  moveCell,
  openProject,
  projectStore,
  recordCell,
  redo,
  resetProjectStore,
  undo,
} from '../../src/state/projectStore';
import { signatures } from '../../src/features/project/cells';

const ok = (id: string, kind: CellResult['kind']): CellResult => ({
  id,
  kind,
  status: 'ok',
  durationMs: 1,
  metrics: {},
  artifacts: [],
  notes: [],
});

function openPenguins(): void {
  openProject('p1', { name: penguins.name, cells: draftsOf(penguins.cells) });
}

/** Records every cell as run ok against the current document. */
function runAll(): void {
  const s = projectStore.getState();
  const check = checkDoc(s.doc);
  const sigs = signatures(s.doc, check.parsed, s.files);
  check.parsed.forEach((c, i) =>
    recordCell(String(c!['id']), ok(String(c!['id']), c!['kind'] as CellResult['kind']), sigs[i]!),
  );
}

const statusById = (): Record<string, string> => {
  const s = projectStore.getState();
  const check = checkDoc(s.doc);
  const st = cellStatuses(s);
  return Object.fromEntries(s.doc.cells.map((c, i) => [String(check.parsed[i]?.['id']), st.get(c.key)!]));
};

const keyOf = (id: string): string => {
  const s = projectStore.getState();
  const i = checkDoc(s.doc).parsed.findIndex((c) => c?.['id'] === id);
  return s.doc.cells[i]!.key;
};

const textOf = (id: string): string =>
  projectStore.getState().doc.cells.find((c) => c.key === keyOf(id))!.text;

beforeEach(resetProjectStore);

describe('project store: validation at the cell', () => {
  it('the penguins example validates as a whole document', () => {
    openPenguins();
    const check = checkDoc(projectStore.getState().doc);
    expect(check.project?.cells.map((c) => c.id)).toEqual([
      'about',
      'penguins',
      'clean',
      'mlp',
      'test',
      'export',
      'curves',
    ]);
    expect(check.cellErrors.size).toBe(0);
  });

  it('broken JSON and a schema error are reported at the cell that has them', () => {
    openPenguins();
    editCell(keyOf('mlp'), textOf('mlp').replace('"epochs": 40', '"epochs": "many"'));
    let check = checkDoc(projectStore.getState().doc);
    expect(check.project).toBeNull();
    expect([...check.cellErrors.keys()]).toEqual([3]);
    expect(check.cellErrors.get(3)).toMatch(/\/cells\/3\/epochs/);
    editCell(keyOf('test'), '{ "id": "test", ');
    check = checkDoc(projectStore.getState().doc);
    expect(check.cellErrors.get(4)).toMatch(/Not valid JSON/);
  });

  it('a reference to a later cell is reported at the referring cell', () => {
    openPenguins();
    moveCell(keyOf('test'), -1); // evaluate now before its train cell
    const check = checkDoc(projectStore.getState().doc);
    expect(check.cellErrors.get(3)).toMatch(/“test”\): model “mlp” is not an earlier cell/);
  });
});

describe('project store: stale propagation', () => {
  it('downstreamOf follows input, model and predictions.dataset transitively', () => {
    openPenguins();
    const parsed = checkDoc(projectStore.getState().doc).parsed;
    expect(downstreamOf(parsed, 1)).toEqual([2, 3, 4, 5, 6]); // penguins → clean → mlp → test/export/curves
    expect(downstreamOf(parsed, 2)).toEqual([3, 4, 5, 6]);
    expect(downstreamOf(parsed, 4)).toEqual([]);
    expect(downstreamOf(parsed, 0)).toEqual([]);
  });

  it('editing a cell makes it and every cell depending on it stale, and nothing else', () => {
    openPenguins();
    runAll();
    expect(Object.values(statusById())).toEqual(Array(7).fill('ok'));
    editCell(keyOf('clean'), textOf('clean').replace('"seed": 7', '"seed": 8'));
    expect(statusById()).toEqual({
      about: 'ok',
      penguins: 'ok',
      clean: 'stale',
      mlp: 'stale',
      test: 'stale',
      export: 'stale',
      curves: 'stale',
    });
  });

  it('editing the dataset stales the export through predictions.dataset even if the model were unchanged', () => {
    openPenguins();
    runAll();
    editCell(keyOf('test'), textOf('test').replace('"test"', '"test2"'));
    expect(statusById()['test2']).toBe('idle');
    expect(statusById()['export']).toBe('ok');
    editCell(keyOf('penguins'), textOf('penguins').replace('}', ', "title": "Raw" }'));
    expect(statusById()['export']).toBe('stale');
    expect(statusById()['about']).toBe('ok');
  });

  it('undoing the edit makes the results fresh again; redo stales them again', () => {
    openPenguins();
    runAll();
    editCell(keyOf('mlp'), textOf('mlp').replace('"epochs": 40', '"epochs": 4'));
    expect(statusById()['curves']).toBe('stale');
    undo();
    expect(Object.values(statusById())).toEqual(Array(7).fill('ok'));
    redo();
    expect(statusById()['mlp']).toBe('stale');
    expect(statusById()['clean']).toBe('ok');
  });
});

describe('project store: attached files', () => {
  it('attaching a different file to a dataset path stales that cell and its dependents', () => {
    openPenguins();
    attachFile('penguins.csv', new Uint8Array([1, 2, 3]));
    runAll();
    attachFile('penguins.csv', new Uint8Array([1, 2, 3]));
    expect(statusById()['penguins']).toBe('ok');
    attachFile('penguins.csv', new Uint8Array([1, 2, 4]));
    expect(statusById()).toMatchObject({ about: 'ok', penguins: 'stale', clean: 'stale', curves: 'stale' });
  });
});

describe('project store: undo and redo', () => {
  it('undo/redo walk insert, move and delete back and forth', () => {
    openPenguins();
    const start = projectStore.getState().doc;
    expect(canUndo(projectStore.getState())).toBe(false);
    insertCell('{"id":"note","kind":"markdown","text":"hi"}', 1);
    const inserted = projectStore.getState().doc;
    moveCell(keyOf('note'), 1);
    const moved = projectStore.getState().doc;
    deleteCell(keyOf('about'));
    expect(projectStore.getState().doc.cells).toHaveLength(7);
    undo();
    expect(projectStore.getState().doc).toBe(moved);
    undo();
    expect(projectStore.getState().doc).toBe(inserted);
    undo();
    expect(projectStore.getState().doc).toBe(start);
    expect(canUndo(projectStore.getState())).toBe(false);
    redo();
    redo();
    expect(projectStore.getState().doc).toBe(moved);
    expect(canRedo(projectStore.getState())).toBe(true);
    insertCell('{"id":"x","kind":"markdown","text":""}');
    expect(canRedo(projectStore.getState())).toBe(false);
  });

  it('keystrokes in one cell within the window are one undo step; a pause or another cell starts a new one', () => {
    openPenguins();
    const k = keyOf('about');
    const original = textOf('about');
    editCell(k, `${original} `, 1000);
    editCell(k, `${original}  `, 1000 + COALESCE_MS - 1);
    expect(projectStore.getState().past).toHaveLength(1);
    editCell(k, `${original}   `, 1000 + 3 * COALESCE_MS);
    expect(projectStore.getState().past).toHaveLength(2);
    undo();
    expect(textOf('about')).toBe(`${original}  `);
    undo();
    expect(textOf('about')).toBe(original);
  });

  it('moving past either end changes nothing and records no step', () => {
    openPenguins();
    moveCell(keyOf('about'), -1);
    moveCell(keyOf('curves'), 1);
    expect(projectStore.getState().past).toHaveLength(0);
  });
});
