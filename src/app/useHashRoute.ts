import { useSyncExternalStore } from 'react';

/** The pages of the app, in navigation order. */
export const ROUTES = [
  { id: 'data', label: 'Data' },
  { id: 'preprocess', label: 'Preprocess' },
  { id: 'train', label: 'Train' },
  { id: 'deploy', label: 'Deploy' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'projects', label: 'Projects' },
  { id: 'device', label: 'Device' },
  { id: 'licenses', label: 'Licences' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

function current(): RouteId {
  const id = window.location.hash.replace(/^#\/?/, '');
  if (id.startsWith('p/')) return 'projects'; // a shared project link: #/p/<data>
  return ROUTES.find((r) => r.id === id)?.id ?? 'data';
}

function subscribe(cb: () => void): () => void {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

/** The current page, from the URL fragment (`#/train`). */
export function useHashRoute(): RouteId {
  return useSyncExternalStore(subscribe, current);
}
