/**
 * MSI doorbells behind the IOMMU (dma-iommu.c, iommu.c newest). A device
 * signals an interrupt by writing to a doorbell, such as a GICv3 ITS's
 * GITS_TRANSLATER; with translation on, that write needs an IOVA that maps
 * the doorbell page. At MSI setup the irqchip calls iommu_dma_prepare_msi,
 * which looks at the group's current domain:
 * - none or IDENTITY: the doorbell's physical address is used as it is;
 * - a DMA API cookie (DMA, DMA_FQ): one page per doorbell, at an IOVA from
 *   the domain's normal allocator (the SW MSI window is not used there);
 * - an MSI cookie (VFIO type1 on an UNMANAGED domain: iommu_get_msi_cookie
 *   at the SW MSI window, 0x8000000): a bump allocator from the window's
 *   base, one page per doorbell, the next page for the next doorbell;
 * - anything else (BLOCKED, an UNMANAGED domain without a cookie): -EOPNOTSUPP.
 * Every doorbell page is mapped write-only, no-execute (MMIO). The stage-1
 * tables arm-smmu-v3 uses cannot express write-only, so a read there is
 * allowed too; a stage-2 table can and refuses it. iommufd's own sw_msi
 * (IOMMU_COOKIE_IOMMUFD) is not modelled.
 */
import type { CallContext } from './context.ts';
import { DMA_BIT_MASK_32, iommuDmaAllocIova, iommuDmaFreeIova } from './dma-api.ts';
import { iommuMap } from './map.ts';
import { MSI_PROT } from './resv-regions.ts';
import { deviceNamed, domainNamed, findDomain, groupById } from './state.ts';
import type { Errno, IommuDomain, PciDevice, Ret } from './types.ts';

/** PAGE_SIZE: an MSI cookie maps in CPU pages. */
const PAGE_SIZE = 0x1000n;

/** iommu_get_msi_cookie(domain, base). */
export function iommuGetMsiCookie(ctx: CallContext, name: string, base: bigint): Ret {
  const d = domainNamed(ctx.linux, name);
  if (d.type !== 'UNMANAGED') return 'EINVAL';
  if (d.cookie !== 'none') return 'EEXIST';
  d.cookie = 'dma-msi';
  d.dma = { kind: 'dma-msi', base, msiIova: base, msiPages: [] };
  return 0;
}

/** iommu_dma_get_msi_page: the doorbell's page mapped once per domain, shared by every MSI that uses it. */
function getMsiPage(ctx: CallContext, d: IommuDomain, dev: PciDevice, msiAddr: bigint): { iova: bigint; granule: bigint } | Errno {
  const c = d.dma;
  if (!c) throw new Error(`model bug: ${d.name} has no cookie`);
  const granule = c.kind === 'dma-iova' ? (c.iovad?.granule ?? PAGE_SIZE) : PAGE_SIZE;
  const page = msiAddr & ~(granule - 1n);
  const found = c.msiPages.find((p) => p.phys === page);
  if (found) return { iova: found.iova, granule };
  const iova = iommuDmaAllocIova(ctx, d, dev, granule, dev.dmaMask ?? DMA_BIT_MASK_32);
  if (iova === 0n && c.kind === 'dma-iova') return 'ENOMEM';
  const r = iommuMap(ctx, d.name, iova, page, granule, MSI_PROT);
  if (r !== 0) {
    iommuDmaFreeIova(ctx, d, iova, granule);
    ctx.warn(`${dev.name}: mapping the doorbell page 0x${page.toString(16)} at 0x${iova.toString(16)} in ${d.name} failed with -${r}`);
    return 'ENOMEM';
  }
  c.msiPages.push({ phys: page, iova });
  return { iova, granule };
}

/**
 * iommu_dma_prepare_msi(desc, msi_addr), then the address the device is told
 * to write (iommu_dma_compose_msi_msg): the doorbell page's IOVA plus the
 * doorbell's offset within the page.
 */
export function iommuDmaPrepareMsi(ctx: CallContext, devName: string, msiAddr: bigint): { ret: 0 | Errno; value?: bigint } {
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return { ret: 0, value: msiAddr };
  const d = findDomain(ctx.linux, groupById(ctx.linux, dev.group).domain);
  // An IDENTITY domain must pass through.
  if (!d || d.type === 'IDENTITY') return { ret: 0, value: msiAddr };
  if (d.cookie === 'iommufd') ctx.warn(`${d.name}: iommufd_sw_msi is not modelled`);
  if (d.cookie !== 'dma-iova' && d.cookie !== 'dma-msi') return { ret: 'EOPNOTSUPP' };
  const p = getMsiPage(ctx, d, dev, msiAddr);
  if (typeof p === 'string') return { ret: p };
  return { ret: 0, value: p.iova + (msiAddr & (p.granule - 1n)) };
}
