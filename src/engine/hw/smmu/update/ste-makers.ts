/**
 * STEs exactly as Linux builds them (drivers/iommu/arm/arm-smmu-v3/
 * arm-smmu-v3.c: arm_smmu_make_abort_ste, arm_smmu_make_bypass_ste,
 * arm_smmu_make_cdtable_ste, arm_smmu_make_s2_domain_ste; arm-smmu-v3-iommufd.c:
 * arm_smmu_make_nested_cd_table_ste, arm_smmu_make_nested_domain_ste). Each
 * returns the eight qwords; every bit a maker sets is one its configuration
 * uses (Linux WARNs otherwise), so they are clean inputs for the planner.
 */
import { assertNever } from '../../../util/assert.ts';
import { encodeFields, type FieldValues } from '../fields.ts';
import { STE_CONFIG, STE_FIELDS, STE_QWORDS } from '../ste-fields.ts';
import { EATS_VALUES, S1DSS_VALUES } from './used-bits.ts';

/** The SMMU features the makers depend on (ARM_SMMU_FEAT_* in arm-smmu-v3.h). */
export interface LinuxSmmuFeatures {
  /** ARM_SMMU_FEAT_ATTR_TYPES_OVR (IDR1.ATTR_TYPES_OVR): Linux then writes SHCFG = "use incoming". */
  attrTypesOvr: boolean;
  /** ARM_SMMU_FEAT_STALLS: a master that does not use stalls gets S1STALLD. */
  stalls: boolean;
  /** ARM_SMMU_FEAT_E2H: StreamWorld EL2 (to match the CPU's ASIDs for BTM) instead of NS-EL1. */
  e2h: boolean;
}

/** The SMMU of Linux's KUnit suite (arm-smmu-v3-test.c): FEAT_STALLS | FEAT_ATTR_TYPES_OVR. */
export const DEFAULT_SMMU_FEATURES: Readonly<LinuxSmmuFeatures> = { attrTypesOvr: true, stalls: true, e2h: false };

/** STRTAB_STE_1_S1C_CACHE_WBRA and ARM_SMMU_SH_ISH: how Linux fetches CD tables. */
export const CD_FETCH_ATTRS = { S1CIR: 1, S1COR: 1, S1CSH: 3 } as const;
/** STRTAB_STE_1_SHCFG_INCOMING. */
export const SHCFG_INCOMING = 1;
/** STRTAB_STE_1_STRW_NSEL1 / STRTAB_STE_1_STRW_EL2. */
export const STRW_VALUES = { nsel1: 0, el2: 2 } as const;

function features(f: Partial<LinuxSmmuFeatures> | undefined): LinuxSmmuFeatures {
  return { ...DEFAULT_SMMU_FEATURES, ...f };
}

function ste(values: Record<string, bigint | number | boolean>): bigint[] {
  const v: Partial<FieldValues> = {};
  for (const [k, x] of Object.entries(values)) v[k] = typeof x === 'boolean' ? (x ? 1n : 0n) : BigInt(x);
  return encodeFields(v, STE_FIELDS, STE_QWORDS);
}

function orWords(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  return a.map((w, i) => w | (b[i] ?? 0n));
}

/** arm_smmu_make_abort_ste: V=1, Config=abort. Every StreamID starts here (arm_smmu_init_initial_stes). */
export function makeAbortSte(): bigint[] {
  return ste({ V: 1, Config: STE_CONFIG.abort });
}

export interface BypassSteOptions {
  features?: Partial<LinuxSmmuFeatures>;
}

/** arm_smmu_make_bypass_ste: V=1, Config=bypass, SHCFG=incoming when the SMMU can override attributes. */
export function makeBypassSte(opts: BypassSteOptions = {}): bigint[] {
  const f = features(opts.features);
  return ste({ V: 1, Config: STE_CONFIG.bypass, ...(f.attrTypesOvr ? { SHCFG: SHCFG_INCOMING } : {}) });
}

export interface CdTableSteOptions {
  /** cd_table->cdtab_dma: the CD table (or L1 CD table) address, 64-byte aligned. */
  cdTable: bigint;
  /** 0 = linear, 2 = 2-level with 64KB leaf tables (STRTAB_STE_0_S1FMT_64K_L2). */
  s1Fmt: number;
  /** log2 of the number of CDs (master->ssid_bits). */
  s1CdMax: number;
  /** S1DSS_VALUES: SSID0 for a DMA domain with PASIDs, bypass for an identity default domain with PASIDs. */
  s1dss: number;
  ats?: boolean;
  /** master->stall_enabled */
  stallEnabled?: boolean;
  features?: Partial<LinuxSmmuFeatures>;
}

/** arm_smmu_make_cdtable_ste: stage 1 through a CD table. */
export function makeCdTableSte(opts: CdTableSteOptions): bigint[] {
  const f = features(opts.features);
  return ste({
    V: 1,
    Config: STE_CONFIG.s1,
    S1Fmt: opts.s1Fmt,
    S1ContextPtr: opts.cdTable,
    S1CDMax: opts.s1CdMax,
    S1DSS: opts.s1dss,
    ...CD_FETCH_ATTRS,
    S1STALLD: f.stalls && !opts.stallEnabled,
    EATS: opts.ats ? EATS_VALUES.trans : EATS_VALUES.abort,
    ...(f.attrTypesOvr && opts.s1dss === S1DSS_VALUES.bypass ? { SHCFG: SHCFG_INCOMING } : {}),
    // E2H: StreamWorld EL2 and qword 2 untouched; otherwise NS-EL1 with VMID 0, which Linux reserves for stage-2-bypass STEs.
    STRW: f.e2h ? STRW_VALUES.el2 : STRW_VALUES.nsel1,
    ...(f.e2h ? {} : { S2VMID: 0 }),
  });
}

