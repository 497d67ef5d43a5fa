import { useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import { projectStore } from '../../state/projectStore';
import { Notebook } from './Notebook';
import { ProjectList } from './ProjectList';
import { SharedProject } from './SharedProject';

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}
const hash = (): string => window.location.hash;

/** #/projects: the list or the open notebook; #/p/<data>: a shared project, read-only. */
export function ProjectsPage() {
  const h = useSyncExternalStore(subscribe, hash);
  const projectId = useStore(projectStore, (s) => s.projectId);
  if (h.startsWith('#/p/')) return <SharedProject fragment={h} />;
  return projectId === null ? <ProjectList /> : <Notebook />;
}
