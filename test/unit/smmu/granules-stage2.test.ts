/**
 * Stage-2 DMA translation (STE.Config = 0b110) with each granule (S2TG:
 * 0 = 4KB, 2 = 16KB, 1 = 64KB). The start level comes from S2SL0 (4KB:
 * 2 - SL0; 16KB/64KB: 3 - SL0, Arm ARM VTCR_EL2.SL0), and when the IPA has
 * more bits than one start-level table resolves, up to 16 tables are
 * concatenated: the start-level index simply has more bits.
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { PA_BASE, map, probe, s2Fields, s2Table, writeSte } from './helpers/smmu.ts';
import { expectWalk, type Level } from './helpers/walk-check.ts';

const L = (level: number, msb: number, lsb: number): Level => ({ level, msb, lsb });

interface Case {
  readonly name: string;
  readonly S2TG: number;
  readonly S2T0SZ: number;
  readonly S2SL0: number;
  readonly shift: number;
  readonly concatenated: number;
  readonly ipa: bigint;
  readonly levels: readonly Level[];
}

const CASES: Case[] = [
  { name: '4KB, 40-bit IPA, SL0 = 1: level 1 with 2 concatenated tables (index IPA[39:30])', S2TG: 0, S2T0SZ: 24, S2SL0: 1, shift: 12, concatenated: 2, ipa: 0xab_cdef_1234n, levels: [L(1, 39, 30), L(2, 29, 21), L(3, 20, 12)] },
  { name: '4KB, 48-bit IPA, SL0 = 2: levels 0-3, no concatenation', S2TG: 0, S2T0SZ: 16, S2SL0: 2, shift: 12, concatenated: 1, ipa: 0x9abc_def0_1234n, levels: [L(0, 47, 39), L(1, 38, 30), L(2, 29, 21), L(3, 20, 12)] },
  { name: '4KB, 32-bit IPA, SL0 = 0: level 2 with 4 concatenated tables (index IPA[31:21])', S2TG: 0, S2T0SZ: 32, S2SL0: 0, shift: 12, concatenated: 4, ipa: 0xfedc_b234n, levels: [L(2, 31, 21), L(3, 20, 12)] },
  { name: '16KB, 40-bit IPA, SL0 = 1: level 2 with 16 concatenated tables (index IPA[39:25])', S2TG: 2, S2T0SZ: 24, S2SL0: 1, shift: 14, concatenated: 16, ipa: 0xab_cdef_1234n, levels: [L(2, 39, 25), L(3, 24, 14)] },
  { name: '16KB, 40-bit IPA, SL0 = 2: a 16-entry level-1 table, then levels 2-3', S2TG: 2, S2T0SZ: 24, S2SL0: 2, shift: 14, concatenated: 1, ipa: 0xab_cdef_1234n, levels: [L(1, 39, 36), L(2, 35, 25), L(3, 24, 14)] },
  { name: '64KB, 40-bit IPA, SL0 = 1: levels 2-3 (index IPA[39:29])', S2TG: 1, S2T0SZ: 24, S2SL0: 1, shift: 16, concatenated: 1, ipa: 0xab_cdef_1234n, levels: [L(2, 39, 29), L(3, 28, 16)] },
  { name: '64KB, 48-bit IPA, SL0 = 2: a 64-entry level-1 table, then levels 2-3', S2TG: 1, S2T0SZ: 16, S2SL0: 2, shift: 16, concatenated: 1, ipa: 0x9abc_def0_1234n, levels: [L(1, 47, 42), L(2, 41, 29), L(3, 28, 16)] },
];

describe('stage 2, page mappings', () => {
  it.each(CASES)('$name', (c) => {
    const e = probe();
    const vtcr = { S2TG: c.S2TG, S2T0SZ: c.S2T0SZ, S2SL0: c.S2SL0 };
    const t = s2Table(e, 's2', vtcr);
    expect(t.startLevel).toBe(c.levels[0]?.level);
    expect(t.concatenated).toBe(c.concatenated);
    // Concatenated tables are one block, aligned to its whole size.
    const granule = 1n << BigInt(c.shift);
    expect(t.S2TTB % (granule * BigInt(c.concatenated))).toBe(0n);

    const offset = c.ipa & (granule - 1n);
    const pa = PA_BASE + 9n * granule;
    map(e, 's2', c.ipa - offset, pa, granule);
    writeSte(e, 3, { V: 1n, Config: 0b110n, ...s2Fields(t, vtcr) });
    const o = observe(e, 3, c.ipa).outcome;
    expect(o.result).toBe('translated');
    expect(o.output).toBe(pa + offset);
    expect(o.trace.walk?.setup).toMatchObject({ granule: Number(granule), inputSize: 64 - c.S2T0SZ, startLevel: c.levels[0]?.level });
    expectWalk(o.trace.walk?.steps ?? [], c.ipa, t.S2TTB, c.levels, c.shift);
  });

  it('reaches the second of two concatenated 4KB tables for IPA[39] = 1', () => {
    const e = probe();
    const vtcr = { S2TG: 0, S2T0SZ: 24, S2SL0: 1 };
    const t = s2Table(e, 's2', vtcr);
    map(e, 's2', 0x80_4000_0000n, PA_BASE);
    map(e, 's2', 0x00_4000_0000n, PA_BASE + 0x1000n);
    writeSte(e, 3, { V: 1n, Config: 0b110n, ...s2Fields(t, vtcr) });
    const high = observe(e, 3, 0x80_4000_0000n).outcome;
    const low = observe(e, 3, 0x00_4000_0000n).outcome;
    expect([high.output, low.output]).toEqual([PA_BASE, PA_BASE + 0x1000n]);
    // Index 0x201 and 0x001: 0x1008 and 0x008 bytes into the 8KB start-level block.
    expect(high.trace.walk?.steps[0]?.descriptorAddress).toBe(t.S2TTB + 0x1008n);
    expect(low.trace.walk?.steps[0]?.descriptorAddress).toBe(t.S2TTB + 0x8n);
  });
});
