/**
 * The editor's state: the draft with its undo history, which step is
 * selected, the JSON tab's text, and the saved scenarios. Its own store (the
 * app store holds only the engine's projection); the session
 * (session.ts) loads it from the browser's storage and autosaves it.
 */
import { create } from 'zustand';
import { canRedo, canUndo, record, redo, sealHistory, startHistory, undo, type History } from '../../persist/history.ts';
import type { StorageKind } from '../../persist/repository.ts';
import type { CurrentWork, SavedScenario } from '../../persist/work.ts';
import { blankScenario, duplicateStep, moveStep, pathText, removeStep, setAt, stepsOf, type Draft, type Path } from './draft.ts';

export type EditorTab = 'form' | 'json';

export interface EditorState {
  /** False until the session has read the browser's storage. */
  readonly ready: boolean;
  readonly history: History<Draft>;
  /** JSON-tab text that does not parse, kept as typed; undefined when the tab shows the draft. */
  readonly rawText: string | undefined;
  /** The selected step; -1 = the title and description. */
  readonly selected: number;
  readonly tab: EditorTab;
  readonly savedId: string | undefined;
  readonly dirty: boolean;
  readonly saved: readonly SavedScenario[];
  readonly storage: StorageKind | 'opening';
  /** A line about what just happened ("Restored your unsaved work ..."). */
  readonly status: string | undefined;
  /** Why the browser's storage is not used, once it failed. */
  readonly storageProblem: string | undefined;
}

export const initialEditorState: EditorState = {
  ready: false,
  history: startHistory(blankScenario()),
  rawText: undefined,
  selected: -1,
  tab: 'form',
  savedId: undefined,
  dirty: false,
  saved: [],
  storage: 'opening',
  status: undefined,
  storageProblem: undefined,
};

export const useEditorStore = create<EditorState>()(() => initialEditorState);

const set = useEditorStore.setState;
const get = useEditorStore.getState;

export function resetEditorStore(overrides: Partial<EditorState> = {}): void {
  set({ ...initialEditorState, ...overrides }, true);
}

export const selectDraft = (s: EditorState): Draft => s.history.present;
export const selectCanUndo = (s: EditorState): boolean => canUndo(s.history);
export const selectCanRedo = (s: EditorState): boolean => canRedo(s.history);

/** The work as it is written to storage. */
export function workOf(s: EditorState, now: number): CurrentWork {
  return { history: s.history, rawText: s.rawText, selected: s.selected, savedId: s.savedId, dirty: s.dirty, updated: now };
}

/** The draft after an edit; `key` merges successive edits of one field into one undo entry. */
export function editDraft(next: Draft, key?: string): void {
  set((s) => ({ history: record(s.history, next, key), rawText: undefined, dirty: true, status: undefined }));
}

export function editAt(path: Path, value: unknown): void {
  editDraft(setAt(get().history.present, path, value), pathText(path));
}

const clampSelection = (selected: number, draft: Draft) => Math.min(selected, stepsOf(draft).length - 1);

/**
 * The step to show after an undo or redo: the first one that changed (drafts
 * share unchanged steps, so a reference comparison finds it), or the
 * selection as it was when only the title or description changed.
 */
export function changedStep(before: Draft, after: Draft, selected: number): number {
  const a = stepsOf(before);
  const b = stepsOf(after);
  const first = b.findIndex((step, i) => step !== a[i]);
  if (first >= 0) return first;
  if (b.length < a.length) return b.length - 1;
  return clampSelection(selected, after);
}

function travel(move: (h: History<Draft>) => History<Draft>): void {
  set((s) => {
    const history = move(s.history);
    if (history === s.history) return s;
    return { history, rawText: undefined, dirty: true, selected: changedStep(s.history.present, history.present, s.selected), status: undefined };
  });
}

export function undoEdit(): void {
  travel(undo);
}

export function redoEdit(): void {
  travel(redo);
}

/** Starts a new undo entry for the next edit even in the same field (a field lost focus). */
export function sealEdit(): void {
  set((s) => ({ history: sealHistory(s.history) }));
}

export function selectStep(index: number): void {
  set({ selected: index });
}

export function setTab(tab: EditorTab): void {
  set({ tab });
}

export function setStatus(status: string | undefined): void {
  set({ status });
}

export function removeStepAt(index: number): void {
  const draft = get().history.present;
  const next = removeStep(draft, index);
  editDraft(next);
  set((s) => ({ selected: clampSelection(s.selected, next) }));
}

export function moveStepBy(index: number, delta: -1 | 1): void {
  const draft = get().history.present;
  const next = moveStep(draft, index, delta);
  if (next === draft) return;
  editDraft(next);
  set({ selected: index + delta });
}

export function duplicateStepAt(index: number): void {
  editDraft(duplicateStep(get().history.present, index));
  set({ selected: index + 1 });
}

/** Text typed in the JSON tab: when it parses to an object it becomes the draft (one undo entry per stretch of typing). */
export function setRawText(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    set({ rawText: text, dirty: true, status: undefined });
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    set({ rawText: text, dirty: true, status: undefined });
    return;
  }
  editDraft(value as Draft, 'json');
  set({ rawText: text });
}

/** Replaces the draft with another scenario; the old one stays one undo away. */
export function startFrom(draft: Draft, options: { savedId?: string; status?: string } = {}): void {
  set((s) => ({
    history: record(s.history, draft),
    rawText: undefined,
    selected: -1,
    savedId: options.savedId,
    dirty: false,
    status: options.status,
  }));
}

export function restoreWork(work: CurrentWork, status: string | undefined): void {
  set({ history: work.history, rawText: work.rawText, selected: clampSelection(work.selected, work.history.present), savedId: work.savedId, dirty: work.dirty, status });
}

export function sessionReady(saved: readonly SavedScenario[], storage: StorageKind): void {
  set({ ready: true, saved, storage });
}

export function savedListChanged(saved: readonly SavedScenario[], storage: StorageKind): void {
  set({ saved, storage });
}

export function storageFailed(problem: string): void {
  set({ storage: 'memory', storageProblem: problem });
}

export function markSaved(savedId: string): void {
  set({ savedId, dirty: false });
}

export { canRedo, canUndo };
