import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave } from '../../../src/persist/autosave.ts';

class Page extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('writes the latest value once after a burst of changes', async () => {
    const written: number[] = [];
    const saver = createAutosave<number>(async (v) => void written.push(v), { delayMs: 200, window: new Page(), document: new Page() });
    for (let i = 1; i <= 5; i++) saver.schedule(i);
    await vi.advanceTimersByTimeAsync(199);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([5]);
  });

  it('writes at once when the page is hidden or unloaded', async () => {
    const written: string[] = [];
    const win = new Page();
    const doc = new Page();
    const saver = createAutosave<string>(async (v) => void written.push(v), { delayMs: 10_000, window: win, document: doc });
    saver.schedule('typed');
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['typed']);
    saver.schedule('more');
    win.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['typed', 'more']);
    await saver.dispose();
    saver.schedule('after dispose');
    win.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['typed', 'more']);
  });

  it('keeps writes in order even when an earlier one is slow, and survives a failed one', async () => {
    const written: string[] = [];
    let calls = 0;
    const saver = createAutosave<string>(async (v) => {
      calls++;
      if (calls === 1) await new Promise((r) => setTimeout(r, 500));
      if (v === 'bad') throw new Error('disk full');
      written.push(v);
    }, { delayMs: 10, window: new Page(), document: new Page() });
    saver.schedule('slow');
    await vi.advanceTimersByTimeAsync(10);
    saver.schedule('bad');
    await vi.advanceTimersByTimeAsync(10);
    saver.schedule('last');
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(600);
    await done;
    expect(written).toEqual(['slow', 'last']);
  });
});
