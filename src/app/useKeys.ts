import { useEffect } from 'react';
import { setHelpOpen, setMode, selectSmmuTab, useAppStore } from '../store/appStore.ts';
import type { KeyRow } from '../ui/shell/KeyHelp.tsx';
import { focusView, VIEW_KEYS } from './views.ts';

/** Elements where keys already mean something (a select changes its option, a field takes text, a button presses on space). */
function keysBelongTo(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return true;
  return key === ' ' && (target.tagName === 'BUTTON' || target.getAttribute('role') === 'tab');
}

export const KEY_ROWS: readonly KeyRow[] = [
  { keys: '← / →', action: 'Step back / forward' },
  { keys: 'Space', action: 'Play / pause' },
  ...VIEW_KEYS.map((v) => ({ keys: v.key, action: `Go to: ${v.name}` })),
  { keys: '?', action: 'This list' },
  { keys: 'Escape', action: 'Close this list' },
];

export interface KeyActions {
  readonly onStep: (delta: -1 | 1) => void;
  readonly onTogglePlay: () => void;
}

/** The page's keys: arrows step, space plays, digits jump to views, ? lists the keys. */
export function useKeys({ onStep, onTogglePlay }: KeyActions): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (keysBelongTo(event.target, event.key)) return;
      const state = useAppStore.getState();
      if (state.helpOpen) return;
      if (event.key === '?') {
        event.preventDefault();
        setHelpOpen(true);
        return;
      }
      if (event.shiftKey) return;
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
        event.preventDefault();
        onStep(event.key === 'ArrowLeft' ? -1 : 1);
      } else if (event.key === ' ') {
        if (state.mode !== 'scenario') return;
        event.preventDefault();
        onTogglePlay();
      } else {
        const view = VIEW_KEYS.find((v) => v.key === event.key);
        if (!view) return;
        event.preventDefault();
        setMode(view.mode);
        if (view.smmuTab) selectSmmuTab(view.smmuTab);
        // The view renders on the next frame; focus it then.
        window.requestAnimationFrame(() => focusView(view));
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onStep, onTogglePlay]);
}
