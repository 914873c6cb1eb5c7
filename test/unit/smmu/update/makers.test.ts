/**
 * The makers set the fields Linux sets, to the constants Linux uses, and
 * nothing their configuration does not use.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../src/engine/util/assert.ts';
import {
  cdUsedBits,
  makeAbortSte,
  makeBypassSte,
  makeCdTableSte,
  makeNestedSte,
  makeS1Cd,
  makeS2DomainSte,
  makeSvaCd,
  steUsedBits,
} from '../../../../src/engine/hw/smmu/update/index.ts';
import { BYPASS, KUNIT_S2, SSID0, cdField, steField } from './fixtures.ts';

const S2 = { ...KUNIT_S2, vmid: 7 };

function outsideUsed(words: bigint[], used: bigint[]): bigint[] {
  return words.map((w, i) => w & ~(used[i] ?? 0n));
}

describe('STE makers', () => {
  it('abort and bypass are the exact Linux qwords', () => {
    expect(makeAbortSte()).toEqual([0x1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(makeBypassSte()).toEqual([0x9n, 0x1000_0000_0000n, 0n, 0n, 0n, 0n, 0n, 0n]);
    expect(makeBypassSte({ features: { attrTypesOvr: false } })).toEqual([0x9n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
  });

  it('a CD table STE: Config 0b101, WBRA/WBRA/ISH CD fetches, S1STALLD for a non-stalling master', () => {
    const s = makeCdTableSte({ cdTable: 0x4000_0000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0 });
    expect(s.slice(0, 3)).toEqual([0x4000_000bn, 0x0800_00d6n, 0n]);
    const stalling = makeCdTableSte({ cdTable: 0x4000_0000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0, stallEnabled: true });
    expect(steField(stalling, 'S1STALLD')).toBe(0n);
    const noStalls = makeCdTableSte({ cdTable: 0x4000_0000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0, features: { stalls: false } });
    expect(steField(noStalls, 'S1STALLD')).toBe(0n);
  });

  it('SHCFG = incoming only when S1DSS is bypass; EATS = TRANS with ATS; STRW = EL2 with E2H', () => {
    const byp = makeCdTableSte({ cdTable: 0x1000n, s1Fmt: 2, s1CdMax: 20, s1dss: BYPASS, ats: true, features: { e2h: true } });
    expect(steField(byp, 'SHCFG')).toBe(1n);
    expect(steField(byp, 'EATS')).toBe(1n);
    expect(steField(byp, 'STRW')).toBe(2n);
    expect(steField(byp, 'S1Fmt')).toBe(2n);
    expect(steField(byp, 'S1CDMax')).toBe(20n);
    expect(steField(makeCdTableSte({ cdTable: 0x1000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0 }), 'SHCFG')).toBe(0n);
  });

  it('a stage-2 STE: VTCR in qword 2, S2AA64, S2PTW, S2R always; S2S with stalls; S2ENDI on big-endian', () => {
    const s = makeS2DomainSte({ vmid: 1, vtcr: { S2T0SZ: 24, S2SL0: 1, S2IR0: 1, S2OR0: 1, S2SH0: 3, S2TG: 0, S2PS: 2 }, s2ttb: 0x8000_0000n });
    expect(s.slice(0, 4)).toEqual([0xdn, 0x1000_0000_0000n, 0x044a_3558_0000_0001n, 0x8000_0000n]);
    const be = makeS2DomainSte({ ...S2, stallEnabled: true, bigEndian: true, s2fwb: true });
    expect([steField(be, 'S2S'), steField(be, 'S2ENDI'), steField(be, 'S2FWB')]).toEqual([1n, 1n, 1n]);
  });

  it('a nested STE: Config 0b111, the guest CD table IPA, the S2 fields kept, MEV set', () => {
    const n = makeNestedSte({ s2: S2, vste: { S1ContextPtr: 0x8_0000_0040n, S1Fmt: 0, S1CDMax: 3, S1DSS: SSID0 } });
    expect(steField(n, 'Config')).toBe(7n);
    expect(steField(n, 'S1ContextPtr')).toBe(0x8_0000_0040n);
    expect(steField(n, 'S1CDMax')).toBe(3n);
    expect(steField(n, 'S2VMID')).toBe(7n);
    expect(steField(n, 'S2TTB')).toBe(KUNIT_S2.s2ttb);
    expect(steField(n, 'MEV')).toBe(1n);
    expect(steField(n, 'S1CSH')).toBe(3n);
  });

  it('sets no bit outside what its configuration uses (Linux WARN_ON_ONCE otherwise)', () => {
    const stes = [
      makeAbortSte(),
      makeBypassSte(),
      makeCdTableSte({ cdTable: 0x1000n, s1Fmt: 2, s1CdMax: 20, s1dss: BYPASS, ats: true }),
      makeCdTableSte({ cdTable: 0x1000n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0, features: { e2h: true } }),
      makeS2DomainSte({ ...S2, ats: true, stallEnabled: true, s2fwb: true, bigEndian: true }),
      makeNestedSte({ s2: S2, vste: { S1ContextPtr: 0x1000n, S1Fmt: 0, S1CDMax: 0, S1DSS: BYPASS, S1STALLD: true }, ats: true }),
    ];
    for (const s of stes) expect(outsideUsed(s, steUsedBits(s))).toEqual(new Array(8).fill(0n));
  });

  it('refuses a misaligned CD table address, naming the field', () => {
    expect(() => makeCdTableSte({ cdTable: 0x1008n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0 })).toThrow(EngineError);
    expect(() => makeCdTableSte({ cdTable: 0x1008n, s1Fmt: 0, s1CdMax: 0, s1dss: SSID0 })).toThrow(/S1ContextPtr/);
    expect(() => makeS2DomainSte({ ...S2, vmid: 0x1_0000 })).toThrow(/S2VMID/);
  });
});

describe('CD makers', () => {
  const base = { asid: 0x2a, ttb0: 0x4_0000_1000n, T0SZ: 16, TG0: 0, IRGN0: 1, ORGN0: 1, SH0: 3, IPS: 5, mair: 0x0000_0000_0004_ff44n };

  it('arm_smmu_make_s1_cd: EPD1, V, AA64, R, A, ASET and the ASID in qword 0; TTB0 in 1; MAIR in 3', () => {
    const c = makeS1Cd(base);
    expect(c[0]).toBe(0x002a_e205_c000_3510n);
    expect(c[1]).toBe(0x4_0000_1000n);
    expect(c[3]).toBe(0x0004_ff44n);
    expect([cdField(c, 'EPD0'), cdField(c, 'TBI'), cdField(c, 'S'), cdField(c, 'HA')]).toEqual([0n, 0n, 0n, 0n]);
    const dirty = makeS1Cd({ ...base, hd: true, stallEnabled: true });
    expect([cdField(dirty, 'HA'), cdField(dirty, 'HD'), cdField(dirty, 'S')]).toEqual([1n, 1n, 1n]);
  });

  it('arm_smmu_make_sva_cd: WBWA/WBWA/IS walks like the CPU; the quiet CD keeps S and R under STALL_FORCE', () => {
    const live = makeSvaCd({ asid: 9, ttb0: 0x8000n, T0SZ: 16, TG0: 0, IPS: 5, mair: 0xffn, stallEnabled: true });
    expect([cdField(live, 'IRGN0'), cdField(live, 'ORGN0'), cdField(live, 'SH0'), cdField(live, 'S'), cdField(live, 'ASET')]).toEqual([1n, 1n, 3n, 1n, 1n]);
    const forced = makeSvaCd({ asid: 9, ttb0: null, T0SZ: 16, TG0: 0, IPS: 5, mair: 0xffn, stallEnabled: true, stallForce: true });
    expect([cdField(forced, 'EPD0'), cdField(forced, 'S'), cdField(forced, 'R')]).toEqual([1n, 1n, 1n]);
  });

  it('CDs are clean for arm_smmu_get_cd_used too (a quiet CD leaves TTB0 and T0SZ zero)', () => {
    const quiet = makeSvaCd({ asid: 9, ttb0: null, T0SZ: 16, TG0: 0, IPS: 5, mair: 0xffn });
    expect(outsideUsed(quiet, cdUsedBits(quiet))).toEqual(new Array(8).fill(0n));
  });
});
