/**
 * Context descriptors exactly as Linux builds them: arm_smmu_make_s1_cd
 * (arm-smmu-v3.c) for a kernel-owned stage-1 domain, arm_smmu_make_sva_cd
 * (arm-smmu-v3-sva.c) for a process address space shared with the CPU.
 */
import { encodeFields, type FieldValues } from '../fields.ts';
import { CD_FIELDS, CD_QWORDS } from '../cd-fields.ts';

function cd(values: Record<string, bigint | number | boolean>): bigint[] {
  const v: Partial<FieldValues> = {};
  for (const [k, x] of Object.entries(values)) v[k] = typeof x === 'boolean' ? (x ? 1n : 0n) : BigInt(x);
  return encodeFields(v, CD_FIELDS, CD_QWORDS);
}

/** MAIR as two 32-bit halves, as the CD field table splits qword 3. */
function mairFields(mair: bigint): { MAIR0: bigint; MAIR1: bigint } {
  return { MAIR0: mair & 0xffff_ffffn, MAIR1: (mair >> 32n) & 0xffff_ffffn };
}

export interface S1CdOptions {
  /** smmu_domain->cd.asid */
  asid: number;
  /** arm_lpae_s1_cfg.ttbr: the stage-1 table base, 16-byte aligned. */
  ttb0: bigint;
  /** arm_lpae_s1_cfg.tcr fields, in the CD's own names. */
  T0SZ: number;
  TG0: number;
  IRGN0: number;
  ORGN0: number;
  SH0: number;
  IPS: number;
  /** arm_lpae_s1_cfg.mair */
  mair: bigint;
  /** master->stall_enabled: S = 1. */
  stallEnabled?: boolean;
  /** IO_PGTABLE_QUIRK_ARM_HD (dirty tracking): HA and HD together. */
  hd?: boolean;
  /** A big-endian kernel sets ENDI. */
  bigEndian?: boolean;
}

/**
 * arm_smmu_make_s1_cd: TTB0 only (EPD1 = 1: devices get no TTB1 region),
 * AArch64 tables, R = 1 (record faults), A = 1 (abort, not RAZ/WI), and
 * ASET = 1: a DMA domain's ASID is private to the SMMU, not shared with CPU
 * broadcast TLB invalidation. Linux never sets TBI, AFFD, WXN or PAN here.
 */
export function makeS1Cd(opts: S1CdOptions): bigint[] {
  return cd({
    T0SZ: opts.T0SZ,
    TG0: opts.TG0,
    IRGN0: opts.IRGN0,
    ORGN0: opts.ORGN0,
    SH0: opts.SH0,
    ENDI: opts.bigEndian ?? false,
    EPD1: 1,
    V: 1,
    IPS: opts.IPS,
    AA64: 1,
    S: opts.stallEnabled ?? false,
    R: 1,
    A: 1,
    ASET: 1,
    ASID: opts.asid,
    HA: opts.hd ?? false,
    HD: opts.hd ?? false,
    TTB0: opts.ttb0,
    ...mairFields(opts.mair),
  });
}

/** ARM_LPAE_TCR_RGN_WBWA and ARM_LPAE_TCR_SH_IS: how the CPU walks its own tables. */
export const SVA_WALK_ATTRS = { IRGN0: 1, ORGN0: 1, SH0: 3 } as const;

export interface SvaCdOptions {
  asid: number;
  /**
   * virt_to_phys(mm->pgd), or null for arm_smmu_make_sva_cd(mm = NULL): the
   * "quiet" CD a dying process's PASID gets (EPD0 = 1, everything faults).
   */
  ttb0: bigint | null;
  /** 64 - vabits_actual */
  T0SZ: number;
  /** page_size_to_cd(): the kernel's PAGE_SIZE as a TG0 encoding. */
  TG0: number;
  /** ID_AA64MMFR0_EL1.PARange */
  IPS: number;
  /** The CPU's MAIR_EL1. */
  mair: bigint;
  stallEnabled?: boolean;
  /** ARM_SMMU_FEAT_STALL_FORCE: the quiet CD may not drop S and R then. */
  stallForce?: boolean;
  /** ARM_SMMU_FEAT_HA / ARM_SMMU_FEAT_HD: hardware access/dirty updates of the CPU's tables. */
  ha?: boolean;
  hd?: boolean;
  bigEndian?: boolean;
}

/**
 * arm_smmu_make_sva_cd. With an mm: the CPU's page tables in TTB0, walked
 * WBWA/IS like the CPU does. Without: EPD0 = 1 and no TTB0 fields, which the
 * SMMU then ignores, so arm_smmu_write_cd_entry() can switch between the two
 * without clearing V (and S/R dropped, to abort quickly, unless stalls are
 * forced). ASET = 1 in this revision: the SVA ASID is not matched against
 * CPU broadcast TLBIs (no BTM).
 */
export function makeSvaCd(opts: SvaCdOptions): bigint[] {
  const live = opts.ttb0 !== null;
  const quietDropsStall = !live && !opts.stallForce;
  return cd({
    EPD1: 1,
    ENDI: opts.bigEndian ?? false,
    V: 1,
    IPS: opts.IPS,
    AA64: 1,
    S: (opts.stallEnabled ?? false) && !quietDropsStall,
    R: !quietDropsStall,
    A: 1,
    ASET: 1,
    ASID: opts.asid,
    ...(opts.ttb0 !== null
      ? { T0SZ: opts.T0SZ, TG0: opts.TG0, ...SVA_WALK_ATTRS, TTB0: opts.ttb0, HA: opts.ha ?? false, HD: opts.hd ?? false }
      : { EPD0: 1 }),
    ...mairFields(opts.mair),
  });
}
