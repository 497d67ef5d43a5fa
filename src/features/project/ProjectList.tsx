import { useCallback, useEffect, useState } from 'react';
import type { ProjectRecord } from '../../db/projects.repo';
import { toWorkbenchError } from '../../lib/errors';
import irisExample from '../../../examples/iris/project.json';
import mnistExample from '../../../examples/mnist/project.json';
import penguinsExample from '../../../examples/penguins/project.json';
import {
  createProject,
  deleteProject,
  duplicateProject,
  importProjectFile,
  listProjects,
  openStored,
  renameProject,
} from './actions';

const BLANK = {
  name: 'Untitled project',
  cells: [{ id: 'intro', kind: 'markdown', text: '# A new project\nAdd cells below.' }],
};

/** Stored projects: open, rename, duplicate, delete (confirmed); new from scratch, an example or a file. */
export function ProjectList() {
  const [records, setRecords] = useState<ProjectRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const refresh = useCallback(() => {
    listProjects().then(setRecords, (e: unknown) => setError(toWorkbenchError(e).message));
  }, []);
  useEffect(refresh, [refresh]);
  const act = (f: () => Promise<unknown>, reload = true): void => {
    setError(null);
    f().then(
      () => reload && refresh(),
      (e: unknown) => setError(toWorkbenchError(e).message),
    );
  };
  return (
    <section aria-labelledby="projects-title" data-testid="project-list">
      <h1 id="projects-title">Projects</h1>
      <p className="panel note">
        A project is a notebook of cells — data, recipe, training, evaluation, export — saved in this browser
        as you edit it, shareable as a link or a project file, and runnable headless with{' '}
        <code>npm run project</code>.
      </p>
      <div className="toolbar">
        <button type="button" data-testid="new-blank" onClick={() => act(() => createProject(BLANK), false)}>
          New project
        </button>
        <button
          type="button"
          data-testid="new-example"
          onClick={() => act(() => createProject(penguinsExample), false)}
        >
          New from the penguins example
        </button>
        <button
          type="button"
          data-testid="new-example-iris"
          onClick={() => act(() => createProject(irisExample), false)}
        >
          Iris example
        </button>
        <button
          type="button"
          data-testid="new-example-mnist"
          onClick={() => act(() => createProject(mnistExample), false)}
        >
          MNIST CNN example
        </button>
        <label className="button">
          Import project file…
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid="import-project"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f !== undefined) act(() => importProjectFile(f), false);
            }}
          />
        </label>
      </div>
      {error && (
        <p className="panel error" role="alert" data-testid="projects-error">
          {error}
        </p>
      )}
      {records === null ? (
        <p className="muted">Loading…</p>
      ) : records.length === 0 ? (
        <p className="muted">No projects yet.</p>
      ) : (
        <ul className="project-list">
          {records.map((r) => (
            <li key={r.id} data-testid="project-item" data-project-id={r.id}>
              {renaming?.id === r.id ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act(() => renameProject(r.id, renaming.name));
                    setRenaming(null);
                  }}
                >
                  <input
                    aria-label="New name"
                    value={renaming.name}
                    onChange={(e) => setRenaming({ id: r.id, name: e.target.value })}
                    data-testid="rename-input"
                  />
                  <button type="submit">Save name</button>
                </form>
              ) : (
                <button
                  type="button"
                  className="project-open"
                  onClick={() => act(() => openStored(r.id), false)}
                >
                  <span data-testid="project-name-item">{r.name}</span>
                </button>
              )}{' '}
              <span className="muted">
                {r.cellState.drafts.length} cells · {new Date(r.updatedAt).toLocaleString()}
              </span>
              <span className="toolbar">
                <button type="button" onClick={() => setRenaming({ id: r.id, name: r.name })}>
                  Rename
                </button>
                <button type="button" onClick={() => act(() => duplicateProject(r.id))}>
                  Duplicate
                </button>
                {confirming === r.id ? (
                  <>
                    <button
                      type="button"
                      data-testid="confirm-delete"
                      onClick={() => {
                        setConfirming(null);
                        act(() => deleteProject(r.id));
                      }}
                    >
                      Delete “{r.name}” for good
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep it
                    </button>
                  </>
                ) : (
                  <button type="button" onClick={() => setConfirming(r.id)}>
                    Delete
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
