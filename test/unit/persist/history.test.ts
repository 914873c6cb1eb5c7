import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, HISTORY_CAP, record, redo, sealHistory, startHistory, undo } from '../../../src/persist/history.ts';

describe('undo history', () => {
  it('undoes and redoes edits in order, and a new edit drops what was undone', () => {
    let h = startHistory('a');
    h = record(h, 'b');
    h = record(h, 'c');
    expect(canRedo(h)).toBe(false);
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = record(h, 'x');
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe('b');
  });

  it('merges successive edits of one field into one entry, until another field, an undo or a seal', () => {
    let h = startHistory('');
    for (const text of ['0', '0x', '0x1', '0x10']) h = record(h, text, 'steps[1].iova');
    expect(h.past).toEqual(['']);
    expect(h.present).toBe('0x10');
    h = record(h, '0x10 r', 'steps[1].prot');
    expect(h.past).toEqual(['', '0x10']);
    h = sealHistory(h);
    h = record(h, '0x10 rw', 'steps[1].prot');
    expect(h.past).toEqual(['', '0x10', '0x10 r']);
    h = undo(h);
    h = record(h, 'other', 'steps[1].prot');
    expect(h.past).toEqual(['', '0x10', '0x10 r']);
  });

  it('keeps at most the cap, dropping the oldest', () => {
    let h = startHistory(0);
    for (let i = 1; i <= HISTORY_CAP + 25; i++) h = record(h, i);
    expect(h.past.length).toBe(HISTORY_CAP);
    expect(h.past[0]).toBe(25);
    let undone = h;
    while (canUndo(undone)) undone = undo(undone);
    expect(undone.present).toBe(25);
  });

  it('undo then redo of any run of edits returns to the same present (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 40 }), fc.nat(50), (values, back) => {
        let h = startHistory(-1);
        for (const v of values) h = record(h, v);
        const n = Math.min(back, h.past.length);
        let u = h;
        for (let i = 0; i < n; i++) u = undo(u);
        for (let i = 0; i < n; i++) u = redo(u);
        expect(u.present).toBe(h.present);
        expect(u.past).toEqual(h.past);
      }),
    );
  });
});
