/**
 * The views a digit key jumps to. Each names where it lives on the page so
 * the key can scroll it into view and move focus there.
 */
import type { PageMode, SmmuTab } from '../store/appStore.ts';

export interface ViewKey {
  readonly key: string;
  readonly name: string;
  readonly mode: PageMode;
  /** The SMMU tab to select first, for the SMMU structures. */
  readonly smmuTab?: SmmuTab;
  /** CSS selectors tried in order; the first present element is focused. */
  readonly targets: readonly string[];
}

export const VIEW_KEYS: readonly ViewKey[] = [
  { key: '1', name: 'Diagram: walk, DMA path, kernel call', mode: 'scenario', targets: ['#stage-panel'] },
  { key: '2', name: 'Linux topology', mode: 'scenario', targets: ['[data-testid=topology]', '#stage-panel'] },
  { key: '3', name: 'Stream table', mode: 'scenario', smmuTab: 'streams', targets: ['#smmu-tab-streams', '#stage-panel'] },
  { key: '4', name: 'CD table', mode: 'scenario', smmuTab: 'cds', targets: ['#smmu-tab-cds', '#stage-panel'] },
  { key: '5', name: 'Event queue', mode: 'scenario', smmuTab: 'events', targets: ['#smmu-tab-events', '#stage-panel'] },
  { key: '6', name: 'Command queue', mode: 'scenario', smmuTab: 'commands', targets: ['#smmu-tab-commands', '#stage-panel'] },
  { key: '7', name: 'Caches (configuration cache, IOTLB)', mode: 'scenario', smmuTab: 'caches', targets: ['#smmu-tab-caches', '#stage-panel'] },
  { key: '8', name: 'STE / CD decoder', mode: 'decoder', targets: ['#decoder-heading', 'main'] },
  { key: '9', name: 'Inspector', mode: 'scenario', targets: ['#inspector-area', '#stage-panel'] },
];

/** Focuses the first of the view's targets the page has, making it focusable if it is not. */
export function focusView(view: ViewKey, root: ParentNode = document): boolean {
  for (const selector of view.targets) {
    const el = root.querySelector<HTMLElement>(selector);
    if (!el) continue;
    if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
    el.focus({ preventScroll: true });
    el.scrollIntoView?.({ block: 'start', behavior: 'auto' });
    return true;
  }
  return false;
}
