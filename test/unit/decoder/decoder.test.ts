import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntry, editEntryField, parseEntryWords } from '../../../src/engine/index.ts';

// Linux's arm_smmu_make_cdtable_ste for a linear CD table at 0x8_1234_0000,
// written out by hand: V | Config=5 (S1 translate) << 1 | S1ContextPtr; S1DSS=0,
// S1CIR=S1COR=WBRA (1), S1CSH=ISH (3), STRW=NS-EL1.
const S1_STE = [0x0000_0008_1234_000bn, (3n << 6n) | (1n << 4n) | (1n << 2n), 0n, 0n, 0n, 0n, 0n, 0n];

describe('the STE/CD decoder', () => {
  it('names every STE field with its value and meaning, and marks what stage 1 uses', () => {
    const d = decodeEntry('STE', S1_STE);
    const f = (name: string) => d.fields.find((x) => x.spec.name === name);
    expect(f('Config')).toMatchObject({ value: 5n, meaning: 'stage 1 translate, stage 2 bypass', used: true });
    expect(f('S1ContextPtr')?.value).toBe(0x8_1234_0000n);
    expect(f('S1CSH')).toMatchObject({ value: 3n, meaning: 'Inner Shareable', used: true });
    expect(f('S2TTB')?.used).toBe(false);
    expect(d.verdict).toEqual({ ok: true, summary: expect.stringContaining('stage 1 (CD table at PA 0x812340000, one CD)') });
    expect(d.unnamed.every((w) => w === 0n)).toBe(true);
  });

  it('says why an STE is ILLEGAL, naming the field', () => {
    const bad = editEntryField('STE', S1_STE, 'S1CDMax', 21n); // the full preset has 20-bit SubstreamIDs
    expect(decodeEntry('STE', bad).verdict).toMatchObject({ ok: false, event: 'C_BAD_STE', field: 'S1CDMax' });
    // The reserved S1Fmt = 0b11 is not ILLEGAL: it behaves as a linear table.
    expect(decodeEntry('STE', editEntryField('STE', S1_STE, 'S1Fmt', 3n)).verdict.ok).toBe(true);
    expect(decodeEntry('STE', [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]).verdict).toMatchObject({ ok: false, field: 'V' });
  });

  it('decodes a CD and refuses one the SMMU would reject', () => {
    const words = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
    let cd = words;
    for (const [name, value] of [['T0SZ', 16n], ['TG0', 0n], ['IPS', 5n], ['EPD1', 1n], ['V', 1n], ['AA64', 1n], ['R', 1n], ['A', 1n], ['ASID', 7n], ['TTB0', 0x4000_0000n]] as const) {
      cd = editEntryField('CD', cd, name, value);
    }
    expect(decodeEntry('CD', cd).verdict).toEqual({ ok: true, summary: 'valid: ASID 7, 4KB granule, 48-bit input, walk starts at level 0' });
    expect(decodeEntry('CD', editEntryField('CD', cd, 'TG0', 3n)).verdict).toMatchObject({ ok: false, event: 'C_BAD_CD', field: 'TG0' });
  });

  it('flags set bits that no field covers', () => {
    // STE bits [58:56] are RES0 (between S1ContextPtr and S1CDMax); qword 7 is all S2POI.
    const d = decodeEntry('STE', [S1_STE[0]! | (1n << 57n), ...S1_STE.slice(1, 7), 0x8000n]);
    expect(d.unnamed[0]).toBe(1n << 57n);
    expect(d.unnamed[7]).toBe(0n);
    expect(d.fields.find((f) => f.spec.name === 'S2POI')?.value).toBe(0x8000n);
  });

  it('refuses a value that does not fit its field, naming it', () => {
    expect(() => editEntryField('STE', S1_STE, 'S1CDMax', 32n)).toThrow(/S1CDMax is 5 bits wide \[63:59\]/);
    expect(() => editEntryField('STE', S1_STE, 'S1ContextPtr', 0x1001n)).toThrow(/S1ContextPtr holds address bits \[51:6\]/);
    expect(() => editEntryField('CD', S1_STE, 'Nope', 1n)).toThrow(/no field named Nope/);
  });
});

describe('parsing pasted words', () => {
  it('reads eight 64-bit words in the forms people paste', () => {
    const text = 'STE 0x12:\n0x000000081234000b 0x00000000000000d4\n[2]: 0 0 0, 0 0 0';
    expect(parseEntryWords(text)).toEqual({ ok: true, words: S1_STE });
  });

  it('reads sixteen 32-bit words low word first, as QEMU prints them', () => {
    const text = '1234000b 00000008 000000d4 0 0 0 0 0 0 0 0 0 0 0 0 0';
    expect(parseEntryWords(text)).toEqual({ ok: true, words: S1_STE });
  });

  it('says what is wrong and where', () => {
    expect(parseEntryWords('1 2 3')).toEqual({ ok: false, message: 'expected 8 64-bit words (or 16 32-bit words); found 3 words' });
    expect(parseEntryWords('1 2 3 4 zz 6 7 8')).toEqual({ ok: false, message: 'word 5 "zz" is not a hex number', position: 8 });
    expect(parseEntryWords('1 2 3 4 5 6 7 0x11112222333344445')).toMatchObject({ ok: false, message: expect.stringMatching(/more than 16 hex digits/) });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => {
      const r = parseEntryWords(t);
      expect(typeof r.ok).toBe('boolean');
    }));
  });

  it('round-trips any eight words through their hex text', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 8, maxLength: 8 }), (words) => {
      expect(parseEntryWords(words.map((w) => `0x${w.toString(16)}`).join('\n'))).toEqual({ ok: true, words });
    }));
  });
});
