/**
 * Entering and leaving presenter mode: the flag, the `?present` in the
 * address bar (a reload or a copied link presents again), and full screen
 * when a click asked for it.
 */
import { setPresenting } from './classroomStore.ts';
import { withPresent } from './classroomParams.ts';

function replaceSearch(search: string): void {
  const { pathname, hash } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
}

/** From a click: full screen too (browsers allow it only from a user gesture). */
export function enterPresenter(fullscreen: boolean): void {
  setPresenting(true);
  replaceSearch(withPresent(window.location.search, true));
  if (fullscreen && !document.fullscreenElement) void document.documentElement.requestFullscreen?.().catch(() => undefined);
}

export function exitPresenter(): void {
  setPresenting(false);
  replaceSearch(withPresent(window.location.search, false));
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}
