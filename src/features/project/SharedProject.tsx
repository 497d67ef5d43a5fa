import { useEffect, useMemo, useState } from 'react';
import type { Cell, Project } from '../../engine/project/format';
import { decodeProjectLink, missingDatasets } from '../../engine/project/link';
import { toWorkbenchError } from '../../lib/errors';
import { draftsOf } from '../../state/projectStore';
import { createProject, suppliedSource } from './actions';
import { CellView } from './CellView';

interface Supplied {
  readonly source: { path: string; sha256: string };
  readonly bytes: Uint8Array;
}

/** A project opened from a share link: read-only, with "Save a copy" (always a NEW stored project). */
export function SharedProject({ fragment }: { fragment: string }) {
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [supplied, setSupplied] = useState<ReadonlyMap<string, Supplied>>(new Map());
  useEffect(() => {
    decodeProjectLink(fragment).then(setProject, (e: unknown) => setError(toWorkbenchError(e).message));
  }, [fragment]);
  const drafts = useMemo(() => (project === null ? [] : draftsOf(project.cells)), [project]);
  if (error !== null) {
    return (
      <p className="panel error" role="alert" data-testid="shared-error">
        This link could not be opened: {error}
      </p>
    );
  }
  if (project === null) return <p className="muted">Opening the shared project…</p>;
  const missing = missingDatasets(project);
  const saveCopy = (): void => {
    const cells = project.cells.map((c): Cell => {
      const s = supplied.get(c.id);
      return s !== undefined && c.kind === 'dataset' ? { ...c, source: s.source } : c;
    });
    const files = Object.fromEntries([...supplied.values()].map((s) => [s.source.path, s.bytes]));
    createProject({ ...project, cells }, files).then(
      () => {
        window.location.hash = '#/projects';
      },
      (e: unknown) => setError(toWorkbenchError(e).message),
    );
  };
  return (
    <section aria-labelledby="shared-title" data-testid="shared-project">
      <h1 id="shared-title">{project.name}</h1>
      <p className="panel note">
        A shared project, read-only. Save a copy to edit and run it; your existing projects are never
        overwritten.
        {missing.length > 0 &&
          ` It needs ${missing.length === 1 ? 'a data file' : `${missing.length} data files`} from you (checked by hash).`}
      </p>
      {project.description && <p>{project.description}</p>}
      <div className="toolbar">
        <button type="button" onClick={saveCopy} data-testid="save-copy">
          Save a copy
        </button>
      </div>
      <ol className="project-cells">
        {project.cells.map((c, i) => (
          <CellView
            key={drafts[i]?.key ?? c.id}
            index={i}
            draft={drafts[i]!}
            cell={c}
            parsedKind={c.kind}
            parsedId={c.id}
            error={undefined}
            status={supplied.has(c.id) ? 'ok' : 'idle'}
            result={undefined}
            artifacts={[]}
            readOnly
            onFile={async (file) => {
              const m = missing.find((x) => x.cellId === c.id);
              if (m === undefined) return;
              const bytes = new Uint8Array(await file.arrayBuffer());
              const source = await suppliedSource(c.id, m.missing, bytes);
              setSupplied((prev) => new Map(prev).set(c.id, { source, bytes }));
            }}
          />
        ))}
      </ol>
    </section>
  );
}
