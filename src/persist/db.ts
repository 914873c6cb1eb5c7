/**
 * The editor's IndexedDB database: `scenarios` (saved by name) and `work`
 * (the one current-work record). Opened through idb, which turns requests
 * into promises; every way the browser can refuse (no IndexedDB, private
 * mode, a blocked upgrade, quota) ends as a rejected promise the caller
 * turns into one message.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { readSaved, readWork, WORK_KEY, type CurrentWork, type SavedScenario } from './work.ts';

export const DB_NAME = 'iommu-visualizer-editor';
export const DB_VERSION = 1;

interface EditorDb extends DBSchema {
  scenarios: { key: string; value: SavedScenario };
  work: { key: string; value: CurrentWork };
}

/** The storage operations the editor needs; an IndexedDB and an in-memory implementation. */
export interface WorkStore {
  listSaved(): Promise<SavedScenario[]>;
  putSaved(saved: SavedScenario): Promise<void>;
  deleteSaved(id: string): Promise<void>;
  loadWork(): Promise<CurrentWork | undefined>;
  saveWork(work: CurrentWork): Promise<void>;
}

/** Newest first: the list the editor shows. */
export const byNewest = (a: SavedScenario, b: SavedScenario): number => b.updated - a.updated || a.name.localeCompare(b.name);

export async function openIndexedDbStore(): Promise<WorkStore> {
  // Some browsers (and private modes) have no indexedDB at all; others throw on open.
  if (typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB');
  const db = await openDB<EditorDb>(DB_NAME, DB_VERSION, {
    upgrade: createStores,
    // Another tab with an older version open: it closes its connection so this one can upgrade.
    blocking: () => db.close(),
  });
  return {
    async listSaved() {
      const all = await db.getAll('scenarios');
      return all.flatMap((record) => readSaved(record) ?? []).sort(byNewest);
    },
    async putSaved(saved) {
      await db.put('scenarios', saved, saved.id);
    },
    async deleteSaved(id) {
      await db.delete('scenarios', id);
    },
    async loadWork() {
      return readWork(await db.get('work', WORK_KEY));
    },
    async saveWork(work) {
      await db.put('work', work, WORK_KEY);
    },
  };
}

function createStores(db: IDBPDatabase<EditorDb>): void {
  if (!db.objectStoreNames.contains('scenarios')) db.createObjectStore('scenarios');
  if (!db.objectStoreNames.contains('work')) db.createObjectStore('work');
}

/** The same operations in memory: where IndexedDB cannot be used, and as the fallback after it fails. */
export function memoryStore(): WorkStore {
  const saved = new Map<string, SavedScenario>();
  let work: CurrentWork | undefined;
  return {
    listSaved: () => Promise.resolve([...saved.values()].sort(byNewest)),
    putSaved: (s) => {
      saved.set(s.id, s);
      return Promise.resolve();
    },
    deleteSaved: (id) => {
      saved.delete(id);
      return Promise.resolve();
    },
    loadWork: () => Promise.resolve(work),
    saveWork: (w) => {
      work = w;
      return Promise.resolve();
    },
  };
}
