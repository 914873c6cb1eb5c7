/**
 * The kernel calls a scenario can make, one JSON step each: the function's
 * name as in Linux and its arguments as plain data. Objects are named: a
 * device by its name, a domain by the name it was allocated under, a group
 * by its sysfs number or by any device in it (iommu_group_get(dev)).
 */
import type { Prot } from '../../commands.ts';
import type { Access } from '../../hw/pgtable/types.ts';
import type { FieldValues } from '../../hw/smmu/fields.ts';

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
  /** A write to /sys/kernel/iommu_groups/N/type: "identity", "DMA", "DMA-FQ" or "auto". */
  | { readonly call: 'iommu_group_store_type'; readonly args: { readonly group: GroupRef; readonly type: string } }
  /** IOMMU_VIOMMU_ALLOC on a nesting-parent domain (arm_vsmmu_init). */
  | { readonly call: 'iommufd_viommu_alloc'; readonly args: { readonly name: string; readonly parent: string; readonly dev: string } }
  /** IOMMU_VDEVICE_ALLOC: the guest's StreamID (virt_id) for a device. */
  | { readonly call: 'iommufd_vdevice_alloc'; readonly args: { readonly viommu: string; readonly dev: string; readonly virtId: number } }
  /** IOMMU_HWPT_ALLOC on a vIOMMU (arm_vsmmu_alloc_domain_nested): the guest's vSTE, by STE field names. */
  | { readonly call: 'iommufd_viommu_alloc_hwpt_nested'; readonly args: { readonly name: string; readonly viommu: string; readonly vste: Partial<FieldValues> } };

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
