/**
 * One Linux call: dispatch by name to the core, and the kernel's return
 * value (0, -errno, or the size_t / phys_addr_t / ssize_t some calls return).
 */
import { assertNever } from '../../util/assert.ts';
import { iommuAttachDevice, iommuAttachGroup, iommuDetachDevice, iommuDetachGroup, iommuGroupReplaceDomain } from './attach.ts';
import type { LinuxCall } from './call-types.ts';
import type { CallContext } from './context.ts';
import { groupStoreType } from './default-domain.ts';
import { domainFree, legacyDomainAlloc, pagingDomainAlloc } from './domain-alloc.ts';
import { iommuIovaToPhys, iommuMap, iommuUnmap } from './map.ts';
import { hwptAllocNested, hwptInvalidate, hwptNestedAlloc, vdeviceAlloc, viommuAlloc } from './nested.ts';
import { deviceClaimDmaOwner, deviceReleaseDmaOwner, deviceUnuseDefaultDomain, deviceUseDefaultDomain, groupClaimDmaOwner, groupReleaseDmaOwner } from './ownership.ts';
import { runDmaCall } from './dma-calls.ts';
import { runPasidCall } from './pasid-calls.ts';
import { resolveGroup } from './state.ts';
import type { Errno } from './types.ts';

export interface CallOutcome {
  readonly ret: 0 | Errno;
  /** For calls that return a quantity: bytes unmapped, a physical address, bytes written to sysfs. */
  readonly value?: bigint;
  /** The return value as the kernel would print it. */
  readonly returned: string;
}

function ret(r: 0 | Errno): CallOutcome {
  return { ret: r, returned: r === 0 ? '0' : `-${r}` };
}

function quantity(r: { ret: 0 | Errno; value?: bigint }, decimal = false): CallOutcome {
  if (r.ret !== 0 || r.value === undefined) return ret(r.ret);
  return { ret: 0, value: r.value, returned: decimal ? r.value.toString() : `0x${r.value.toString(16)}` };
}

export function runCall(ctx: CallContext, c: LinuxCall): CallOutcome {
  const { linux } = ctx;
  switch (c.call) {
    case 'iommu_paging_domain_alloc':
      return ret(pagingDomainAlloc(ctx, c.args.dev, c.args.name, []));
    case 'iommu_paging_domain_alloc_flags':
      return ret(pagingDomainAlloc(ctx, c.args.dev, c.args.name, c.args.flags));
    case 'iommu_domain_alloc':
      return ret(legacyDomainAlloc(ctx, c.args.name));
    case 'iommu_domain_free':
      return ret(domainFree(ctx, c.args.domain));
    case 'iommu_attach_group':
      return ret(iommuAttachGroup(ctx, c.args.domain, resolveGroup(linux, c.args.group)));
    case 'iommu_detach_group':
      return ret(iommuDetachGroup(ctx, c.args.domain, resolveGroup(linux, c.args.group)));
    case 'iommu_attach_device':
      return ret(iommuAttachDevice(ctx, c.args.domain, c.args.dev));
    case 'iommu_detach_device':
      return ret(iommuDetachDevice(ctx, c.args.domain, c.args.dev));
    case 'iommu_group_replace_domain':
      return ret(iommuGroupReplaceDomain(ctx, resolveGroup(linux, c.args.group), c.args.domain));
    case 'iommu_group_claim_dma_owner':
      return ret(groupClaimDmaOwner(ctx, resolveGroup(linux, c.args.group), c.args.owner));
    case 'iommu_group_release_dma_owner':
      return ret(groupReleaseDmaOwner(ctx, resolveGroup(linux, c.args.group)));
    case 'iommu_device_claim_dma_owner':
      return ret(deviceClaimDmaOwner(ctx, c.args.dev, c.args.owner));
    case 'iommu_device_release_dma_owner':
      return ret(deviceReleaseDmaOwner(ctx, c.args.dev));
    case 'iommu_device_use_default_domain':
      return ret(deviceUseDefaultDomain(ctx, c.args.dev, c.args.driver));
    case 'iommu_device_unuse_default_domain':
      return ret(deviceUnuseDefaultDomain(ctx, c.args.dev));
    case 'iommu_map':
      return ret(iommuMap(ctx, c.args.domain, c.args.iova, c.args.paddr, c.args.size, c.args.prot));
    case 'iommu_unmap':
      return quantity(iommuUnmap(ctx, c.args.domain, c.args.iova, c.args.size));
    case 'iommu_iova_to_phys':
      return quantity(iommuIovaToPhys(ctx, c.args.domain, c.args.iova));
    case 'iommu_attach_device_pasid':
    case 'iommu_detach_device_pasid':
    case 'iommu_replace_device_pasid':
    case 'iommu_alloc_global_pasid':
    case 'iommu_free_global_pasid':
    case 'iommu_sva_bind_device':
    case 'iommu_sva_unbind_device':
    case 'iommu_sva_get_pasid':
    case 'mm_alloc':
    case 'mm_map':
    case 'mm_unmap':
    case 'mm_exit':
      return runPasidCall(ctx, c);
    case 'iommu_group_store_type':
      return quantity(groupStoreType(ctx, resolveGroup(linux, c.args.group), c.args.type), true);
    case 'iommufd_viommu_alloc':
      return ret(viommuAlloc(ctx, c.args.name, c.args.parent, c.args.dev));
    case 'iommufd_vdevice_alloc':
      return ret(vdeviceAlloc(ctx, c.args.viommu, c.args.dev, c.args.virtId));
    case 'iommufd_viommu_alloc_hwpt_nested':
      return ret(hwptAllocNested(ctx, c.args.name, c.args.viommu, c.args.vste));
    case 'iommufd_hwpt_nested_alloc':
      return ret(hwptNestedAlloc(ctx, c.args.name, c.args.parent, c.args.dev, c.args.flags ?? [], { flags: c.args.vtdFlags ?? [], pgtblAddr: c.args.pgtblAddr, addrWidth: c.args.addrWidth }));
    case 'iommufd_hwpt_invalidate':
      return ret(hwptInvalidate(ctx, c.args.domain, c.args.addr, c.args.npages, c.args.leaf));
    case 'dma_set_mask':
    case 'dma_map_single':
    case 'dma_unmap_single':
    case 'dma_map_sg':
    case 'dma_unmap_sg':
    case 'fq_flush_timeout':
    case 'iommu_get_group_resv_regions':
    case 'iommu_get_msi_cookie':
    case 'iommu_dma_prepare_msi':
    case 'pci_enable_pasid':
    case 'pci_disable_pasid':
    case 'pci_enable_ats':
    case 'pci_disable_ats':
    case 'pci_enable_pri':
    case 'pci_disable_pri':
    case 'ats_translate':
      return runDmaCall(ctx, c);
    default:
      return assertNever(c, 'Linux call');
  }
}