/** VTCR as the STE holds it (STRTAB_STE_2_VTCR_*), from io-pgtable's arm_lpae_s2_cfg.vtcr. */
export interface SteVtcr {
  S2T0SZ: number;
  S2SL0: number;
  S2IR0: number;
  S2OR0: number;
  S2SH0: number;
  S2TG: number;
  S2PS: number;
}

export interface S2DomainSteOptions {
  /** s2_cfg->vmid. Linux allocates VMIDs from 1: 0 is kept for stage-1-only STEs. */
  vmid: number;
  vtcr: SteVtcr;
  /** arm_lpae_s2_cfg.vttbr: the stage-2 table base (a PA), 16-byte aligned. */
  s2ttb: bigint;
  ats?: boolean;
  /** master->stall_enabled: S2S, stage-2 faults stall. */
  stallEnabled?: boolean;
  /** IO_PGTABLE_QUIRK_ARM_S2FWB (nesting parents on an SMMU with FWB). */
  s2fwb?: boolean;
  /** A big-endian kernel sets S2ENDI. */
  bigEndian?: boolean;
  features?: Partial<LinuxSmmuFeatures>;
}

/** arm_smmu_make_s2_domain_ste: stage 2 only. */
export function makeS2DomainSte(opts: S2DomainSteOptions): bigint[] {
  const f = features(opts.features);
  return ste({
    V: 1,
    Config: STE_CONFIG.s2,
    EATS: opts.ats ? EATS_VALUES.trans : EATS_VALUES.abort,
    S2FWB: opts.s2fwb ?? false,
    ...(f.attrTypesOvr ? { SHCFG: SHCFG_INCOMING } : {}),
    S2VMID: opts.vmid,
    ...opts.vtcr,
    S2AA64: 1,
    S2ENDI: opts.bigEndian ?? false,
    S2PTW: 1,
    S2S: opts.stallEnabled ?? false,
    S2R: 1,
    S2TTB: opts.s2ttb,
  });
}

/** The guest-controlled part of a nested STE (STRTAB_STE_0/1_NESTING_ALLOWED), EATS excluded. */
export interface VirtualSte {
  /** The guest's CD table: an IPA, translated by stage 2. */
  S1ContextPtr: bigint;
  S1Fmt: number;
  S1CDMax: number;
  S1DSS: number;
  /** The guest's CD fetch attributes; a Linux guest writes WBRA, WBRA, ISH. */
  S1CIR?: number;
  S1COR?: number;
  S1CSH?: number;
  S1STALLD?: boolean;
}

export interface NestedSteOptions {
  /** The stage-2 (nesting parent) domain, as for makeS2DomainSte. */
  s2: S2DomainSteOptions;
  vste: VirtualSte;
  ats?: boolean;
}

/**
 * arm_smmu_make_nested_cd_table_ste: the stage-2 STE, Config=nested, the
 * guest's stage-1 fields ORed in, and MEV (merge events: a guest must not be
 * able to flood the event queue).
 */
export function makeNestedSte(opts: NestedSteOptions): bigint[] {
  const s2 = makeS2DomainSte({ ...opts.s2, ats: opts.ats ?? false });
  const v = opts.vste;
  const guest = ste({
    S1ContextPtr: v.S1ContextPtr,
    S1Fmt: v.S1Fmt,
    S1CDMax: v.S1CDMax,
    S1DSS: v.S1DSS,
    S1CIR: v.S1CIR ?? CD_FETCH_ATTRS.S1CIR,
    S1COR: v.S1COR ?? CD_FETCH_ATTRS.S1COR,
    S1CSH: v.S1CSH ?? CD_FETCH_ATTRS.S1CSH,
    S1STALLD: v.S1STALLD ?? false,
    MEV: 1,
  });
  const merged = orWords(s2, guest);
  const withConfig = ste({ V: 1, Config: STE_CONFIG.nested });
  // Qword 0 is rebuilt from scratch in Linux: V | CFG_NESTED | the guest's qword 0 without its CFG.
  merged[0] = (withConfig[0] ?? 0n) | (guest[0] ?? 0n);
  return merged;
}

/** The Config a guest asks for in its vSTE (a vSTE with V=0 is treated as abort). */
export type VirtualSteConfig = 'abort' | 'bypass' | 's1';

/**
 * arm_smmu_make_nested_domain_ste: a vSTE asking for abort gives an abort
 * STE, bypass gives the plain stage-2 STE, stage-1 gives the nested STE.
 */
export function makeNestedDomainSte(opts: NestedSteOptions & { vsteConfig: VirtualSteConfig }): bigint[] {
  switch (opts.vsteConfig) {
    case 'abort':
      return makeAbortSte();
    case 'bypass':
      return makeS2DomainSte({ ...opts.s2, ats: opts.ats ?? false });
    case 's1':
      return makeNestedSte(opts);
    default:
      return assertNever(opts.vsteConfig, 'vsteConfig');
  }
}
