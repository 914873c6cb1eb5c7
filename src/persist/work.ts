/**
 * What the editor keeps in the browser: named saved scenarios, and the
 * current work (the scenario being edited with its undo history), written
 * on every change so that a reload or a crash loses nothing.
 *
 * Both are read back from storage that another version of the app, another
 * tab or a broken disk may have written, so reading checks the shape and
 * drops what does not fit rather than trusting it.
 */
import type { History } from './history.ts';

/** A scenario document as edited: plain JSON, possibly not (yet) a valid scenario. */
export type Draft = Readonly<Record<string, unknown>>;

export interface SavedScenario {
  readonly id: string;
  readonly name: string;
  readonly scenario: Draft;
  /** Milliseconds since 1970, when it was last saved. */
  readonly updated: number;
}

export interface CurrentWork {
  readonly history: History<Draft>;
  /** Text in the JSON tab that does not parse (kept as typed); undefined when the tab shows the draft. */
  readonly rawText: string | undefined;
  /** The step selected in the form; -1 for the title and description. */
  readonly selected: number;
  /** The saved scenario this work was opened from or last saved as. */
  readonly savedId: string | undefined;
  /** Changed since it was opened or saved. */
  readonly dirty: boolean;
  readonly updated: number;
}

/** The one key of the current work in its object store. */
export const WORK_KEY = 'current';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isDraft = isRecord as (value: unknown) => value is Draft;

/** A saved scenario as read from storage, or undefined when the record is not one. */
export function readSaved(value: unknown): SavedScenario | undefined {
  if (!isRecord(value)) return undefined;
  const { id, name, scenario, updated } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || !isDraft(scenario)) return undefined;
  return { id, name, scenario, updated: typeof updated === 'number' && Number.isFinite(updated) ? updated : 0 };
}

/** The current work as read from storage; snapshots that are not objects are dropped, a broken record gives undefined. */
export function readWork(value: unknown): CurrentWork | undefined {
  if (!isRecord(value) || !isRecord(value.history)) return undefined;
  const { past, present, future } = value.history;
  if (!isDraft(present)) return undefined;
  const drafts = (list: unknown): Draft[] => (Array.isArray(list) ? list.filter(isDraft) : []);
  return {
    history: { past: drafts(past), present, future: drafts(future), lastKey: undefined },
    rawText: typeof value.rawText === 'string' ? value.rawText : undefined,
    selected: typeof value.selected === 'number' && Number.isInteger(value.selected) && value.selected >= -1 ? value.selected : -1,
    savedId: typeof value.savedId === 'string' ? value.savedId : undefined,
    dirty: value.dirty === true,
    updated: typeof value.updated === 'number' && Number.isFinite(value.updated) ? value.updated : 0,
  };
}
