/**
 * The kernel calls a scenario can make, one JSON step each: the function's
 * name as in Linux and its arguments as plain data. Objects are named: a
 * device by its name, a domain by the name it was allocated under, a group
 * by its sysfs number or by any device in it (iommu_group_get(dev)).
 */
import type { Prot } from '../../commands.ts';
import type { Access } from '../../hw/pgtable/types.ts';
import type { FieldValues } from '../../hw/smmu/fields.ts';
import type { DmaDirection } from './dma-types.ts';

/** A group: its id, or the name of a device in it. */
export type GroupRef = number | string;

export type LinuxCall =
  /** iommu_paging_domain_alloc(dev): an UNMANAGED domain, complete at once (v6.11+). The result is known as `name`. */
  | { readonly call: 'iommu_paging_domain_alloc'; readonly args: { readonly dev: string; readonly name: string } }
  /** iommu_paging_domain_alloc_flags(dev, flags): IOMMU_HWPT_ALLOC_NEST_PARENT gives a stage-2 domain with a VMID. */
  | { readonly call: 'iommu_paging_domain_alloc_flags'; readonly args: { readonly dev: string; readonly name: string; readonly flags: readonly string[] } }
  /** iommu_domain_alloc(bus) (up to about v6.12): finalised (page table, ASID) at its first attach. */
  | { readonly call: 'iommu_domain_alloc'; readonly args: { readonly name: string } }
  | { readonly call: 'iommu_domain_free'; readonly args: { readonly domain: string } }
  | { readonly call: 'iommu_attach_group'; readonly args: { readonly domain: string; readonly group: GroupRef } }
  | { readonly call: 'iommu_detach_group'; readonly args: { readonly domain: string; readonly group: GroupRef } }
  | { readonly call: 'iommu_attach_device'; readonly args: { readonly domain: string; readonly dev: string } }
  | { readonly call: 'iommu_detach_device'; readonly args: { readonly domain: string; readonly dev: string } }
  /** iommu_group_replace_domain(group, new) (v6.5 to about v6.12; iommufd's iommu_replace_group_handle since). null: NULL. */
  | { readonly call: 'iommu_group_replace_domain'; readonly args: { readonly group: GroupRef; readonly domain: string | null } }
  | { readonly call: 'iommu_group_claim_dma_owner'; readonly args: { readonly group: GroupRef; readonly owner: string } }
  | { readonly call: 'iommu_group_release_dma_owner'; readonly args: { readonly group: GroupRef } }
  | { readonly call: 'iommu_device_claim_dma_owner'; readonly args: { readonly dev: string; readonly owner: string } }
  | { readonly call: 'iommu_device_release_dma_owner'; readonly args: { readonly dev: string } }
  /** What binding a kernel driver does (pci_dma_configure): owner_cnt++ unless the group is owned. */
  | { readonly call: 'iommu_device_use_default_domain'; readonly args: { readonly dev: string; readonly driver?: string } }
  /** What unbinding it does. */
  | { readonly call: 'iommu_device_unuse_default_domain'; readonly args: { readonly dev: string } }
  | { readonly call: 'iommu_map'; readonly args: { readonly domain: string; readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot } }
  | { readonly call: 'iommu_unmap'; readonly args: { readonly domain: string; readonly iova: bigint; readonly size: bigint } }
  | { readonly call: 'iommu_iova_to_phys'; readonly args: { readonly domain: string; readonly iova: bigint } }
  /** PASIDs and SVA (os/core/pasid.ts, sva.ts): `handle` names an attach handle (iommufd's), an SVA bond's is returned by bind. */
  | { readonly call: 'iommu_attach_device_pasid'; readonly args: { readonly domain: string; readonly dev: string; readonly pasid: number; readonly handle?: string } }
  | { readonly call: 'iommu_detach_device_pasid'; readonly args: { readonly domain: string; readonly dev: string; readonly pasid: number } }
  | { readonly call: 'iommu_replace_device_pasid'; readonly args: { readonly domain: string; readonly dev: string; readonly pasid: number; readonly handle?: string } }
  | { readonly call: 'iommu_alloc_global_pasid'; readonly args: { readonly dev: string } }
  | { readonly call: 'iommu_free_global_pasid'; readonly args: { readonly pasid: number } }
  | { readonly call: 'iommu_sva_bind_device'; readonly args: { readonly dev: string; readonly mm: string } }
  | { readonly call: 'iommu_sva_unbind_device'; readonly args: { readonly handle: string } }
  | { readonly call: 'iommu_sva_get_pasid'; readonly args: { readonly handle: string } }
  /** Model operations on a process (os/core/mm.ts), not IOMMU calls: a new mm, the CPU mapping/unmapping pages, exit. */
  | { readonly call: 'mm_alloc'; readonly args: { readonly name: string } }
  | { readonly call: 'mm_map'; readonly args: { readonly mm: string; readonly va: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: Prot } }
  /** `invalidateSecondaryTlbs: false` skips the mmu notifier, to show the stale IOTLB entry it prevents. */
  | { readonly call: 'mm_unmap'; readonly args: { readonly mm: string; readonly va: bigint; readonly size: bigint; readonly invalidateSecondaryTlbs?: boolean } }
  | { readonly call: 'mm_exit'; readonly args: { readonly mm: string } }
  /** A write to /sys/kernel/iommu_groups/N/type: "identity", "DMA", "DMA-FQ" or "auto". */
  | { readonly call: 'iommu_group_store_type'; readonly args: { readonly group: GroupRef; readonly type: string } }
  /** IOMMU_VIOMMU_ALLOC on a nesting-parent domain (arm_vsmmu_init). */
  | { readonly call: 'iommufd_viommu_alloc'; readonly args: { readonly name: string; readonly parent: string; readonly dev: string } }
  /** IOMMU_VDEVICE_ALLOC: the guest's StreamID (virt_id) for a device. */
  | { readonly call: 'iommufd_vdevice_alloc'; readonly args: { readonly viommu: string; readonly dev: string; readonly virtId: number } }
  /** IOMMU_HWPT_ALLOC on a vIOMMU (arm_vsmmu_alloc_domain_nested): the guest's vSTE, by STE field names. */
  | { readonly call: 'iommufd_viommu_alloc_hwpt_nested'; readonly args: { readonly name: string; readonly viommu: string; readonly vste: Partial<FieldValues> } }
  /**
   * IOMMU_HWPT_ALLOC on a nesting-parent HWPT (iommufd_hwpt_nested_alloc -> domain_alloc_nested), with
   * IOMMU_HWPT_DATA_VTD_S1: struct iommu_hwpt_vtd_s1's flags (vtdFlags), pgtbl_addr and addr_width. intel-iommu only.
   */
  | { readonly call: 'iommufd_hwpt_nested_alloc'; readonly args: { readonly name: string; readonly parent: string; readonly dev: string; readonly flags?: readonly string[]; readonly vtdFlags?: readonly string[]; readonly pgtblAddr: bigint; readonly addrWidth: number } }
  /** IOMMU_HWPT_INVALIDATE on a nested HWPT: one struct iommu_hwpt_vtd_s1_invalidate (npages 0xffff_ffff_ffff_ffff: all). */
  | { readonly call: 'iommufd_hwpt_invalidate'; readonly args: { readonly domain: string; readonly addr: bigint; readonly npages: bigint; readonly leaf?: boolean } }
  /** The DMA API on the device's default domain (os/core/dma-map.ts). dma_map_* return the DMA address, or DMA_MAPPING_ERROR. */
  | { readonly call: 'dma_set_mask'; readonly args: { readonly dev: string; readonly bits: number } }
  | { readonly call: 'dma_map_single'; readonly args: { readonly dev: string; readonly paddr: bigint; readonly size: bigint; readonly dir: DmaDirection; readonly privileged?: boolean } }
  | { readonly call: 'dma_unmap_single'; readonly args: { readonly dev: string; readonly dmaAddr: bigint; readonly size: bigint; readonly dir: DmaDirection } }
  | { readonly call: 'dma_map_sg'; readonly args: { readonly dev: string; readonly sg: readonly { readonly paddr: bigint; readonly length: bigint }[]; readonly dir: DmaDirection } }
  /** `dmaAddr`: the first segment's DMA address as dma_map_sg returned it. */
  | { readonly call: 'dma_unmap_sg'; readonly args: { readonly dev: string; readonly dmaAddr: bigint; readonly dir: DmaDirection } }
  /** Model operation: the flush-queue timer of a DMA_FQ domain fires (fq_flush_timeout); the engine has no clock. */
  | { readonly call: 'fq_flush_timeout'; readonly args: { readonly domain: string } }
  /** Reserved regions and MSI doorbells (resv-regions.ts, msi.ts); `msiAddr` is the doorbell's physical address (e.g. GITS_TRANSLATER). */
  | { readonly call: 'iommu_get_group_resv_regions'; readonly args: { readonly group: GroupRef } }
  | { readonly call: 'iommu_get_msi_cookie'; readonly args: { readonly domain: string; readonly base: bigint } }
  | { readonly call: 'iommu_dma_prepare_msi'; readonly args: { readonly dev: string; readonly msiAddr: bigint } }
  /** The PCI layer's PASID / ATS / PRI helpers (pci-caps.ts). */
  | { readonly call: 'pci_enable_pasid'; readonly args: { readonly dev: string; readonly features?: readonly ('exec' | 'priv')[] } }
  | { readonly call: 'pci_disable_pasid'; readonly args: { readonly dev: string } }
  | { readonly call: 'pci_enable_ats'; readonly args: { readonly dev: string; readonly ps: number } }
  | { readonly call: 'pci_disable_ats'; readonly args: { readonly dev: string } }
  | { readonly call: 'pci_enable_pri'; readonly args: { readonly dev: string; readonly reqs: number } }
  | { readonly call: 'pci_disable_pri'; readonly args: { readonly dev: string } }
  /** Model operation: the device sends an ATS Translation Request and caches the answer in its ATC (ats-ops.ts). */
  | { readonly call: 'ats_translate'; readonly args: { readonly dev: string; readonly iova: bigint; readonly write?: boolean; readonly pasid?: number } };

export type LinuxCallName = LinuxCall['call'];

/**
 * A DMA a device issues while a call switches domains. `at` is the index of
 * the checkpoint (the call's event lists them); absent: at every checkpoint,
 * as a device that keeps streaming would.
 */
export interface InflightDma {
  readonly device: string;
  readonly iova: bigint;
  readonly access: Access;
  readonly pasid?: number;
  readonly at?: number;
}
