/**
 * The classroom parameters of the page's query string: `?present` opens
 * presenter mode, `?embed=<view>` shows one view for an <iframe>,
 * `&captions` adds the narration to an embed, `&theme=light|dark` fixes the
 * theme (a slide deck or a course page picks its own). Reading never
 * throws; what cannot be used becomes a message.
 */
import type { SmmuTab, Theme } from '../../store/appStore.ts';

export type EmbedViewId = 'diagram' | 'topology' | 'stream-table' | 'cd-table' | 'event-queue' | 'command-queue' | 'caches' | 'inspector' | 'decoder';

export interface EmbedView {
  readonly id: EmbedViewId;
  readonly name: string;
  /** The SMMU structure the view shows, for the SMMU panels. */
  readonly smmuTab?: SmmuTab;
}

/** The views of src/app/views.ts (keys 1-9), by the name an embed asks for. */
export const EMBED_VIEWS: readonly EmbedView[] = [
  { id: 'diagram', name: 'Diagram: walk, DMA path, kernel call' },
  { id: 'topology', name: 'Linux topology' },
  { id: 'stream-table', name: 'Stream table', smmuTab: 'streams' },
  { id: 'cd-table', name: 'CD table', smmuTab: 'cds' },
  { id: 'event-queue', name: 'Event queue', smmuTab: 'events' },
  { id: 'command-queue', name: 'Command queue', smmuTab: 'commands' },
  { id: 'caches', name: 'Caches (configuration cache, IOTLB)', smmuTab: 'caches' },
  { id: 'inspector', name: 'Inspector' },
  { id: 'decoder', name: 'STE / CD decoder' },
];

/** Other words people reach for; each means one of the views above. */
const ALIASES: Readonly<Record<string, EmbedViewId>> = { walk: 'diagram', stage: 'diagram', dma: 'diagram', streams: 'stream-table', cds: 'cd-table', events: 'event-queue', commands: 'command-queue' };

export interface ClassroomParams {
  readonly present: boolean;
  readonly embed: EmbedView | undefined;
  readonly captions: boolean;
  readonly theme: Theme | undefined;
  readonly problems: readonly string[];
}

/** A flag is on when present without a value or with any value but 0 / false / no / off. */
function flag(params: URLSearchParams, name: string): boolean {
  const value = params.get(name);
  return value !== null && !/^(0|false|no|off)$/i.test(value.trim());
}

export function readClassroomParams(search: string): ClassroomParams {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  let embed: EmbedView | undefined;
  const embedParam = params.get('embed');
  if (embedParam !== null) {
    const key = embedParam.trim().toLowerCase();
    const id = key === '' ? 'diagram' : (ALIASES[key] ?? key);
    embed = EMBED_VIEWS.find((v) => v.id === id);
    if (!embed) {
      embed = EMBED_VIEWS[0];
      problems.push(`"embed=${embedParam}" names no view; the diagram is shown. Views: ${EMBED_VIEWS.map((v) => v.id).join(', ')}.`);
    }
  }
  const themeParam = params.get('theme')?.trim().toLowerCase();
  let theme: Theme | undefined;
  if (themeParam === 'light' || themeParam === 'dark') theme = themeParam;
  else if (themeParam !== undefined) problems.push(`"theme=${params.get('theme')}" is neither light nor dark; the system's theme is used.`);
  // An embed is one view with its timeline; presenter mode inside an embed would hide it.
  return { present: embed === undefined && flag(params, 'present'), embed, captions: flag(params, 'captions'), theme, problems };
}

/** The query string with presenter mode on or off, keeping every other parameter. */
export function withPresent(search: string, on: boolean): string {
  const params = new URLSearchParams(search);
  if (on) params.set('present', '1');
  else params.delete('present');
  const rest = params.toString();
  return rest === '' ? '' : `?${rest}`;
}

/** The full app's link for what an embed shows: the same query without the embed's own parameters. */
export function fullAppSearch(search: string, step?: number): string {
  const params = new URLSearchParams(search);
  for (const name of ['embed', 'captions']) params.delete(name);
  // A built-in is named in the query with its step; the step shown may be newer than the address.
  if (step !== undefined && params.has('scenario')) params.set('step', String(step));
  const rest = params.toString();
  return rest === '' ? '' : `?${rest}`;
}
