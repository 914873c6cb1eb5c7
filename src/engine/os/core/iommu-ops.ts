/**
 * The seam between the Linux IOMMU core and an IOMMU driver, named after
 * struct iommu_ops and struct iommu_domain_ops (include/linux/iommu.h). The
 * core calls these instead of a driver's functions, so the same kernel calls
 * run on arm-smmu-v3 or intel-iommu; linux.boot picks the driver.
 *
 * Beyond the kernel's ops, a driver here also hands the core its hardware
 * as the core's checks need it (`hw`): the PCIe endpoints behind it, DMA
 * from a device, and a side-effect-free DMA for the transition checks.
 */
import type { Prot } from '../../commands.ts';
import type { MemoryWrite } from '../../events.ts';
import type { PciEndpoints } from '../../hw/pci/endpoints.ts';
import type { MappedEntry, TableRef } from '../../hw/pgtable/io-pgtable.ts';
import type { DmaOutcome, DmaTransaction } from '../../hw/smmu/dma-types.ts';
import type { VtdDmaOutcome } from '../../hw/vtd/dma-types.ts';
import type { CallContext } from './context.ts';
import type { DomainTypeName } from './domain-type.ts';
import type { Mm } from './sva-types.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice, Ret, VtdS1UserData } from './types.ts';

export type IommuDriverName = 'arm-smmu-v3' | 'intel-iommu';

/** A domain's page table as the core's iommu_map / iommu_unmap use it (io-pgtable's ops). */
export interface DomainPgtable {
  readonly g: { readonly inputSize: number; readonly granule: number };
  readonly oaBits: number;
  /** Throws IoPgtableError (EEXIST, EINVAL, ERANGE) or an ENOMEM EngineError, writing nothing on refusal. */
  map(iova: bigint, paddr: bigint, size: bigint, prot: Prot): { readonly entries: readonly MappedEntry[]; readonly tables: readonly TableRef[]; readonly writes: readonly MemoryWrite[] };
  unmap(iova: bigint, size: bigint): { readonly unmapped: bigint; readonly entries: readonly MappedEntry[]; readonly tablesFreed: readonly TableRef[]; readonly writes: readonly MemoryWrite[] };
  iovaToPhys(iova: bigint): bigint | undefined;
}

/** A device's DMA as the IOMMU saw it: in the SMMU's terms (what the core judges), and the VT-d unit's own outcome when it was VT-d. */
export interface DeviceRequestOutcome {
  readonly outcome: DmaOutcome;
  readonly vtd?: VtdDmaOutcome;
}

export interface IommuHw {
  readonly endpoints: PciEndpoints;
  /** A real request from a device (through its ATC where the driver models ATS). */
  request(tx: DmaTransaction): DeviceRequestOutcome;
  /** A real untranslated request straight to the IOMMU (the transition's in-flight DMA). */
  dma(tx: DmaTransaction): DeviceRequestOutcome;
  /** A function that translates as a DMA would now, changing nothing (copies of the caches, no fault records). */
  peeker(): (tx: DmaTransaction) => DmaOutcome;
}

export interface IommuOps {
  readonly name: IommuDriverName;
  /** The driver's static domains (arm_smmu_blocked_domain / blocking_domain ...). */
  readonly blockedDomain: string;
  readonly identityDomain: string;
  hw(ctx: CallContext): IommuHw;
  /** PASID bits the IOMMU and its driver can give a device (max_pasids = 2^bits). */
  pasidBits(ctx: CallContext): number;
  /** The bits a master's PASID table actually covers once probed (0 when PASID could not be enabled). */
  masterPasidLimit(ctx: CallContext): number;
  /** probe_device. */
  probeDevice(ctx: CallContext, dev: PciDevice, rids: readonly number[]): ArmSmmuMaster | Errno;
  /** domain_alloc_paging_flags, before finalising: refuses flags, or says which stage a paging domain gets. */
  pagingStage(ctx: CallContext, flags: readonly string[]): { readonly stage: 1 | 2; readonly nestParent: boolean } | Errno;
  /** The stage of a legacy iommu_domain_alloc() domain. */
  legacyStage(ctx: CallContext): 1 | 2;
  /** Gives a paging domain its page table, page sizes and IDs. */
  finalise(ctx: CallContext, d: IommuDomain): 0 | Errno;
  /** iommu_domain_ops.free for a paging domain. */
  freePaging(ctx: CallContext, d: IommuDomain): void;
  attachDev(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno;
  /** set_dev_pasid of a paging, SVA or blocking domain. */
  pagingSetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 | Errno;
  svaSetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null, mm: Mm | null): 0 | Errno;
  blockingSetDevPasid(ctx: CallContext, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 | Errno;
  pgtable(ctx: CallContext, d: IommuDomain): DomainPgtable;
  /** iotlb_sync after an unmap. */
  iotlbSync(ctx: CallContext, d: IommuDomain, entries: readonly MappedEntry[]): void;
  /** flush_iotlb_all. */
  flushIotlbAll(ctx: CallContext, d: IommuDomain, why: string): void;
  svaDomainAlloc(ctx: CallContext, name: string, mm: Mm): IommuDomain | Errno;
  svaDomainFree(ctx: CallContext, d: IommuDomain): void;
  /** The mmu notifier's arch_invalidate_secondary_tlbs and release. */
  mmInvalidate(ctx: CallContext, d: IommuDomain, start: bigint, end: bigint): void;
  mmRelease(ctx: CallContext, d: IommuDomain): void;
  /** domain_alloc_nested (IOMMU_HWPT_ALLOC on a nesting-parent HWPT); a driver without it gives -EOPNOTSUPP. */
  domainAllocNested?(ctx: CallContext, name: string, parent: IommuDomain, dev: PciDevice, flags: readonly string[], data: VtdS1UserData): IommuDomain | Errno;
  /** A nested domain's cache_invalidate_user (IOMMU_HWPT_INVALIDATE), one request. */
  cacheInvalidateUser?(ctx: CallContext, d: IommuDomain, req: { readonly addr: bigint; readonly npages: bigint; readonly leaf: boolean }): 0 | Errno;
}

/** A paging domain before the driver finalises it (core bookkeeping kept in `smmu`, whichever the driver). */
export function newDriverPagingDomain(owner: IommuDriverName, name: string, type: DomainTypeName, stage: 1 | 2, nestParent: boolean, ops: IommuDomain['ops']): IommuDomain {
  return {
    name, type, ops, isStatic: false, owner, pgsizeBitmap: 0n, geometry: null,
    cookie: type === 'DMA' || type === 'DMA_FQ' ? 'dma-iova' : 'none',
    smmu: { stage, finalised: false, asid: null, vmid: null, pgtable: null, pgtableRoot: null, nestParent, devices: [] }, nested: null, mappings: [],
  };
}

export type { Ret };
