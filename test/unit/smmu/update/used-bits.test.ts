/**
 * Used-bit masks against the GENMASK values of Linux's arm-smmu-v3.h, written
 * out by hand here (not rebuilt from our field table, which would only test
 * the table against itself).
 */
import { describe, expect, it } from 'vitest';
import {
  cdUsedBits,
  makeAbortSte,
  makeBypassSte,
  makeNestedSte,
  steUpdateSafeBits,
  steUsedBits,
} from '../../../../src/engine/hw/smmu/update/index.ts';
import { BYPASS, KUNIT_S2, SSID0, kunitCdTableSte, kunitS1Cd, kunitS2Ste, kunitSvaCd, KUNIT_CDTAB } from './fixtures.ts';

const Z = 0n;
/** STRTAB_STE_0_V | STRTAB_STE_0_CFG */
const STE_Q0_VALID = 0xfn;
/** + S1FMT (5:4), S1CTXPTR (51:6), S1CDMAX (63:59) */
const STE_Q0_S1 = 0xf80f_ffff_ffff_ffffn;
/** S1DSS|S1CIR|S1COR|S1CSH (7:0), MEV (19), S1STALLD (27), EATS (29:28), STRW (31:30) */
const STE_Q1_S1 = 0xf808_00ffn;
/** STRTAB_STE_1_SHCFG (45:44) */
const SHCFG = 0x3000_0000_0000n;
/** S2FWB (25) | EATS | SHCFG | MEV */
const STE_Q1_S2 = 0x3000_3208_0000n;
/** S2VMID (15:0), VTCR (50:32), S2AA64 (51), S2ENDI (52), S2PTW (54), S2S (57), S2R (58) */
const STE_Q2_S2 = 0x065f_ffff_0000_ffffn;
/** STRTAB_STE_3_S2TTB_MASK (51:4) */
const STE_Q3_S2 = 0x000f_ffff_ffff_fff0n;
const ALL = 0xffff_ffff_ffff_ffffn;

describe('steUsedBits (arm_smmu_get_ste_used)', () => {
  it('an invalid STE uses only V, whatever else it holds', () => {
    const junk = [0xfffe_ffff_ffff_fffen, ALL, ALL, ALL, ALL, ALL, ALL, ALL];
    expect(steUsedBits(junk)).toEqual([1n, Z, Z, Z, Z, Z, Z, Z]);
  });

  it('abort uses V and Config only; bypass adds SHCFG', () => {
    expect(steUsedBits(makeAbortSte())).toEqual([STE_Q0_VALID, Z, Z, Z, Z, Z, Z, Z]);
    expect(steUsedBits(makeBypassSte())).toEqual([STE_Q0_VALID, SHCFG, Z, Z, Z, Z, Z, Z]);
  });

  it('stage 1 uses the CD table fields and S2VMID; SHCFG only when S1DSS is bypass', () => {
    expect(steUsedBits(kunitCdTableSte(SSID0, KUNIT_CDTAB, 'ats'))).toEqual([STE_Q0_S1, STE_Q1_S1, 0xffffn, Z, Z, Z, Z, Z]);
    expect(steUsedBits(kunitCdTableSte(BYPASS, KUNIT_CDTAB, 'ats'))).toEqual([STE_Q0_S1, STE_Q1_S1 | SHCFG, 0xffffn, Z, Z, Z, Z, Z]);
  });

  it('stage 2 uses VTCR, S2TTB and the stage-2 attributes, but not S2AFFD/S2HD/S2HA', () => {
    const used = steUsedBits(kunitS2Ste('ats'));
    expect(used).toEqual([STE_Q0_VALID, STE_Q1_S2, STE_Q2_S2, STE_Q3_S2, Z, Z, Z, Z]);
    const s2affdHdHa = (1n << 53n) | (1n << 55n) | (1n << 56n);
    expect((used[2] ?? 0n) & s2affdHdHa).toBe(0n);
  });

  it('nested is the union of both stages', () => {
    const nested = makeNestedSte({ s2: KUNIT_S2, vste: { S1ContextPtr: 0x1000n, S1Fmt: 0, S1CDMax: 0, S1DSS: BYPASS } });
    expect(steUsedBits(nested)).toEqual([STE_Q0_S1, STE_Q1_S1 | STE_Q1_S2, STE_Q2_S2, STE_Q3_S2, Z, Z, Z, Z]);
  });

  it('follows Linux in treating the abort encoding Config=0b001 as stage 1', () => {
    expect(steUsedBits([0b0011n, Z, Z, Z, Z, Z, Z, Z])[0]).toBe(STE_Q0_S1);
  });
});

describe('cdUsedBits (arm_smmu_get_cd_used)', () => {
  it('an invalid CD uses only V (bit 31)', () => {
    expect(cdUsedBits([0x7fff_ffffn, ALL, Z, Z, Z, Z, Z, Z])).toEqual([0x8000_0000n, Z, Z, Z, Z, Z, Z, Z]);
  });

  it('a valid CD uses every bit of every qword', () => {
    expect(cdUsedBits(kunitS1Cd(1997))).toEqual(new Array(8).fill(ALL));
  });

  it('EPD0 hides T0SZ, TG0, IRGN0, ORGN0, SH0 (13:0) and TTB0 (51:4)', () => {
    const quiet = kunitSvaCd(1997, false);
    expect(cdUsedBits(quiet)).toEqual([0xffff_ffff_ffff_c000n, 0xfff0_0000_0000_000fn, ALL, ALL, ALL, ALL, ALL, ALL]);
    expect(cdUsedBits(kunitSvaCd(1997, true))[1]).toBe(ALL);
  });
});

describe('steUpdateSafeBits (arm_smmu_get_ste_update_safe)', () => {
  const MEV = 1n << 19n;
  const EATS_TRANS = 1n << 28n;

  it('MEV is always safe, EATS_TRANS too when neither entry uses S1CHK or S2S', () => {
    expect(steUpdateSafeBits(kunitS2Ste('ats'), kunitCdTableSte(SSID0, KUNIT_CDTAB, 'ats'))).toEqual([Z, MEV | EATS_TRANS, Z, Z, Z, Z, Z, Z]);
  });

  it('S2S in either entry keeps EATS sequenced (S2S=1 with EATS=1 is a bad STE)', () => {
    expect(steUpdateSafeBits(kunitS2Ste('stall'), makeAbortSte())).toEqual([Z, MEV, Z, Z, Z, Z, Z, Z]);
    expect(steUpdateSafeBits(makeAbortSte(), kunitS2Ste('stall'))).toEqual([Z, MEV, Z, Z, Z, Z, Z, Z]);
  });

  it('EATS = S1CHK in either entry keeps EATS sequenced', () => {
    const s1chk = [...makeAbortSte()];
    s1chk[1] = 2n << 28n;
    expect(steUpdateSafeBits(s1chk, makeAbortSte())[1]).toBe(MEV);
  });
});
