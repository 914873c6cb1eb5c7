/**
 * The calls of the layers above the core: PASIDs and SVA (iommu-sva.c, a
 * process's mm), the DMA API and its flush queue (dma-iommu.c), reserved
 * regions and MSI doorbells, the PCI layer's PASID / ATS / PRI helpers. One
 * entry per call; see linux-calls.ts. Model operations (the CPU mapping a
 * page, a timer firing, a device's ATS request) are named as the engine
 * names them.
 */
import { type ArgSpec, type CallSpec, dev, domain, group, u64 } from './linux-call-spec.ts';

const pasid: ArgSpec = { role: 'int', description: 'The PASID (SubstreamID).' };
const mm = (description = 'A process address space made by mm_alloc.'): ArgSpec => ({ role: 'mm', description });
const handle = (description: string): ArgSpec => ({ role: 'text', description });
const dir: ArgSpec = { role: 'text', description: '"DMA_BIDIRECTIONAL", "DMA_TO_DEVICE" or "DMA_FROM_DEVICE".' };
const prot: ArgSpec = { role: 'prot', description: 'Permissions: "rw", "r" ...' };

export const MORE_CALLS: Readonly<Record<string, CallSpec>> = {
  iommu_attach_device_pasid: {
    description: 'Attach a domain to one PASID of a device (its CD for that SubstreamID).',
    args: { domain: domain(), dev: dev(), pasid, handle: { ...handle('An attach handle\'s name (iommufd).'), optional: true } },
  },
  iommu_detach_device_pasid: { description: 'Detach a PASID of a device from the domain.', args: { domain: domain(), dev: dev(), pasid } },
  iommu_replace_device_pasid: {
    description: 'Move a PASID of a device straight to another domain.',
    args: { domain: domain(), dev: dev(), pasid, handle: { ...handle('An attach handle\'s name (iommufd).'), optional: true } },
  },
  iommu_alloc_global_pasid: { description: 'A PASID from the global space, for the device\'s kernel use.', args: { dev: dev() } },
  iommu_free_global_pasid: { description: 'Give a global PASID back.', args: { pasid } },
  iommu_sva_bind_device: {
    description: 'Bind a process\'s address space to the device: a PASID whose CD points at the mm\'s page table. Binding again takes a reference on the same bond.',
    args: { dev: dev(), mm: mm() },
  },
  iommu_sva_unbind_device: { description: 'Drop a reference on the bond; the last one detaches the PASID.', args: { handle: handle('The bond, as bind named it: "sva:<device>:<mm>".') } },
  iommu_sva_get_pasid: { description: 'The PASID of a bond.', args: { handle: handle('The bond, as bind named it: "sva:<device>:<mm>".') } },
  mm_alloc: { description: 'A new process address space (model operation): an mm with its own CPU page table.', args: { name: { role: 'new-mm', description: 'The name later steps use for the mm.' } } },
  mm_map: { description: 'The CPU maps a page in the mm (model operation).', args: { mm: mm(), va: u64('Virtual address.'), paddr: u64('Physical address.'), size: u64('Bytes.'), prot } },
  mm_unmap: {
    description: 'The CPU unmaps a range of the mm (model operation); the mmu notifier invalidates the SMMU\'s TLBs unless told not to.',
    args: { mm: mm(), va: u64('Virtual address.'), size: u64('Bytes.'), invalidateSecondaryTlbs: { role: 'bool', optional: true, description: 'false skips the mmu notifier, to show the stale IOTLB entry it prevents.' } },
  },
  mm_exit: { description: 'The process exits (model operation): what it does to the devices bound to its mm.', args: { mm: mm() } },
  dma_set_mask: { description: 'The driver sets the device\'s DMA mask.', args: { dev: dev(), bits: { role: 'int', description: 'Address bits the device can drive.' } } },
  dma_map_single: {
    description: 'The DMA API maps a buffer into the device\'s default domain; returns its DMA address.',
    args: { dev: dev(), paddr: u64('The buffer\'s physical address.'), size: u64('Bytes.'), dir, privileged: { role: 'bool', optional: true, description: 'DMA_ATTR_PRIVILEGED.' } },
  },
  dma_unmap_single: { description: 'Unmap a buffer: strict domains invalidate at once, DMA_FQ ones queue the invalidation.', args: { dev: dev(), dmaAddr: u64('The DMA address dma_map_single returned.'), size: u64('Bytes.'), dir } },
  dma_map_sg: { description: 'Map a scatterlist into one contiguous IOVA range.', args: { dev: dev(), sg: { role: 'sg', description: 'The segments: [{ "paddr", "length" }], hex.' }, dir } },
  dma_unmap_sg: { description: 'Unmap a scatterlist.', args: { dev: dev(), dmaAddr: u64('The first segment\'s DMA address as dma_map_sg returned it.'), dir } },
  fq_flush_timeout: { description: 'The flush queue\'s timer fires (model operation): the deferred invalidations are made.', args: { domain: domain() } },
  iommu_get_group_resv_regions: { description: 'The group\'s reserved regions, as sysfs reserved_regions lists them.', args: { group } },
  iommu_get_msi_cookie: { description: 'VFIO sets up an MSI cookie on its domain: the software MSI window.', args: { domain: domain(), base: u64('The IOVA of the MSI window.') } },
  iommu_dma_prepare_msi: { description: 'Map the MSI doorbell for the device: the doorbell page at a reserved IOVA.', args: { dev: dev(), msiAddr: u64('The doorbell\'s physical address (GITS_TRANSLATER).') } },
  pci_enable_pasid: { description: 'Set PASID Enable in the device\'s PASID capability.', args: { dev: dev(), features: { role: 'flags', optional: true, description: '"exec", "priv".' } } },
  pci_disable_pasid: { description: 'Clear PASID Enable.', args: { dev: dev() } },
  pci_enable_ats: { description: 'Set ATS Enable, with the Smallest Translation Unit.', args: { dev: dev(), ps: { role: 'int', description: 'The page shift (12 for 4KB).' } } },
  pci_disable_ats: { description: 'Clear ATS Enable.', args: { dev: dev() } },
  pci_enable_pri: { description: 'Set PRI Enable with the outstanding page request allocation.', args: { dev: dev(), reqs: { role: 'int', description: 'Outstanding page requests.' } } },
  pci_disable_pri: { description: 'Clear PRI Enable.', args: { dev: dev() } },
  ats_translate: {
    description: 'The device sends an ATS Translation Request and caches the answer in its ATC (model operation).',
    args: { dev: dev(), iova: u64('The address to translate.'), write: { role: 'bool', optional: true, description: 'Ask for write permission.' }, pasid: { ...pasid, optional: true } },
  },
};
