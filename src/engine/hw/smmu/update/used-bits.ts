/**
 * Which bits of an STE or a CD the SMMU reads in a given configuration, as
 * Linux computes them for its update algorithm (drivers/iommu/arm/
 * arm-smmu-v3/arm-smmu-v3.c, state of v7.0: arm_smmu_get_ste_used,
 * arm_smmu_get_cd_used, arm_smmu_get_ste_update_safe).
 *
 * Linux's own comment: "It would be nice if this was complete according to
 * the spec, but minimally it has to capture the bits this driver uses." So
 * these are the driver's masks, not the full architectural IGNORED rules:
 * S2AFFD, S2HA, S2HD, DCP, PPAR, MTCFG/MemAttr... are never reported used,
 * because Linux never sets them.
 */
import { fieldByName, fieldMask, getField, type Words } from '../fields.ts';
import { STE_CONFIG, STE_FIELDS } from '../ste-fields.ts';
import { CD_FIELDS } from '../cd-fields.ts';
import { ALL_BITS, ENTRY_QWORDS, fieldsMask, orInto, qwordAt, zeroEntry } from './entry-words.ts';

const steField = (name: string) => fieldByName(STE_FIELDS, name);
const cdField = (name: string) => fieldByName(CD_FIELDS, name);

/** STRTAB_STE_2_VTCR is GENMASK(50, 32): exactly the union of these sub-fields. */
export const VTCR_FIELD_NAMES = ['S2T0SZ', 'S2SL0', 'S2IR0', 'S2OR0', 'S2SH0', 'S2TG', 'S2PS'] as const;

const STE_V = steField('V');
const STE_CFG = steField('Config');
const STE_S1DSS = steField('S1DSS');
const STE_EATS = steField('EATS');
const STE_S2S = steField('S2S');
const STE_MEV = steField('MEV');

/** STRTAB_STE_1_S1DSS_BYPASS: the only S1DSS value that makes SHCFG matter. */
export const S1DSS_VALUES = { terminate: 0, bypass: 1, ssid0: 2 } as const;
/** STRTAB_STE_1_EATS_* encodings. */
export const EATS_VALUES = { abort: 0, trans: 1, s1chk: 2 } as const;

const STE_VALID_ONLY = fieldsMask(STE_FIELDS, ['V']);
const STE_VALID = fieldsMask(STE_FIELDS, ['V', 'Config']);
/** "S1 translates": the CD table pointer and its fetch attributes, plus S2VMID (TLB tag). */
const STE_S1 = fieldsMask(STE_FIELDS, [
  'S1Fmt', 'S1ContextPtr', 'S1CDMax',
  'S1DSS', 'S1CIR', 'S1COR', 'S1CSH', 'S1STALLD', 'STRW', 'EATS', 'MEV',
  'S2VMID',
]);
/** "S2 translates": VTCR, the table base and the stage-2 attributes. */
const STE_S2 = fieldsMask(STE_FIELDS, [
  'S2FWB', 'EATS', 'SHCFG', 'MEV',
  'S2VMID', ...VTCR_FIELD_NAMES, 'S2AA64', 'S2ENDI', 'S2PTW', 'S2S', 'S2R',
  'S2TTB',
]);
/** SHCFG: shareability of traffic that bypasses (SMMUv3 13.5 "Summary of attribute/permission configuration fields"). */
const STE_SHCFG = fieldsMask(STE_FIELDS, ['SHCFG']);

/**
 * arm_smmu_get_ste_used. V=0: only V. Otherwise V and Config, then by
 * Config bit 0 (stage 1) and bit 1 (stage 2), SHCFG for a bypass STE and for
 * a stage-1 STE whose S1DSS is bypass.
 *
 * Like Linux this tests the Config bits, so the abort encodings 0b001 and
 * 0b011 (which the driver never writes) count as stage-1 here although the
 * SMMU ignores every other field for them.
 */
export function steUsedBits(words: Words): bigint[] {
  const used = zeroEntry();
  orInto(used, STE_VALID_ONLY);
  if (getField(words, STE_V) === 0n) return used;
  orInto(used, STE_VALID);
  const cfg = Number(getField(words, STE_CFG));
  if (cfg & 0b001) {
    orInto(used, STE_S1);
    if (Number(getField(words, STE_S1DSS)) === S1DSS_VALUES.bypass) orInto(used, STE_SHCFG);
  }
  if (cfg & 0b010) orInto(used, STE_S2);
  if (cfg === STE_CONFIG.bypass) orInto(used, STE_SHCFG);
  return used;
}

const CD_VALID_ONLY = fieldsMask(CD_FIELDS, ['V']);
/** With EPD0 set, TTB0 walks are disabled and the SMMU IGNOREs these. */
const CD_TTB0_REGION = fieldsMask(CD_FIELDS, ['T0SZ', 'TG0', 'IRGN0', 'ORGN0', 'SH0', 'TTB0']);
const CD_V = cdField('V');
const CD_EPD0 = cdField('EPD0');

/**
 * arm_smmu_get_cd_used. V=0: only V. V=1: every bit of all eight qwords
 * (Linux memsets the mask to 0xFF), except T0SZ/TG0/IRGN0/ORGN0/SH0/TTB0 when
 * EPD0 is set: that exception is what lets an SVA CD switch hitlessly to the
 * "quiet" CD that faults everything (arm_smmu_make_sva_cd with mm == NULL).
 */
export function cdUsedBits(words: Words): bigint[] {
  if (getField(words, CD_V) === 0n) return [...CD_VALID_ONLY];
  const used = new Array<bigint>(ENTRY_QWORDS).fill(ALL_BITS);
  if (getField(words, CD_EPD0) !== 0n) {
    for (let i = 0; i < ENTRY_QWORDS; i++) used[i] = qwordAt(used, i) & ~qwordAt(CD_TTB0_REGION, i);
  }
  return used;
}

/**
 * arm_smmu_get_ste_update_safe (Linux v7.0; upstream commits 2781f2a930ab
 * "Add update_safe bits to fix STE update sequence", its MEV follow-up, and
 * 7cad80048595 for EATS): bits used by both entries that may nevertheless
 * change at any moment, so they do not make their qword "critical".
 *
 * - MEV only changes how many fault records are merged; the spec says
 *   software must cope with merged records even when MEV is 0.
 * - EATS_TRANS: the attach code has already disabled ATS at the PCI device
 *   when EATS changes, so no ATS request can race with it. Not when either
 *   entry uses S1CHK (EATS = 0b11 in passing would be an errant value) or
 *   sets S2S (S2S = 1 with EATS = 1 is an illegal STE, C_BAD_STE).
 */
export function steUpdateSafeBits(current: Words, target: Words): bigint[] {
  const safe = zeroEntry();
  const q = STE_EATS.qword;
  const eatsTrans = BigInt(EATS_VALUES.trans) << BigInt(STE_EATS.lsb);
  const eatsS1chk = BigInt(EATS_VALUES.s1chk) << BigInt(STE_EATS.lsb);
  const s2s = fieldMask(STE_S2S);
  const anyS1chk = ((qwordAt(current, q) | qwordAt(target, q)) & eatsS1chk) !== 0n;
  const anyS2s = ((qwordAt(current, STE_S2S.qword) | qwordAt(target, STE_S2S.qword)) & s2s) !== 0n;
  if (!anyS1chk && !anyS2s) safe[q] = qwordAt(safe, q) | eatsTrans;
  safe[STE_MEV.qword] = qwordAt(safe, STE_MEV.qword) | fieldMask(STE_MEV);
  return safe;
}
