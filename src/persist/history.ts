/**
 * Undo and redo over whole snapshots of what is being edited. Snapshots are
 * immutable and share what did not change, so a hundred of them cost little
 * more than one (IndexedDB's structured clone keeps the sharing too).
 *
 * Typing into one field should be one undo entry, not one per key: an edit
 * may carry a key (the field's path), and an edit with the same key as the
 * one before replaces the newest snapshot instead of adding another.
 */

export interface History<T> {
  /** Older snapshots, oldest first. */
  readonly past: readonly T[];
  readonly present: T;
  /** Undone snapshots, the next one to redo first. */
  readonly future: readonly T[];
  /** The key of the edit that made `present`, while it may still absorb the next edit. */
  readonly lastKey: string | undefined;
}

/** How many undo steps are kept; the oldest are dropped. */
export const HISTORY_CAP = 100;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: undefined };
}

/**
 * `next` becomes the present. With a `key` equal to the previous edit's, the
 * two edits merge into one undo entry. Redo is no longer possible afterwards.
 */
export function record<T>(history: History<T>, next: T, key?: string, cap = HISTORY_CAP): History<T> {
  if (next === history.present) return history;
  if (key !== undefined && key === history.lastKey && history.future.length === 0 && history.past.length > 0) {
    return { ...history, present: next };
  }
  const past = [...history.past, history.present];
  return { past: past.length > cap ? past.slice(past.length - cap) : past, present: next, future: [], lastKey: key };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (history.past.length === 0) return history;
  return { past: history.past.slice(0, -1), present: previous as T, future: [history.present, ...history.future], lastKey: undefined };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (history.future.length === 0) return history;
  return { past: [...history.past, history.present], present: next as T, future: rest, lastKey: undefined };
}

export const canUndo = (history: History<unknown>): boolean => history.past.length > 0;
export const canRedo = (history: History<unknown>): boolean => history.future.length > 0;

/** Ends the current merge, so the next edit starts its own undo entry even with the same key. */
export function sealHistory<T>(history: History<T>): History<T> {
  return history.lastKey === undefined ? history : { ...history, lastKey: undefined };
}
