/**
 * The DMA API on an IOMMU (dma-iommu.c, newest): what a kernel driver's
 * dma_map_single / dma_unmap_single does on a DMA or DMA_FQ default domain.
 * - The domain is always the group's default domain (iommu_get_dma_domain),
 *   even while the group is claimed: the mapping then lands in a table the
 *   device is not attached to.
 * - IOVAs come from the domain's allocator (iova.ts), top-down under the
 *   device's DMA mask, below 4 GB first for PCI (pci_32bit_workaround), in
 *   granules, skipping reserved regions; DMA_MAPPING_ERROR when none is left
 *   or iommu_map fails.
 * - Unmap on a strict (DMA) domain clears the entries and invalidates before
 *   it returns (TLBI + ATC_INV + CMD_SYNC), and the IOVA goes back at once;
 *   on DMA_FQ it only clears the entries and queues the rest (flush-queue.ts).
 * A device without a DMA domain (identity, or no IOMMU) uses dma-direct: its
 * DMA address is the physical address. Bounce buffers (swiotlb), CPU cache
 * maintenance and the coherent/MMIO memory attributes are not modelled.
 */
import type { Prot } from '../../commands.ts';
import type { CallContext } from './context.ts';
import type { DmaDirection, DmaHandle, IommuDmaCookie } from './dma-types.ts';
import { isDmaDomain } from './domain-type.ts';
import { flushQueueOf, queueIova } from './flush-queue.ts';
import { fls, initIovaDomain, iovaShift, reserveIova } from './iova.ts';
import { allocIovaFast, freeIovaFast } from './iova-rcache.ts';
import { iommuIovaToPhys, unmapFast } from './map.ts';
import { deviceResvRegions } from './resv-regions.ts';
import { deviceNamed, findDomain, groupById } from './state.ts';
import type { IommuDomain, IommuGroup, Mapping, PciDevice } from './types.ts';

/** DMA_MAPPING_ERROR: ~(dma_addr_t)0. */
export const DMA_MAPPING_ERROR = (1n << 64n) - 1n;
export const DMA_BIT_MASK_32 = 0xffff_ffffn;

export const DIRECTIONS: readonly DmaDirection[] = ['DMA_BIDIRECTIONAL', 'DMA_TO_DEVICE', 'DMA_FROM_DEVICE'];

/** dma_info_to_prot: the device reads what goes TO it and writes what comes FROM it. */
export function dmaInfoToProt(dir: DmaDirection, privileged: boolean): Prot {
  return { read: dir !== 'DMA_FROM_DEVICE', write: dir !== 'DMA_TO_DEVICE', exec: false, priv: privileged };
}

/** iommu_get_dma_domain, when it is one the DMA API manages (dev->dma_iommu); undefined: dma-direct. */
export function dmaDomainOf(ctx: CallContext, dev: PciDevice): IommuDomain | undefined {
  if (dev.group === null) return undefined;
  const d = findDomain(ctx.linux, groupById(ctx.linux, dev.group).defaultDomain);
  return d && isDmaDomain(d.type) ? d : undefined;
}

export function iovaCookie(d: IommuDomain): Extract<IommuDmaCookie, { kind: 'dma-iova' }> {
  d.dma ??= { kind: 'dma-iova', iovad: null, fq: null, msiPages: [], handles: [] };
  if (d.dma.kind !== 'dma-iova') throw new Error(`model bug: ${d.name} has an MSI cookie, not an IOVA cookie`);
  return d.dma;
}

/**
 * iommu_dma_init_domain: the allocator (granule = the smallest page, page 0
 * never handed out), the flush queue for DMA_FQ, and iova_reserve_iommu_regions
 * for this device. Only the first device does anything: once start_pfn is
 * set the function returns early, so a second device's reserved regions are
 * not reserved in the allocator (its direct regions are mapped, though).
 */
export function iommuDmaInitDomain(d: IommuDomain, dev: PciDevice): void {
  const c = iovaCookie(d);
  if (c.iovad) return;
  const granule = d.pgsizeBitmap & -d.pgsizeBitmap;
  const start = (d.geometry?.apertureStart ?? 0n) >> BigInt(granule.toString(2).length - 1);
  c.iovad = initIovaDomain(granule, start > 1n ? start : 1n);
  flushQueueOf(d);
  const shift = iovaShift(c.iovad);
  for (const r of deviceResvRegions(dev)) {
    // "We ARE the software that manages these!": the SW MSI window is not reserved in a DMA domain.
    if (r.type === 'sw-msi') continue;
    reserveIova(c.iovad, r.start >> shift, (r.start + r.length - 1n) >> shift);
    // A hardware MSI window translates 1:1: its doorbells need no mapping.
    if (r.type === 'msi') {
      for (let a = r.start & ~(granule - 1n); a < r.start + r.length; a += granule) c.msiPages.push({ phys: a, iova: a });
    }
  }
}

