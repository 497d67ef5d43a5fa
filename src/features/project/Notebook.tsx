import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { CellKind } from '../../engine/project/format';
import { toWorkbenchError } from '../../lib/errors';
import {
  canRedo,
  canUndo,
  cellStatuses,
  deleteCell,
  editCell,
  insertCell,
  moveCell,
  projectStore,
  redo,
  resetProjectStore,
  setProjectName,
  undo,
} from '../../state/projectStore';
import {
  attachToPath,
  exportProjectFile,
  runCells,
  saveNow,
  shareLink,
  startAutosave,
  supplyInNotebook,
} from './actions';
import { checkDoc, idOf } from './cells';
import { CellView } from './CellView';
import { CELL_KINDS, newCellText } from './templates';
import { useUndoShortcuts } from '../useUndoShortcuts';

type Share = { url: string; bytes: number; inlined: string[]; byHash: string[] };

/** The open project: its cells, edited as JSON and checked as a whole, run in order, shared and exported. */
export function Notebook() {
  const s = useStore(projectStore);
  const check = useMemo(() => checkDoc(s.doc), [s.doc]);
  const statuses = useMemo(() => cellStatuses(s), [s]);
  const [addKind, setAddKind] = useState<CellKind>('markdown');
  const [share, setShare] = useState<Share | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useUndoShortcuts(undo, redo);
  useEffect(() => startAutosave(), []);
  const act = (f: () => Promise<unknown>): void => {
    setNote(null);
    f().catch((e: unknown) => setNote(toWorkbenchError(e).message));
  };
  const close = (): void =>
    act(async () => {
      await saveNow();
      resetProjectStore();
    });
  return (
    <section aria-labelledby="notebook-title" data-testid="notebook">
      <h1 id="notebook-title" className="sr-only">
        Project {s.doc.name}
      </h1>
      <div className="toolbar">
        <label className="field">
          Name
          <input
            value={s.doc.name}
            onChange={(e) => setProjectName(e.target.value)}
            data-testid="project-name"
          />
        </label>
        <button type="button" onClick={undo} disabled={!canUndo(s) || s.busy} data-testid="undo">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={!canRedo(s) || s.busy} data-testid="redo">
          Redo
        </button>
        <button
          type="button"
          onClick={() => act(() => runCells(null))}
          disabled={s.busy}
          data-testid="run-all"
        >
          Run all
        </button>
        <button
          type="button"
          onClick={() => act(async () => setShare(await shareLink()))}
          data-testid="copy-link"
        >
          Copy link
        </button>
        <button type="button" onClick={() => act(exportProjectFile)} data-testid="export-project">
          Export project file
        </button>
        <button type="button" onClick={close} disabled={s.busy} data-testid="close-project">
          All projects
        </button>
      </div>
      {share && <ShareBox share={share} />}
      {(note ?? s.error?.message ?? check.docError) && (
        <p className="panel error" role="alert" data-testid="notebook-error">
          {note ?? s.error?.message ?? check.docError}
        </p>
      )}
      <ol className="project-cells">
        {s.doc.cells.map((d, i) => {
          const parsed = check.parsed[i] ?? null;
          const id = idOf(parsed) ?? `#${i + 1}`;
          const stored = s.results[id];
          return (
            <CellView
              key={d.key}
              index={i}
              draft={d}
              cell={check.project?.cells[i] ?? null}
              parsedKind={typeof parsed?.['kind'] === 'string' ? parsed['kind'] : '?'}
              parsedId={id}
              error={check.cellErrors.get(i)}
              status={statuses.get(d.key) ?? 'idle'}
              result={stored?.result}
              artifacts={s.artifacts.filter((a) => a.cellId === id)}
              readOnly={false}
              busy={s.busy}
              onEdit={(text) => editCell(d.key, text)}
              onRun={() => act(() => runCells(i))}
              onMove={(delta) => moveCell(d.key, delta)}
              onDelete={() => deleteCell(d.key)}
              onFile={(file) => {
                const c = check.project?.cells[i];
                if (c?.kind !== 'dataset') return Promise.resolve();
                const src = c.source;
                if ('missing' in src) return supplyInNotebook(d.key, c.id, src.missing, file);
                if ('path' in src) return attachToPath(src.path, file);
                return Promise.resolve();
              }}
            />
          );
        })}
      </ol>
      <div className="toolbar">
        <label className="field">
          New cell
          <select
            value={addKind}
            onChange={(e) => setAddKind(e.target.value as CellKind)}
            data-testid="add-kind"
          >
            {CELL_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="add-cell"
          onClick={() => insertCell(newCellText(addKind, check.parsed, check.parsed))}
        >
          Add cell
        </button>
      </div>
    </section>
  );
}

function ShareBox({ share }: { share: Share }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => {
    navigator.clipboard?.writeText(share.url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }, [share.url]);
  return (
    <div className="panel" data-testid="share-box">
      <label className="field">
        Share link ({share.bytes.toLocaleString('en')} bytes
        {share.inlined.length > 0 ? `; data inline: ${share.inlined.join(', ')}` : ''}
        {share.byHash.length > 0 ? `; data the recipient supplies: ${share.byHash.join(', ')}` : ''})
        <input readOnly value={share.url} data-testid="share-url" onFocus={(e) => e.target.select()} />
      </label>
      <p className="muted" data-testid="share-size" data-bytes={share.bytes}>
        {copied === true ? 'Copied to the clipboard.' : copied === false ? 'Copy the link above.' : ''}
      </p>
    </div>
  );
}
