/**
 * The DMA API calls a driver makes: dma_set_mask, dma_map_single /
 * dma_unmap_single (iommu_dma_map_page / iommu_dma_unmap_page) and
 * dma_map_sg / dma_unmap_sg (iommu_dma_map_sg: every segment in one IOVA
 * range, then __finalise_sg merging segments that start on a page boundary).
 * Each call leaves a report of the domain's flush queue for the UI.
 */
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import type { DmaDirection, DmaHandle } from './dma-types.ts';
import { alignUp, DMA_MAPPING_ERROR, dmaDomainOf, dmaInfoToProt, granuleOf, iommuDmaAllocIova, iommuDmaFreeIova, iommuDmaUnmapRange, iovaCookie, rememberHandle, translates } from './dma-api.ts';
import { dmaReport } from './dma-report.ts';
import { iommuMap, iommuUnmap } from './map.ts';
import { deviceNamed } from './state.ts';
import type { Errno, PciDevice } from './types.ts';

export type DmaResult = { ret: 0 | Errno; value?: bigint; returned?: string };

const mappingError = (errno: Errno): DmaResult => ({ ret: errno, value: DMA_MAPPING_ERROR, returned: 'DMA_MAPPING_ERROR' });

function maskOf(dev: PciDevice): bigint {
  return dev.dmaMask ?? 0xffff_ffffn;
}

/** dma_set_mask(dev, DMA_BIT_MASK(bits)): an IOMMU can address any mask, so it always succeeds. */
export function dmaSetMask(ctx: CallContext, devName: string, bits: number): DmaResult {
  if (!Number.isInteger(bits) || bits < 12 || bits > 64) throw new EngineError('bits must be a whole number from 12 to 64 (DMA_BIT_MASK(bits))', 'args.bits');
  deviceNamed(ctx.linux, devName).dmaMask = (1n << BigInt(bits)) - 1n;
  return { ret: 0 };
}

/** dma_map_single(dev, phys_to_virt(paddr), size, dir) -> iommu_dma_map_page -> __iommu_dma_map. */
export function dmaMapSingle(ctx: CallContext, devName: string, paddr: bigint, size: bigint, dir: DmaDirection, privileged: boolean): DmaResult {
  const dev = deviceNamed(ctx.linux, devName);
  const d = dmaDomainOf(ctx, dev);
  if (!d) {
    ctx.warn(`${devName} has no DMA domain: dma-direct, the DMA address is the physical address`);
    return { ret: 0, value: paddr };
  }
  if (size === 0n) {
    ctx.warn(`dma_map_single: size 0 (WARN_ON)`);
    return mappingError('EINVAL');
  }
  const granule = granuleOf(d);
  const off = paddr & (granule - 1n);
  const len = alignUp(size + off, granule);
  const prot = dmaInfoToProt(dir, privileged);
  const iova = iommuDmaAllocIova(ctx, d, dev, len, maskOf(dev));
  if (iova === 0n) {
    ctx.dmaApi = dmaReport(d);
    return mappingError('ENOMEM');
  }
  const r = iommuMap(ctx, d.name, iova, paddr - off, len, prot);
  if (r !== 0) {
    iommuDmaFreeIova(ctx, d, iova, len);
    ctx.dmaApi = dmaReport(d);
    return mappingError(r);
  }
  rememberHandle(d, { dev: devName, dmaAddr: iova + off, size, iova, iovaSize: len, paddr, dir });
  ctx.dmaApi = dmaReport(d, { dmaAddr: iova + off, iova, size: len, paddr: paddr - off, prot });
  return { ret: 0, value: iova + off };
}

/** dma_unmap_single -> iommu_dma_unmap_page: WARN and nothing if the address does not translate. */
export function dmaUnmapSingle(ctx: CallContext, devName: string, dmaAddr: bigint, size: bigint): DmaResult {
  const dev = deviceNamed(ctx.linux, devName);
  const d = dmaDomainOf(ctx, dev);
  if (!d) return { ret: 0 };
  if (!translates(ctx, d, dmaAddr)) {
    ctx.warn(`iommu_dma_unmap_page: 0x${dmaAddr.toString(16)} is not mapped in ${d.name} (WARN_ON)`);
    ctx.dmaApi = dmaReport(d);
    return { ret: 0 };
  }
  const r = iommuDmaUnmapRange(ctx, d, dmaAddr, size);
  ctx.dmaApi = dmaReport(d, undefined, r.flushed ? 'queue full' : undefined);
  return { ret: 0 };
}

interface SgSeg { readonly paddr: bigint; readonly length: bigint }

/** PCI devices: dma_set_seg_boundary(0xffffffff) and dma_set_max_seg_size(65536) at pci_device_add. */
const SEG_BOUNDARY = 0xffff_ffffn;
const MAX_SEG_SIZE = 0x1_0000n;

