/**
 * Presenter and embed state: whether the page presents, is blanked or is
 * an embed, and how large the presenter draws. Kept apart from the app
 * store: none of it is about the scenario.
 */
import { create } from 'zustand';
import { type EmbedView, readClassroomParams } from './classroomParams.ts';

export type Blank = 'black' | 'white' | undefined;

export interface ClassroomState {
  readonly presenting: boolean;
  readonly blank: Blank;
  /** The presenter's own zoom on top of fitting the diagram to the screen (1 = fitted). */
  readonly zoom: number;
  readonly embed: EmbedView | undefined;
  readonly captions: boolean;
  /** The presenter's key list is shown. */
  readonly keyList: boolean;
}

export const ZOOM_STEPS = [0.6, 0.75, 0.9, 1, 1.15, 1.3, 1.5, 1.75, 2] as const;
export const DEFAULT_ZOOM = 1;

function fromUrl(): ClassroomState {
  const search = typeof window === 'undefined' ? '' : window.location.search;
  const params = readClassroomParams(search);
  return { presenting: params.present, blank: undefined, zoom: DEFAULT_ZOOM, embed: params.embed, captions: params.captions, keyList: false };
}

export const useClassroomStore = create<ClassroomState>()(fromUrl);

export function setPresenting(presenting: boolean): void {
  useClassroomStore.setState({ presenting, blank: undefined, keyList: false });
}

export function toggleKeyList(): void {
  useClassroomStore.setState((s) => ({ keyList: !s.keyList }));
}

/** Toggles the blank screen of that colour (a clicker's "b", or ".", or "w"). */
export function toggleBlank(colour: 'black' | 'white'): void {
  useClassroomStore.setState((s) => ({ blank: s.blank === colour ? undefined : colour }));
}

export function zoomBy(direction: -1 | 1 | 0): void {
  useClassroomStore.setState((s) => {
    if (direction === 0) return { zoom: DEFAULT_ZOOM };
    const index = ZOOM_STEPS.findIndex((z) => z >= s.zoom - 1e-9);
    const next = ZOOM_STEPS[Math.min(Math.max((index < 0 ? ZOOM_STEPS.length - 1 : index) + direction, 0), ZOOM_STEPS.length - 1)];
    return { zoom: next ?? s.zoom };
  });
}

/** Tests start each case from the URL they set. */
export function resetClassroomStore(): void {
  useClassroomStore.setState(fromUrl(), true);
}
