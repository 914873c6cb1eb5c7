/**
 * Work the first view does not need (the share codec writing the address,
 * the editor's storage) waits for it: until the first step's diagram is on
 * the page (StageView's 'first-diagram' mark), or at once when the page
 * opened on another view (the editor, the decoder), and at most a few
 * seconds (a scenario shown at step 0 has no diagram). Then a moment the
 * browser is idle. Fetching those chunks earlier competes with the first
 * diagram for the network and the main thread (docs/performance.md).
 */
import { useAppStore } from '../../store/appStore.ts';

const FIRST_DIAGRAM_MARK = 'first-diagram';
const POLL_MS = 50;
const LONGEST_WAIT_MS = 3_000;

let firstView: Promise<void> | undefined;

function firstViewShown(): boolean {
  if (useAppStore.getState().mode !== 'scenario') return true;
  return typeof performance !== 'undefined' && typeof performance.getEntriesByName === 'function' && performance.getEntriesByName(FIRST_DIAGRAM_MARK).length > 0;
}

function idle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 500 });
    else setTimeout(resolve, 0);
  });
}

/** Resolves once the first view is on screen (see above); the same promise for every caller. */
export function afterFirstView(): Promise<void> {
  firstView ??= new Promise<void>((resolve) => {
    const started = Date.now();
    const check = () => {
      if (firstViewShown() || Date.now() - started >= LONGEST_WAIT_MS) resolve();
      else setTimeout(check, POLL_MS);
    };
    check();
  }).then(idle);
  return firstView;
}