/** iommu_setup_dma_ops for every device of a group whose default domain is a DMA domain. */
export function iommuSetupDmaOps(ctx: CallContext, g: IommuGroup): void {
  for (const name of g.devices) {
    const dev = deviceNamed(ctx.linux, name);
    const d = dmaDomainOf(ctx, dev);
    if (d) iommuDmaInitDomain(d, dev);
  }
}

/**
 * iommu_dma_alloc_iova: an MSI cookie bumps its pointer; otherwise the
 * limit is the DMA mask within the aperture, tried below 4 GB first for PCI
 * until that fails once. Returns 0 for failure.
 */
export function iommuDmaAllocIova(ctx: CallContext, d: IommuDomain, dev: PciDevice, size: bigint, dmaLimit: bigint): bigint {
  if (d.dma?.kind === 'dma-msi') {
    d.dma.msiIova += size;
    return d.dma.msiIova - size;
  }
  const iovad = iovaCookie(d).iovad;
  if (!iovad) throw new Error(`model bug: ${d.name}'s IOVA allocator was never set up`);
  const shift = iovaShift(iovad);
  const apertureEnd = d.geometry?.apertureEnd ?? DMA_MAPPING_ERROR;
  const limit = dmaLimit < apertureEnd ? dmaLimit : apertureEnd;
  if (limit > DMA_BIT_MASK_32 && dev.iommu?.pci32bitWorkaround !== false) {
    const pfn = allocIovaFast(iovad, size >> shift, DMA_BIT_MASK_32 >> shift, false);
    if (pfn !== undefined) return pfn << shift;
    if (dev.iommu) dev.iommu.pci32bitWorkaround = false;
    ctx.warn(`${dev.name}: Using ${fls(limit)}-bit DMA addresses`);
  }
  const pfn = allocIovaFast(iovad, size >> shift, limit >> shift, true);
  return pfn === undefined ? 0n : pfn << shift;
}

/** iommu_dma_free_iova: an MSI cookie only undoes its last allocation; a queued unmap waits in the flush queue. */
export function iommuDmaFreeIova(ctx: CallContext, d: IommuDomain, iova: bigint, size: bigint, queued?: readonly Mapping[]): boolean {
  if (d.dma?.kind === 'dma-msi') {
    d.dma.msiIova -= size;
    return false;
  }
  const iovad = iovaCookie(d).iovad;
  if (!iovad) return false;
  const shift = iovaShift(iovad);
  if (queued) return queueIova(ctx, d, iova >> shift, size >> shift, queued);
  freeIovaFast(iovad, iova >> shift, size >> shift);
  return false;
}

export const alignUp = (v: bigint, a: bigint) => (v + a - 1n) & ~(a - 1n);

export function granuleOf(d: IommuDomain): bigint {
  return iovaCookie(d).iovad?.granule ?? d.pgsizeBitmap & -d.pgsizeBitmap;
}

/** __iommu_dma_unmap: clear the range; strict invalidates now, a flush queue later. Returns whether the queue flushed. */
export function iommuDmaUnmapRange(ctx: CallContext, d: IommuDomain, dmaAddr: bigint, size: bigint): { queued: boolean; flushed: boolean } {
  const granule = granuleOf(d);
  const off = dmaAddr & (granule - 1n);
  const iova = dmaAddr - off;
  const len = alignUp(size + off, granule);
  const queued = flushQueueOf(d) !== null;
  const cleared = d.mappings.filter((m) => m.iova < iova + len && m.iova + m.size > iova);
  const r = unmapFast(ctx, d, iova, len);
  if (r.unmapped !== len) ctx.warn(`__iommu_dma_unmap: unmapped 0x${r.unmapped.toString(16)} of 0x${len.toString(16)} bytes (WARN_ON)`);
  if (!queued) ctx.ops.iotlbSync(ctx, d, r.entries);
  const flushed = iommuDmaFreeIova(ctx, d, iova, len, queued ? cleared : undefined);
  const c = iovaCookie(d);
  c.handles = c.handles.filter((h) => !(h.iova === iova));
  return { queued, flushed };
}

/** The handle a dma_map call returned, remembered for the UI (CONFIG_DMA_API_DEBUG keeps the same). */
export function rememberHandle(d: IommuDomain, h: DmaHandle): void {
  iovaCookie(d).handles.push(h);
}

/** iommu_dma_unmap_page's first check: the address must translate. */
export function translates(ctx: CallContext, d: IommuDomain, dmaAddr: bigint): boolean {
  return iommuIovaToPhys(ctx, d.name, dmaAddr).value !== 0n;
}
