/**
 * The side-by-side comparison as the page sees it: one scenario run on
 * arm-smmu-v3 and on intel-iommu, each device's structures decoded by the
 * spec's field names, the kernel-visible state of both, and the differences
 * named from what the two runs hold. Plain data; 64-bit values stay bigint.
 */

export type IommuName = 'arm-smmu-v3' | 'intel-iommu';

/** Who a CD or PASID entry belongs to, as the kernel sees it. */
export interface OwnerRef {
  /** The iommu_domain, by name; null when the kernel has nothing attached there. */
  readonly domain: string | null;
  /** IOMMU_DOMAIN_* without the prefix: DMA, SVA, NESTED ... */
  readonly type: string | null;
  /** SVA: the mm whose page table it is. */
  readonly mm?: string;
  /** Nested: the structure belongs to the guest (user space), not to the host kernel. */
  readonly guest?: boolean;
}

/** A page table a structure points at: where it is and whose it is. */
export interface PgtableRef {
  readonly root: bigint;
  /** "AArch64 stage 1", "x86-64 first-stage", "VT-d second-stage" ... */
  readonly format: string;
  /** The engine's name for it (the domain's own, or "<mm>.pgd"). */
  readonly name?: string;
  /** The address is an IPA (the guest's): stage 2 translates the walk. */
  readonly ipa?: boolean;
  /** Pages the kernel mapped into it (iommu_map or the CPU for an mm). */
  readonly mappings?: number;
}

export interface SmmuCdRow {
  readonly ssid: number;
  /** The PA the CD was read from, and the IPA the STE named when stage 2 translates CD fetches. */
  readonly address?: bigint;
  readonly ipa?: bigint;
  readonly fields: Readonly<Record<'V' | 'ASID' | 'TTB0' | 'EPD0', bigint>>;
  readonly verdict: string;
  readonly owner: OwnerRef;
  readonly pgtable?: PgtableRef;
}

export const STE_COMPARE_FIELDS = ['V', 'Config', 'S1Fmt', 'S1ContextPtr', 'S1CDMax', 'S1DSS', 'S2VMID', 'S2TTB'] as const;
export type SteKeyFields = Readonly<Record<(typeof STE_COMPARE_FIELDS)[number], bigint>>;

export interface SmmuDeviceSide {
  readonly sid: number;
  readonly ste?: {
    readonly address: bigint;
    /** abort / bypass / stage 1 / stage 2 / nested, or why it is ILLEGAL. */
    readonly config: string;
    readonly fields: SteKeyFields;
  };
  readonly cdTable?: {
    readonly address: bigint;
    /** SubstreamIDs it covers: 2^S1CDMax (1 when S1CDMax = 0). */
    readonly size: number;
    /** S1ContextPtr is an IPA: the guest owns the table and stage 2 translates its fetches. */
    readonly guestOwned: boolean;
  };
  /** Valid CDs only (V = 1). */
  readonly cds: readonly SmmuCdRow[];
  readonly stage2?: PgtableRef;
  readonly note?: string;
}

export interface VtdPasidRow {
  readonly pasid: number;
  readonly address: bigint;
  /** PASID[19:6]: the directory entry; PASID[5:0]: the index in its PASID table. */
  readonly dirIndex: number;
  /** first-stage / second-stage / nested / pass-through. */
  readonly pgtt: string;
  readonly fields: Readonly<Record<'P' | 'FPD' | 'PGTT' | 'FLPTR' | 'SLPTPTR' | 'DID' | 'AW', bigint>>;
  readonly owner: OwnerRef;
  readonly pgtable?: PgtableRef;
  readonly stage2?: PgtableRef;
}

export interface VtdDeviceSide {
  readonly rid: number;
  readonly root?: { readonly bus: number; readonly address: bigint; readonly fields: Readonly<Record<string, bigint>> };
  readonly context?: {
    readonly address: bigint;
    readonly mode: 'scalable' | 'legacy';
    readonly fields: Readonly<Record<string, bigint>>;
    /** Legacy: from TT; scalable mode: "PASID table". */
    readonly translation: string;
    /** Legacy mode: the RID's page table and owner (no PASID entries). */
    readonly owner?: OwnerRef;
    readonly pgtable?: PgtableRef;
  };
  readonly pasidDirectory?: {
    readonly address: bigint;
    readonly entries: readonly { readonly index: number; readonly address: bigint; readonly pasidTable: bigint }[];
  };
  /** Present PASID entries. */
  readonly pasids: readonly VtdPasidRow[];
  readonly note?: string;
}

/** One device: its row on each side, and the PASIDs (SubstreamIDs) either side or the kernel has, so rows align. */
export interface CompareDevice {
  readonly name: string;
  readonly bdf: string;
  readonly group: number | null;
  readonly smmu: SmmuDeviceSide | null;
  readonly vtd: VtdDeviceSide | null;
  /** Sorted; 0 is the RID's own (CD 0 / RID_PASID). */
  readonly pasids: readonly number[];
}

export interface KernelSide {
  readonly groups: readonly { readonly id: number; readonly devices: readonly string[]; readonly domain: string | null; readonly type: string | null; readonly owner: string | null; readonly ownerCnt: number }[];
  readonly attached: readonly { readonly device: string; readonly domain: string | null; readonly type: string | null }[];
  readonly pasids: readonly { readonly group: number; readonly pasid: number; readonly domain: string; readonly mm?: string }[];
}

/** Where the two runs part: the kernel saw something different, or a step did not run the same. */
export interface CompareFinding {
  readonly step?: number;
  readonly what: string;
  readonly smmu: string;
  readonly vtd: string;
}

/** One named difference: the same kernel object drawn on each IOMMU, in words from the state. */
export interface DifferenceItem {
  readonly topic: 'user-pgtable' | 'guest-owns' | 'stage2' | 'sva' | 'invalidation';
  readonly title: string;
  readonly smmu: string;
  readonly vtd: string;
}

export interface TwinStepNote {
  readonly step: number;
  readonly kind: string;
  /** Which side does not run it, and why. */
  readonly skippedOn: 'smmu' | 'vtd';
  readonly why: string;
}

export type CompareView =
  | { readonly available: false; readonly step: number; readonly reason: string }
  | {
      readonly available: true;
      readonly step: number;
      /** The IOMMU the scenario was written for; the other side is its twin. */
      readonly original: IommuName;
      /** Steps one side leaves out (hardware-specific ones), with why. */
      readonly skipped: readonly TwinStepNote[];
      readonly smmuBooted: boolean;
      readonly vtdBooted: boolean;
      readonly vtdMode: 'scalable' | 'legacy' | 'invalid' | null;
      readonly devices: readonly CompareDevice[];
      readonly kernel: { readonly smmu: KernelSide; readonly vtd: KernelSide; readonly same: boolean };
      readonly findings: readonly CompareFinding[];
      readonly differences: readonly DifferenceItem[];
    };
