/**
 * The presenter's keys, which clickers send too: PageDown / PageUp (every
 * clicker), arrows, space and Enter / Backspace step; Home / End go to the
 * ends; "b" or "." blanks the screen black, "w" or "," white; + / - / 0
 * zoom; "f" toggles full screen; Escape leaves. Listened for in the capture
 * phase, so the page's own keys (space plays) do not also fire.
 */
import { useEffect } from 'react';
import { useAppStore } from '../../store/appStore.ts';
import { toggleBlank, toggleKeyList, useClassroomStore, zoomBy } from './classroomStore.ts';

export interface PresenterActions {
  readonly onStep: (delta: -1 | 1) => void;
  readonly onGoTo: (step: number) => void;
  readonly onExit: () => void;
}

const FORWARD = new Set(['PageDown', 'ArrowRight', 'ArrowDown', ' ', 'Enter', 'n', 'N']);
const BACK = new Set(['PageUp', 'ArrowLeft', 'ArrowUp', 'Backspace', 'p', 'P']);

export const PRESENTER_KEYS: readonly { readonly keys: string; readonly action: string }[] = [
  { keys: 'Page Down, →, ↓, Space, Enter', action: 'Next step' },
  { keys: 'Page Up, ←, ↑, Backspace', action: 'Previous step' },
  { keys: 'Home / End', action: 'First / last step' },
  { keys: 'B or .', action: 'Black screen (again to show)' },
  { keys: 'W or ,', action: 'White screen (again to show)' },
  { keys: '+ / − / 0', action: 'Larger / smaller / default size' },
  { keys: 'F', action: 'Full screen on / off' },
  { keys: '? or H', action: 'This list' },
  { keys: 'Esc', action: 'Leave presenter mode' },
];

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}

export function usePresenterKeys({ onStep, onGoTo, onExit }: PresenterActions): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || typingIn(event.target)) return;
      const { blank, keyList } = useClassroomStore.getState();
      const handled = (action: () => void) => {
        event.preventDefault();
        event.stopPropagation();
        action();
      };
      if (event.key === 'Escape') return handled(blank ? () => toggleBlank(blank) : keyList ? toggleKeyList : onExit);
      if (event.key === 'b' || event.key === 'B' || event.key === '.') return handled(() => toggleBlank('black'));
      if (event.key === 'w' || event.key === 'W' || event.key === ',') return handled(() => toggleBlank('white'));
      if (FORWARD.has(event.key)) return handled(() => onStep(1));
      if (BACK.has(event.key)) return handled(() => onStep(-1));
      if (event.key === 'Home') return handled(() => onGoTo(0));
      if (event.key === 'End') return handled(() => onGoTo(useAppStore.getState().outline?.stepCount ?? 0));
      if (event.key === '+' || event.key === '=') return handled(() => zoomBy(1));
      if (event.key === '-' || event.key === '_') return handled(() => zoomBy(-1));
      if (event.key === '0') return handled(() => zoomBy(0));
      if (event.key === 'f' || event.key === 'F') return handled(toggleFullscreen);
      if (event.key === '?' || event.key === 'h' || event.key === 'H') return handled(toggleKeyList);
      // Digits and the rest would switch views the presenter does not show.
      if (event.key.length === 1) event.stopPropagation();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [onStep, onGoTo, onExit]);
}

export function toggleFullscreen(): void {
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  else void document.documentElement.requestFullscreen?.().catch(() => undefined);
}
