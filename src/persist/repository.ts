/**
 * The editor's storage as it uses it: IndexedDB when the browser lets it,
 * memory when not. Every write goes to memory first and then to IndexedDB,
 * so when IndexedDB fails half-way (quota, private mode, a disk error) the
 * editor says so once and carries on from memory without losing anything
 * this tab made.
 */
import { memoryStore, openIndexedDbStore, type WorkStore } from './db.ts';
import type { CurrentWork, SavedScenario } from './work.ts';

export type StorageKind = 'indexeddb' | 'memory';

export interface Repository extends WorkStore {
  /** Where things are kept now: 'memory' from the first failure on. */
  readonly storage: () => StorageKind;
}

export interface RepositoryOptions {
  /** Opens the durable store; IndexedDB by default (tests pass failing ones). */
  readonly open?: () => Promise<WorkStore>;
  /** Told once, the first time the durable store fails, in words for the user. */
  readonly onProblem?: (message: string) => void;
}

function reason(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

export async function openRepository({ open = openIndexedDbStore, onProblem }: RepositoryOptions = {}): Promise<Repository> {
  const memory = memoryStore();
  let durable: WorkStore | undefined;
  let told = false;
  const fail = (what: string, error: unknown) => {
    durable = undefined;
    if (told) return;
    told = true;
    onProblem?.(`The browser's storage (IndexedDB) ${what} (${reason(error)}). Your work is kept in this tab only: it will not survive closing or reloading it. Export or copy the JSON to keep it.`);
  };
  try {
    durable = await open();
    // Reads from here on come from memory; seed it with what was stored.
    for (const saved of await durable.listSaved()) await memory.putSaved(saved);
    const work = await durable.loadWork();
    if (work) await memory.saveWork(work);
  } catch (error) {
    fail('cannot be used', error);
  }

  const write = async (run: (store: WorkStore) => Promise<void>) => {
    await run(memory);
    const store = durable;
    if (!store) return;
    try {
      await run(store);
    } catch (error) {
      fail('refused to save', error);
    }
  };

  return {
    storage: () => (durable ? 'indexeddb' : 'memory'),
    listSaved: () => memory.listSaved(),
    loadWork: () => memory.loadWork(),
    putSaved: (saved: SavedScenario) => write((s) => s.putSaved(saved)),
    deleteSaved: (id: string) => write((s) => s.deleteSaved(id)),
    saveWork: (work: CurrentWork) => write((s) => s.saveWork(work)),
  };
}
