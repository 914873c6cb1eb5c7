/**
 * Ctrl+Z / Cmd+Z undoes an edit, Ctrl+Shift+Z, Cmd+Shift+Z and Ctrl+Y redo
 * it, anywhere in the editor, inputs included: a field's text is part of the
 * draft, so the editor's undo is the one that knows what the field held.
 */
import { useEffect } from 'react';
import { redoEdit, undoEdit } from './editorStore.ts';

export function undoKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | undefined {
  if (event.altKey || !(event.ctrlKey || event.metaKey)) return undefined;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && event.ctrlKey && !event.shiftKey) return 'redo';
  return undefined;
}

export function useEditorKeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = undoKey(event);
      if (!action || event.defaultPrevented) return;
      event.preventDefault();
      if (action === 'undo') undoEdit();
      else redoEdit();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
