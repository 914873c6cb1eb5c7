/**
 * Process address spaces, PASIDs and SVA bonds as plain data (mm_struct and
 * iommu_mm_data, the global PASID IDA, struct iommu_sva; iommu-sva.c and
 * include/linux/iommu.h as of v6.15 and later). Like the rest of the Linux
 * state, objects refer to each other by name.
 */
import type { Mapping } from './types.ts';

/** mm->iommu_mm (v6.8+): the mm's PASID, the same on every device, and its SVA domains (one per SMMU). */
export interface IommuMmData {
  readonly pasid: number;
  svaDomains: string[];
}

/** An mm_struct as the IOMMU sees it: its CPU page table, its references, and what the CPU has mapped in it. */
export interface Mm {
  readonly name: string;
  /** The stage-1 table in the engine's tables (named `${name}.pgd`), and mm->pgd as a PA (what TTB0 of an SVA CD holds). */
  readonly pgtable: string;
  readonly pgd: bigint;
  /**
   * The CPU's ASID for this mm (arch/arm64/mm/context.c). Up to v6.9 the SVA
   * CD reused it (ASET = 0, broadcast TLBI); since v6.10 the SVA domain has
   * its own SMMU ASID and this one is only shown for comparison.
   */
  readonly cpuAsid: number;
  /** mm_users > 0: the process is running. False once exit_mmap has run. */
  alive: boolean;
  /** mm_count: 1 for the process until it exits, plus one mmgrab per SVA domain. At 0 the mm is freed with its PASID. */
  mmCount: number;
  iommuMm: IommuMmData | null;
  /** The pages the CPU has mapped (4 KB each, merged when contiguous): what an SVA DMA is judged against. */
  mappings: Mapping[];
}

/** struct iommu_sva: the bond of one mm to one group's PASID, returned by iommu_sva_bind_device. */
export interface SvaBond {
  /** The handle's name, which the caller passes to unbind. */
  readonly name: string;
  /** handle->dev: the device that first bound (a second device of the same group gets this same handle). */
  readonly dev: string;
  readonly mm: string;
  readonly domain: string;
  readonly group: number;
  readonly pasid: number;
  /** refcount_t users: binds of this mm on this group not yet unbound. */
  users: number;
}

export interface SvaState {
  mms: Mm[];
  bonds: SvaBond[];
  /** iommu_global_pasid_ida: PASIDs in use, from SVA and from iommu_alloc_global_pasid callers. */
  globalPasids: number[];
}

/** The SVA-only part of an iommu_domain (domain->mm, domain->users). */
export interface SvaDomainInfo {
  readonly mm: string;
  /** Groups whose PASID is attached to this domain (incremented per successful attach by bind). */
  users: number;
}
