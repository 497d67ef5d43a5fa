import { useEffect } from 'react';

const TEXT_TYPES = new Set(['text', 'number', 'search', 'url', 'email', 'password', 'tel', '']);

/** Whether keys typed now edit text (where Ctrl+Z belongs to the field, not the page's history). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && TEXT_TYPES.has(target.type);
}

/**
 * Ctrl+Z undoes an edit of the page's document (a recipe, a notebook), Ctrl+Shift+Z and Ctrl+Y redo (⌘ on
 * macOS), outside text fields.
 */
export function useUndoShortcuts(undo: () => void, redo: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || inTextField(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) undo();
      else if ((key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey)) redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);
}
