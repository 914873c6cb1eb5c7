/**
 * Linear and 2-level stream tables as the driver lays them out and the SMMU
 * indexes them (SMMUv3 spec, "Stream table"; Linux arm_smmu_init_strtab_*):
 * linear STE = STRTAB_BASE + 64 * SID; 2-level L1 index = SID >> SPLIT,
 * L2 index = SID & (2^SPLIT - 1), L1 descriptor = Span | L2Ptr with
 * Span = SPLIT + 1 = 9 (256 STEs per L2 table).
 */
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/evtq.ts';
import { CD_TABLE, PA_BASE, map, probe, reg, s1Cd, s1Ste, s1Table, writeCd, writeSte } from './helpers/smmu.ts';

const ADDR_MASK = 0x000f_ffff_ffff_ffc0n; // STRTAB_BASE.ADDR, L1STD.L2Ptr: bits [51:6]
const BYPASS = { V: 1n, Config: 0b100n };

describe('linear stream table', () => {
  it('is programmed with FMT = 0 and LOG2SIZE, and the probe fills it with abort STEs (V = 1, Config = 0)', () => {
    const e = probe({ streamTable: 'linear', log2size: 8 });
    expect(reg(e, 'STRTAB_BASE_CFG')).toBe(8n);
    const base = reg(e, 'STRTAB_BASE') & ADDR_MASK;
    for (const sid of [0, 77, 255]) expect(e.readMemory64(base + BigInt(sid * 64))).toBe(1n);
  });

  it('puts STE n at STRTAB_BASE + 64n, where the SMMU fetches it', () => {
    const e = probe({ streamTable: 'linear', log2size: 8 });
    const base = reg(e, 'STRTAB_BASE') & ADDR_MASK;
    const w = writeSte(e, 77, BYPASS);
    expect(w.address).toBe(base + 77n * 64n);
    expect(w.words[0]).toBe(0b1001n); // V = 1, Config = 0b100 in bits [3:1]
    const o = observe(e, 77, 0xabc000n).outcome;
    expect(o.trace.ste).toMatchObject({ cached: false, address: base + 77n * 64n, config: 'bypass' });
    expect(o.trace.ste?.l1).toBeUndefined();
  });
});

describe('2-level stream table', () => {
  it('is programmed with FMT = 1, SPLIT = 8 and LOG2SIZE = SIDSIZE (16 on the full preset)', () => {
    const e = probe({ streamTable: '2-level' });
    expect(reg(e, 'STRTAB_BASE_CFG')).toBe((1n << 16n) | (8n << 6n) | 16n);
  });

  it('gives StreamIDs in different 256-STE groups different L2 tables, each behind an L1 descriptor with Span = 9', () => {
    const e = probe({ streamTable: '2-level' });
    const l1 = reg(e, 'STRTAB_BASE') & ADDR_MASK;
    const sids = [0x005, 0x305, 0xa0ff];
    for (const sid of sids) writeSte(e, sid, BYPASS);

    const l2 = sids.map((sid) => {
      const desc = e.readMemory64(l1 + BigInt(sid >> 8) * 8n) as bigint;
      expect(desc & 0x1fn).toBe(9n);
      return desc & ADDR_MASK;
    });
    expect(new Set(l2).size).toBe(3);
    for (const t of l2) expect(t % (256n * 64n)).toBe(0n); // each L2 table is 16KB, naturally aligned

    sids.forEach((sid, i) => {
      const o = observe(e, sid, 0x1000n).outcome;
      expect(o.result).toBe('bypassed');
      expect(o.trace.ste?.l1).toEqual({ address: l1 + BigInt(sid >> 8) * 8n, descriptor: (l2[i] as bigint) | 9n });
      expect(o.trace.ste?.address).toBe((l2[i] as bigint) + BigInt((sid & 0xff) * 64));
    });
  });

  it('shares one L2 table among the StreamIDs of a group, each with its own configuration', () => {
    const e = probe({ streamTable: '2-level' });
    const a = writeSte(e, 0x300, BYPASS);
    const ttb0 = s1Table(e, 't');
    map(e, 't', 0x1000n, PA_BASE);
    const b = writeSte(e, 0x3ff, s1Ste(CD_TABLE));
    writeCd(e, 0x3ff, 0, s1Cd(ttb0, 1));
    expect(b.address - a.address).toBe(0xffn * 64n);
    expect(b.writes.length).toBe(8); // the L1 descriptor was already there: only the STE's eight qwords
    expect(observe(e, 0x300, 0x1000n).outcome).toMatchObject({ result: 'bypassed', output: 0x1000n });
    expect(observe(e, 0x3ff, 0x1000n).outcome).toMatchObject({ result: 'translated', output: PA_BASE });
    // A neighbour never written holds the abort STE the new L2 table was filled with (arm_smmu_init_initial_stes):
    // terminated quietly, no event.
    const quiet = observe(e, 0x301, 0x1000n);
    expect(quiet.outcome).toMatchObject({ result: 'terminated', trace: { ste: { config: 'abort' } } });
    expect(quiet.outcome.event).toBeUndefined();
    expect(quiet.record).toBeUndefined();
  });

  it('works on the QEMU preset (IDR0.ST_LEVEL = 1), with STE words the SMMU reads back unchanged', () => {
    const e = probe({ preset: 'qemu', streamTable: '2-level' });
    expect(Number((reg(e, 'IDR0') >> 27n) & 3n)).toBe(1);
    const w = writeSte(e, 0xbeef, BYPASS);
    const o = observe(e, 0xbeef, 0x1000n).outcome;
    expect(o.trace.ste?.words).toEqual(w.words);
    expect(o.output).toBe(0x1000n);
  });
});
