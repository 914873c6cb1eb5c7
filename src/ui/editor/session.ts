/**
 * Connects the editor's store to the browser's storage: at start-up the
 * saved scenarios and the current work are read back (and the user told when
 * unsaved work was restored); from then on every change is autosaved, and
 * saving, renaming and deleting go through the repository. When storage
 * fails, the repository says so once and the editor carries on in memory.
 */
import { createAutosave, type Autosave } from '../../persist/autosave.ts';
import { canUndo } from '../../persist/history.ts';
import type { WorkStore } from '../../persist/db.ts';
import { openRepository, type Repository } from '../../persist/repository.ts';
import type { CurrentWork, SavedScenario } from '../../persist/work.ts';
import { markSaved, restoreWork, savedListChanged, selectDraft, sessionReady, setStatus, startFrom, storageFailed, useEditorStore, workOf } from './editorStore.ts';

export interface SessionOptions {
  /** The durable store; IndexedDB by default. */
  readonly open?: () => Promise<WorkStore>;
  /** Messages for the page (storage problems, restored work when the editor is not open). */
  readonly notify: (tone: 'info' | 'warning', text: string) => void;
  readonly now?: () => number;
  readonly autosaveDelayMs?: number;
}

let session: { repo: Repository; autosave: Autosave<CurrentWork>; now: () => number } | undefined;

const timeText = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function titleOf(draft: Record<string, unknown>): string {
  return typeof draft.title === 'string' && draft.title.trim() !== '' ? draft.title : 'Untitled scenario';
}

/** Opens storage, restores the work, starts autosaving. Returns a function that flushes and stops. */
export async function startEditorSession(options: SessionOptions): Promise<() => Promise<void>> {
  const now = options.now ?? Date.now;
  const repo = await openRepository({ ...(options.open ? { open: options.open } : {}), onProblem: (text) => {
    storageFailed(text);
    options.notify('warning', text);
  } });
  const work = await repo.loadWork();
  const before = useEditorStore.getState();
  // Edits made while storage was opening are newer than what it holds.
  if (work && !canUndo(before.history) && !before.dirty) {
    restoreWork(work, work.dirty ? `Restored your unsaved work from ${timeText(work.updated)}.` : undefined);
    if (work.dirty) options.notify('info', `Your unsaved work in the editor ("${titleOf(work.history.present)}") was kept; press Edit to go on with it.`);
  }
  sessionReady(await repo.listSaved(), repo.storage());
  const autosave = createAutosave<CurrentWork>((w) => repo.saveWork(w), options.autosaveDelayMs === undefined ? {} : { delayMs: options.autosaveDelayMs });
  const unsubscribe = useEditorStore.subscribe((s, prev) => {
    if (s.history !== prev.history || s.rawText !== prev.rawText || s.selected !== prev.selected || s.savedId !== prev.savedId || s.dirty !== prev.dirty) {
      autosave.schedule(workOf(s, now()));
    }
  });
  const current = { repo, autosave, now };
  session = current;
  return async () => {
    unsubscribe();
    await autosave.dispose();
    if (session === current) session = undefined;
  };
}

/** Writes pending work now (tests; and before the page runs the scenario). */
export function flushWork(): Promise<void> {
  return session?.autosave.flush() ?? Promise.resolve();
}

async function refreshList(repo: Repository): Promise<void> {
  savedListChanged(await repo.listSaved(), repo.storage());
}

function newId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Saves the draft under a new name (or over the saved scenario of that id). */
export async function saveDraftAs(name: string, id: string = newId()): Promise<void> {
  if (!session) return;
  const { repo, now } = session;
  const clean = name.trim() || 'Untitled scenario';
  const saved: SavedScenario = { id, name: clean, scenario: selectDraft(useEditorStore.getState()), updated: now() };
  await repo.putSaved(saved);
  markSaved(id);
  setStatus(`Saved as "${clean}".`);
  await refreshList(repo);
}

/** Saves over the saved scenario the work came from. */
export async function saveDraft(): Promise<void> {
  const { savedId, saved } = useEditorStore.getState();
  const current = saved.find((s) => s.id === savedId);
  if (current) await saveDraftAs(current.name, current.id);
}

export function openSaved(id: string): void {
  const saved = useEditorStore.getState().saved.find((s) => s.id === id);
  if (saved) startFrom(saved.scenario, { savedId: id, status: `Opened "${saved.name}". The work before it is one undo away.` });
}

export async function renameSaved(id: string, name: string): Promise<void> {
  if (!session) return;
  const saved = useEditorStore.getState().saved.find((s) => s.id === id);
  if (!saved || name.trim() === '') return;
  await session.repo.putSaved({ ...saved, name: name.trim(), updated: session.now() });
  await refreshList(session.repo);
}

export async function deleteSaved(id: string): Promise<void> {
  if (!session) return;
  await session.repo.deleteSaved(id);
  await refreshList(session.repo);
}
