import { useStore } from 'zustand';
import { gpuStore } from '../state/gpuStore';

/** GPU and worker notices, announced to screen readers as they arrive. */
export function Notices() {
  const notices = useStore(gpuStore, (s) => s.notices);
  return (
    <ul className="notices" aria-live="polite" aria-label="Notices" data-testid="notices">
      {notices.slice(-3).map((n) => (
        <li key={n.id} className={`notice ${n.level}`}>
          {n.text}
        </li>
      ))}
    </ul>
  );
}
