/**
 * The entries of Linux's KUnit suite for arm_smmu_write_entry
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-test.c), rebuilt with our
 * makers. The SMMU there has FEAT_STALLS | FEAT_ATTR_TYPES_OVR, which is
 * DEFAULT_SMMU_FEATURES. Linux's FIELD_PREP and address masks silently drop
 * bits that do not fit; our makers refuse them instead, so the KUnit values
 * appear here already masked (noted beside each).
 */
import { fieldByName, getField, type Words } from '../../../../src/engine/hw/smmu/fields.ts';
import { STE_FIELDS } from '../../../../src/engine/hw/smmu/ste-fields.ts';
import { CD_FIELDS } from '../../../../src/engine/hw/smmu/cd-fields.ts';
import {
  makeCdTableSte,
  makeS1Cd,
  makeS2DomainSte,
  makeSvaCd,
  S1DSS_VALUES,
  type S2DomainSteOptions,
} from '../../../../src/engine/hw/smmu/update/index.ts';

/** fake_cdtab_dma_addr = 0xF0F0F0F0F0F0, & STRTAB_STE_0_S1CTXPTR_MASK (bits 51:6). */
export const KUNIT_CDTAB = 0xf0f0_f0f0_f0c0n;
/** The second CD table of the non-hitless test, 0x4B4B4b4B4B & bits 51:6. */
export const KUNIT_CDTAB_2 = 0x4b_4b4b_4b40n;
/** 0xdaedbeefdeadbeef & GENMASK(51, 4): the fake vttbr/ttbr. */
export const KUNIT_TTB = 0x000d_beef_dead_bee0n;

export type MasterFeat = 'ats' | 'stall';

/** arm_smmu_test_make_cdtable_ste: s1cdmax = 0xFF (FIELD_PREP keeps the low 5 bits: 31), 64K_L2. */
export function kunitCdTableSte(s1dss: number, cdTable: bigint, feat: MasterFeat): bigint[] {
  return makeCdTableSte({ cdTable, s1Fmt: 2, s1CdMax: 31, s1dss, ats: feat === 'ats', stallEnabled: feat === 'stall' });
}

/** arm_smmu_test_make_s2_ste: tsz 4, sl 3, irgn 2, orgn 1, sh 3, tg 2, ps 1; VMID left 0. */
export const KUNIT_S2: S2DomainSteOptions = {
  vmid: 0,
  vtcr: { S2T0SZ: 4, S2SL0: 3, S2IR0: 2, S2OR0: 1, S2SH0: 3, S2TG: 2, S2PS: 1 },
  s2ttb: KUNIT_TTB,
};

export function kunitS2Ste(feat: MasterFeat, vmid = 0): bigint[] {
  return makeS2DomainSte({ ...KUNIT_S2, vmid, ats: feat === 'ats', stallEnabled: feat === 'stall' });
}

/** arm_smmu_test_make_s1_cd: ips 1, tg 2, sh 3, orgn 1, irgn 2, tsz 4, mair 0xabcdef012345678. */
export function kunitS1Cd(asid: number, ttb0: bigint = KUNIT_TTB): bigint[] {
  return makeS1Cd({ asid, ttb0, T0SZ: 4, TG0: 2, IRGN0: 2, ORGN0: 1, SH0: 3, IPS: 1, mair: 0xabc_def0_1234_5678n });
}

/** arm_smmu_test_make_sva_cd / _release_cd: a 48-bit VA, 4KB pages, PARange 5. */
export function kunitSvaCd(asid: number, live: boolean): bigint[] {
  return makeSvaCd({ asid, ttb0: live ? 0x4_1234_5000n : null, T0SZ: 16, TG0: 0, IPS: 5, mair: 0x0000_0000_0044_ff04n });
}

export const SSID0 = S1DSS_VALUES.ssid0;
export const BYPASS = S1DSS_VALUES.bypass;

export function steV(words: Words): bigint {
  return getField(words, fieldByName(STE_FIELDS, 'V'));
}

export function cdV(words: Words): bigint {
  return getField(words, fieldByName(CD_FIELDS, 'V'));
}

export function steField(words: Words, name: string): bigint {
  return getField(words, fieldByName(STE_FIELDS, name));
}

export function cdField(words: Words, name: string): bigint {
  return getField(words, fieldByName(CD_FIELDS, name));
}
