/**
 * What a link says about the view: the SMMU tab shown and the selected
 * StreamID. A link from a newer app may name a tab this one lacks; that part
 * is dropped with a warning rather than refusing the whole link.
 */
import type { SmmuTab } from '../store/appStore.ts';

export const LINK_TABS = ['streams', 'cds', 'events', 'commands', 'caches'] as const satisfies readonly SmmuTab[];

export interface LinkView {
  readonly tab: SmmuTab;
  /** The StreamID selected in the stream table (its STE in the inspector, its CD table listed). */
  readonly stream?: number;
}

export const DEFAULT_LINK_VIEW: LinkView = { tab: 'streams' };

/** The store's scenarioId for a scenario that is not a built-in (a share link's, an edited one, a file's). */
export const SHARED_SCENARIO_ID = 'shared';

/** The compact form inside a link: {"tab": "cds", "sid": 3}. */
export function viewToJson(view: LinkView): Record<string, unknown> {
  return view.stream === undefined ? { tab: view.tab } : { tab: view.tab, sid: view.stream };
}

export function viewFromJson(value: unknown): { view: LinkView; warnings: string[] } {
  const warnings: string[] = [];
  if (value === undefined) return { view: DEFAULT_LINK_VIEW, warnings };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { view: DEFAULT_LINK_VIEW, warnings: ['The link\'s view is not an object; the stream table is shown.'] };
  }
  const raw = value as Record<string, unknown>;
  let tab: SmmuTab = DEFAULT_LINK_VIEW.tab;
  if (raw.tab !== undefined) {
    if ((LINK_TABS as readonly unknown[]).includes(raw.tab)) tab = raw.tab as SmmuTab;
    else warnings.push(`The link asks for a view "${String(raw.tab).slice(0, 40)}" this app does not have; the stream table is shown.`);
  }
  const sid = raw.sid;
  if (sid === undefined) return { view: { tab }, warnings };
  if (typeof sid === 'number' && Number.isInteger(sid) && sid >= 0 && sid <= 0xffff_ffff) return { view: { tab, stream: sid }, warnings };
  warnings.push('The link\'s selected StreamID is not a 32-bit whole number; no stream is selected.');
  return { view: { tab }, warnings };
}
