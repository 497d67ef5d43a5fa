import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import penguins from '../../examples/penguins/project.json';
import { openWorkbenchDb } from '../../src/db/open';
import { ProjectRepo, type ProjectRecord } from '../../src/db/projects.repo';
import type { CellKind } from '../../src/engine/project/format';
import { checkDoc, type DraftDoc } from '../../src/features/project/cells';
import { summaryOf } from '../../src/features/project/summary';
import { CELL_KINDS, newCellText } from '../../src/features/project/templates';
import { draftsOf } from '../../src/state/projectStore';

const record = (id: string, updatedAt: number): ProjectRecord => ({
  id,
  name: `project ${id}`,
  updatedAt,
  project: { name: `project ${id}` },
  cellState: { drafts: ['{"id":"a","kind":"markdown","text":"x"}'], results: {} },
  files: { 'data/x.csv': new Uint8Array([97, 10, 49]) },
});

describe('project repo (IndexedDB v3)', () => {
  it('puts, lists most recent first, reads back files exactly, and deletes', async () => {
    const db = await openWorkbenchDb({ factory: new IDBFactory() });
    const repo = new ProjectRepo(db);
    await repo.put(record('a', 1));
    await repo.put(record('b', 3));
    await repo.put(record('c', 2));
    expect((await repo.list()).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(await repo.get('a')).toEqual(record('a', 1));
    await repo.delete('b');
    expect((await repo.list()).map((r) => r.id)).toEqual(['c', 'a']);
    db.close();
  });
});

describe('notebook: new cells and summaries', () => {
  it.each(CELL_KINDS.map((k) => k.kind))(
    'a new %s cell appended to the penguins example validates',
    (kind: CellKind) => {
      const doc: DraftDoc = { name: 'p', cells: draftsOf(penguins.cells) };
      const before = checkDoc(doc).parsed;
      const text = newCellText(kind, before, before);
      const next = { ...doc, cells: [...doc.cells, { key: 'new', text }] };
      const check = checkDoc(next);
      expect([...check.cellErrors.values()]).toEqual([]);
      expect(check.project?.cells.at(-1)?.kind).toBe(kind);
      expect(check.project?.cells.at(-1)?.id).toBe(`${kind}-1`);
    },
  );

  it('summaries say the recipe steps and the model in words', () => {
    const check = checkDoc({ name: 'p', cells: draftsOf(penguins.cells) });
    const cells = check.project!.cells;
    expect(summaryOf(cells[1]!)).toBe('Data: file penguins.csv');
    expect(summaryOf(cells[2]!)).toContain('drop year · impute 4 columns (median)');
    expect(summaryOf(cells[2]!)).toContain('split 70/15/15 stratified by species (seed 7)');
    expect(summaryOf(cells[3]!)).toContain('Train MLP 16 relu on clean → species');
    expect(summaryOf(cells[5]!)).toBe(
      'ONNX of mlp → penguins.onnx · predictions on penguins → predictions.csv',
    );
  });
});
