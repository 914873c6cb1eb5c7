/**
 * The Linux IOMMU core's calls (iommu.c, iommufd): domains, attach and
 * detach, DMA ownership, map and unmap, the sysfs type, nesting. One entry
 * per call; see linux-calls.ts.
 */
import { type CallSpec, dev, domain, group, newDomain, u64 } from './linux-call-spec.ts';

export const CORE_CALLS: Readonly<Record<string, CallSpec>> = {
  iommu_paging_domain_alloc: { description: 'An UNMANAGED paging domain for the device\'s IOMMU, complete at once (page table, ASID).', args: { dev: dev(), name: newDomain } },
  iommu_paging_domain_alloc_flags: {
    description: 'A paging domain with IOMMU_HWPT_ALLOC_* flags: NEST_PARENT gives a stage-2 domain with a VMID.',
    args: { dev: dev(), name: newDomain, flags: { role: 'flags', description: 'Flag names, e.g. "IOMMU_HWPT_ALLOC_NEST_PARENT".' } },
  },
  iommu_domain_alloc: { description: 'The older iommu_domain_alloc(bus): finalised (page table, ASID) at its first attach.', args: { name: newDomain } },
  iommu_domain_free: { description: 'Free a domain: its TLB entries are invalidated, its tables and ASID/VMID given back.', args: { domain: domain() } },
  iommu_attach_group: { description: 'Attach every device of the group to the domain.', args: { domain: domain(), group } },
  iommu_detach_group: { description: 'Back to the blocking domain if the group is owned, else to its default domain.', args: { domain: domain(), group } },
  iommu_attach_device: { description: 'Attach a device (alone in its group) to the domain.', args: { domain: domain(), dev: dev() } },
  iommu_detach_device: { description: 'Detach a device (alone in its group) from the domain.', args: { domain: domain(), dev: dev() } },
  iommu_group_replace_domain: {
    description: 'Switch the group straight from whatever it is on to the new domain.',
    args: { group, domain: { role: 'domain|null', description: 'The new domain, or null (the kernel\'s NULL: -EINVAL).' } },
  },
  iommu_group_claim_dma_owner: { description: 'Take the group for user space (VFIO, iommufd): it moves to its blocking domain.', args: { group, owner: { role: 'text', description: 'The owner cookie, e.g. "vfio".' } } },
  iommu_group_release_dma_owner: { description: 'Give the group back to the kernel: it returns to its default domain.', args: { group } },
  iommu_device_claim_dma_owner: { description: 'Claim through one device; the same owner may claim the group\'s other devices.', args: { dev: dev(), owner: { role: 'text', description: 'The owner cookie.' } } },
  iommu_device_release_dma_owner: { description: 'Release a device claim; the last one releases the group.', args: { dev: dev() } },
  iommu_device_use_default_domain: {
    description: 'What binding a kernel driver does: owner_cnt++ unless the group is owned.',
    args: { dev: dev(), driver: { role: 'text', optional: true, description: 'The driver\'s name, e.g. "nvme".' } },
  },
  iommu_device_unuse_default_domain: { description: 'What unbinding a kernel driver does: owner_cnt--.', args: { dev: dev() } },
  iommu_map: {
    description: 'Map a range into a paging domain\'s page table.',
    args: { domain: domain(), iova: u64('First IOVA.'), paddr: u64('Physical address it maps to.'), size: u64('Bytes.'), prot: { role: 'prot', description: 'Permissions: "rw", "r" ... as in pgtable.map.' } },
  },
  iommu_unmap: { description: 'Unmap a range; returns the bytes unmapped.', args: { domain: domain(), iova: u64('First IOVA.'), size: u64('Bytes.') } },
  iommu_iova_to_phys: { description: 'The physical address the domain maps an IOVA to (0 if none).', args: { domain: domain(), iova: u64('The IOVA.') } },
  iommu_group_store_type: {
    description: 'A write to /sys/kernel/iommu_groups/N/type: a new default domain.',
    args: { group, type: { role: 'text', description: '"identity", "DMA", "DMA-FQ" or "auto".' } },
  },
  iommufd_viommu_alloc: {
    description: 'IOMMU_VIOMMU_ALLOC: a vIOMMU on a nesting-parent (stage-2) domain.',
    args: { name: { role: 'new-viommu', description: 'The name later steps use for the vIOMMU.' }, parent: domain('The nesting-parent domain.'), dev: dev() },
  },
  iommufd_vdevice_alloc: {
    description: 'IOMMU_VDEVICE_ALLOC: the StreamID the guest knows the device by.',
    args: { viommu: { role: 'viommu', description: 'The vIOMMU.' }, dev: dev(), virtId: { role: 'int', description: 'The guest\'s (virtual) StreamID.' } },
  },
  iommufd_viommu_alloc_hwpt_nested: {
    description: 'IOMMU_HWPT_ALLOC on a vIOMMU: a NESTED domain from the guest\'s vSTE.',
    args: { name: newDomain, viommu: { role: 'viommu', description: 'The vIOMMU.' }, vste: { role: 'ste-fields', description: 'The guest\'s STE, by field name: V, Config, S1ContextPtr (an IPA) ...' } },
  },
  iommufd_hwpt_nested_alloc: {
    description: 'IOMMU_HWPT_ALLOC on a nesting-parent domain with IOMMU_HWPT_DATA_VTD_S1 (intel-iommu): a NESTED domain from the guest\'s first-stage table.',
    args: {
      name: newDomain, parent: domain('The nesting-parent (second-stage) domain.'), dev: dev(),
      flags: { role: 'flags', optional: true, description: 'IOMMU_HWPT_ALLOC_* flags for the nested domain: only "IOMMU_HWPT_ALLOC_PASID".' },
      vtdFlags: { role: 'flags', optional: true, description: 'struct iommu_hwpt_vtd_s1 flags: "IOMMU_VTD_S1_SRE", "IOMMU_VTD_S1_EAFE", "IOMMU_VTD_S1_WPE".' },
      pgtblAddr: u64('pgtbl_addr: the guest\'s first-stage table, a guest-physical address.'),
      addrWidth: { role: 'int', description: 'addr_width: 48 (4-level) or 57 (5-level).' },
    },
  },
  iommufd_hwpt_invalidate: {
    description: 'IOMMU_HWPT_INVALIDATE on a nested domain: the guest\'s IOTLB invalidation (struct iommu_hwpt_vtd_s1_invalidate).',
    args: {
      domain: domain('The nested domain.'), addr: u64('First address (4 KB aligned).'), npages: u64('4 KB pages; 0xffff_ffff_ffff_ffff: everything (addr must be 0).'),
      leaf: { role: 'bool', optional: true, description: 'IOMMU_VTD_INV_FLAGS_LEAF: only leaf entries changed.' },
    },
  },
};