/** dma_map_sg: returns the number of DMA segments, or an errno (-ENOMEM, -EINVAL). */
export function dmaMapSg(ctx: CallContext, devName: string, sg: readonly SgSeg[], dir: DmaDirection): DmaResult {
  const dev = deviceNamed(ctx.linux, devName);
  const d = dmaDomainOf(ctx, dev);
  if (sg.length === 0 || sg.some((s) => s.length <= 0n)) throw new EngineError('sg must be a non-empty list of { paddr, length > 0 }', 'args.sg');
  if (!d) return { ret: 0, value: BigInt(sg.length), returned: String(sg.length) };
  const granule = granuleOf(d);
  // Lay the segments out in one IOVA range, each padded to granules, none crossing the segment boundary.
  const layout: { seg: SgSeg; off: bigint; len: bigint }[] = [];
  let total = 0n;
  for (const seg of sg) {
    const off = seg.paddr & (granule - 1n);
    const len = alignUp(seg.length + off, granule);
    const pad = (SEG_BOUNDARY - total + 1n) & SEG_BOUNDARY;
    const prev = layout.at(-1);
    if (prev && pad !== 0n && pad < len - 1n) {
      prev.len += pad;
      total += pad;
    }
    layout.push({ seg, off, len });
    total += len;
  }
  const iova = iommuDmaAllocIova(ctx, d, dev, total, maskOf(dev));
  if (iova === 0n) return { ret: 'ENOMEM' };
  const prot = dmaInfoToProt(dir, false);
  let at = iova;
  for (const l of layout) {
    const r = iommuMap(ctx, d.name, at, l.seg.paddr - l.off, alignUp(l.seg.length + l.off, granule), prot);
    if (r !== 0) {
      // iommu_map_sg undoes what it mapped (a strict unmap), then the IOVA is freed, not queued.
      if (at > iova) iommuUnmap(ctx, d.name, iova, at - iova);
      iommuDmaFreeIova(ctx, d, iova, total);
      return { ret: r === 'ENOMEM' ? 'ENOMEM' : 'EINVAL' };
    }
    at += l.len;
  }
  const segments = finaliseSg(layout, iova);
  rememberHandle(d, { dev: devName, dmaAddr: segments[0]?.dmaAddr ?? iova, size: total, iova, iovaSize: total, paddr: sg[0]?.paddr ?? 0n, dir, segments });
  ctx.dmaApi = dmaReport(d, { dmaAddr: segments[0]?.dmaAddr ?? iova, iova, size: total, paddr: (sg[0]?.paddr ?? 0n) & ~(granule - 1n), prot });
  return { ret: 0, value: BigInt(segments.length), returned: String(segments.length) };
}

/** __finalise_sg: a segment that starts on a page boundary joins the previous one when that one filled its pages. */
function finaliseSg(layout: readonly { seg: SgSeg; off: bigint; len: bigint }[], iova: bigint): { dmaAddr: bigint; length: bigint }[] {
  const out: { dmaAddr: bigint; length: bigint }[] = [];
  let curLen = 0n;
  let addr = iova;
  for (const l of layout) {
    const last = out.at(-1);
    if (last && curLen !== 0n && l.off === 0n && (addr & SEG_BOUNDARY) !== 0n && MAX_SEG_SIZE - curLen >= l.seg.length) {
      curLen += l.seg.length;
      last.length = curLen;
    } else {
      out.push({ dmaAddr: addr + l.off, length: l.seg.length });
      curLen = l.seg.length;
    }
    addr += l.len;
    if (l.seg.length + l.off < l.len) curLen = 0n;
  }
  return out;
}

/** dma_unmap_sg: the whole range from the first segment's DMA address to the end of the last. */
export function dmaUnmapSg(ctx: CallContext, devName: string, dmaAddr: bigint): DmaResult {
  const dev = deviceNamed(ctx.linux, devName);
  const d = dmaDomainOf(ctx, dev);
  if (!d) return { ret: 0 };
  const h: DmaHandle | undefined = iovaCookie(d).handles.find((x) => x.dev === devName && x.segments && x.dmaAddr === dmaAddr);
  if (!h?.segments) throw new EngineError(`no scatterlist of ${devName} was mapped at 0x${dmaAddr.toString(16)} (give the first segment's DMA address)`, 'args.dmaAddr');
  const lastSeg = h.segments.at(-1) as { dmaAddr: bigint; length: bigint };
  const r = iommuDmaUnmapRange(ctx, d, h.dmaAddr, lastSeg.dmaAddr + lastSeg.length - h.dmaAddr);
  ctx.dmaApi = dmaReport(d, undefined, r.flushed ? 'queue full' : undefined);
  return { ret: 0 };
}
