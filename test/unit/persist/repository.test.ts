import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryStore, openIndexedDbStore, type WorkStore } from '../../../src/persist/db.ts';
import { startHistory, record } from '../../../src/persist/history.ts';
import { openRepository } from '../../../src/persist/repository.ts';
import { readWork, type CurrentWork } from '../../../src/persist/work.ts';

const draft = (title: string) => ({ format: 'iommu-visualizer-scenario', version: 1, title, steps: [] });

function work(titles: string[], dirty = true): CurrentWork {
  let history = startHistory<Record<string, unknown>>(draft(titles[0] ?? 'a'));
  for (const t of titles.slice(1)) history = record(history, draft(t));
  return { history, rawText: undefined, selected: 0, savedId: undefined, dirty, updated: 1_700_000_000_000 };
}

beforeEach(() => {
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});

describe('the IndexedDB store', () => {
  it('keeps saved scenarios and the current work across connections (a reload)', async () => {
    const first = await openIndexedDbStore();
    await first.putSaved({ id: 'a', name: 'Older', scenario: draft('A'), updated: 1 });
    await first.putSaved({ id: 'b', name: 'Newer', scenario: draft('B'), updated: 2 });
    await first.saveWork(work(['one', 'two', 'three']));
    const second = await openIndexedDbStore();
    expect((await second.listSaved()).map((s) => s.name)).toEqual(['Newer', 'Older']);
    const restored = await second.loadWork();
    expect(restored?.history.present).toEqual(draft('three'));
    expect(restored?.history.past).toEqual([draft('one'), draft('two')]);
    expect(restored?.dirty).toBe(true);
    await second.deleteSaved('a');
    expect((await (await openIndexedDbStore()).listSaved()).map((s) => s.id)).toEqual(['b']);
  });

  it('drops records that are not what it wrote', () => {
    expect(readWork(undefined)).toBeUndefined();
    expect(readWork({ history: { present: 'text' } })).toBeUndefined();
    const w = readWork({ history: { past: [draft('a'), 7, null], present: draft('b'), future: 'no' }, selected: -9, dirty: 'yes' });
    expect(w?.history.past).toEqual([draft('a')]);
    expect(w?.history.future).toEqual([]);
    expect(w?.selected).toBe(-1);
    expect(w?.dirty).toBe(false);
  });
});

describe('the repository', () => {
  it('works in memory and says so once when IndexedDB cannot be opened', async () => {
    const problems: string[] = [];
    const repo = await openRepository({ open: () => Promise.reject(new DOMException('The user denied permission to access the database.', 'SecurityError')), onProblem: (m) => problems.push(m) });
    expect(repo.storage()).toBe('memory');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/IndexedDB\) cannot be used \(SecurityError: The user denied/);
    await repo.saveWork(work(['x']));
    expect((await repo.loadWork())?.history.present).toEqual(draft('x'));
  });

  it('carries on in memory when a write fails (quota), telling once, losing nothing of this tab', async () => {
    const durable = memoryStore();
    const failing: WorkStore = { ...durable, saveWork: () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) };
    const problems: string[] = [];
    const repo = await openRepository({ open: () => Promise.resolve(failing), onProblem: (m) => problems.push(m) });
    expect(repo.storage()).toBe('indexeddb');
    await repo.saveWork(work(['first']));
    await repo.saveWork(work(['first', 'second']));
    await repo.putSaved({ id: 's', name: 'Kept', scenario: draft('K'), updated: 3 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/refused to save \(QuotaExceededError/);
    expect(repo.storage()).toBe('memory');
    expect((await repo.loadWork())?.history.present).toEqual(draft('second'));
    expect((await repo.listSaved()).map((s) => s.name)).toEqual(['Kept']);
    // What was written before the failure is still in the durable store; nothing after it was attempted there.
    expect(await durable.listSaved()).toEqual([]);
  });

  it('reads back what an earlier session stored in IndexedDB', async () => {
    const before = await openRepository();
    await before.saveWork(work(['draft 1', 'draft 2']));
    await before.putSaved({ id: 'k', name: 'Mine', scenario: draft('M'), updated: 5 });
    const after = await openRepository();
    expect(after.storage()).toBe('indexeddb');
    expect((await after.loadWork())?.history.present).toEqual(draft('draft 2'));
    expect((await after.listSaved())[0]?.name).toBe('Mine');
  });
});
