/**
 * The DMA API, reserved-region, MSI, PCI capability and ATS calls,
 * dispatched from calls.ts, with their return values as the kernel gives
 * them: dma_map_* return a dma_addr_t (DMA_MAPPING_ERROR on failure, with
 * the errno dma_mapping_error() would report), dma_map_sg a segment count,
 * iommu_dma_prepare_msi the address the device will write (what
 * iommu_dma_compose_msi_msg puts in the MSI message), the PCI helpers 0 or
 * an errno, and iommu_get_group_resv_regions what sysfs "reserved_regions"
 * prints. Arguments the generic check leaves loose are checked here.
 */
import { EngineError } from '../../util/assert.ts';
import { atsTranslate } from './ats-ops.ts';
import type { LinuxCall } from './call-types.ts';
import type { CallOutcome } from './calls.ts';
import type { CallContext } from './context.ts';
import { DIRECTIONS } from './dma-api.ts';
import { dmaMapSg, dmaMapSingle, dmaSetMask, dmaUnmapSg, dmaUnmapSingle, type DmaResult } from './dma-map.ts';
import { dmaReport } from './dma-report.ts';
import type { DmaDirection } from './dma-types.ts';
import { fqFlushTimeout } from './flush-queue.ts';
import { iommuDmaPrepareMsi, iommuGetMsiCookie } from './msi.ts';
import { pciDisableAts, pciDisablePasid, pciDisablePri, pciEnableAts, pciEnablePasid, pciEnablePri, type PasidFeature } from './pci-caps.ts';
import { groupResvRegions, resvRegionsText } from './resv-regions.ts';
import { deviceNamed, domainNamed, resolveGroup } from './state.ts';
import type { Errno } from './types.ts';

export const DMA_CALLS = [
  'dma_set_mask', 'dma_map_single', 'dma_unmap_single', 'dma_map_sg', 'dma_unmap_sg', 'fq_flush_timeout',
  'iommu_get_group_resv_regions', 'iommu_get_msi_cookie', 'iommu_dma_prepare_msi',
  'pci_enable_pasid', 'pci_disable_pasid', 'pci_enable_ats', 'pci_disable_ats', 'pci_enable_pri', 'pci_disable_pri', 'ats_translate',
] as const;

export type DmaCall = Extract<LinuxCall, { call: (typeof DMA_CALLS)[number] }>;

function ret(r: 0 | Errno): CallOutcome {
  return { ret: r, returned: r === 0 ? '0' : `-${r}` };
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function outcome(r: DmaResult): CallOutcome {
  if (r.value === undefined) return { ret: r.ret, returned: r.returned ?? (r.ret === 0 ? '0' : `-${r.ret}`) };
  return { ret: r.ret, value: r.value, returned: r.returned ?? hex(r.value) };
}

function dir(v: unknown): DmaDirection {
  if (!DIRECTIONS.includes(v as DmaDirection)) throw new EngineError(`args.dir must be one of ${DIRECTIONS.join(', ')}`, 'args.dir');
  return v as DmaDirection;
}

function optionalBool(v: unknown, field: string): boolean {
  if (v !== undefined && typeof v !== 'boolean') throw new EngineError(`${field} must be true, false or left out`, field);
  return v === true;
}

function features(v: unknown): PasidFeature[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => x !== 'exec' && x !== 'priv')) throw new EngineError('args.features must be a list of "exec" and "priv"', 'args.features');
  return v as PasidFeature[];
}

function sgList(v: unknown): { paddr: bigint; length: bigint }[] {
  if (!Array.isArray(v) || v.length === 0) throw new EngineError('args.sg must be a non-empty list of { paddr, length }', 'args.sg');
  v.forEach((s: { paddr?: unknown; length?: unknown }, i) => {
    if (typeof s?.paddr !== 'bigint' || s.paddr < 0n) throw new EngineError(`args.sg[${i}].paddr must be a physical address (bigint)`, `args.sg[${i}].paddr`);
    if (typeof s.length !== 'bigint' || s.length <= 0n) throw new EngineError(`args.sg[${i}].length must be a positive size (bigint)`, `args.sg[${i}].length`);
  });
  return v as { paddr: bigint; length: bigint }[];
}

function wholeNumber(v: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new EngineError(`${field} must be a whole number from ${min} to ${max}`, field);
  return v;
}

export function runDmaCall(ctx: CallContext, c: DmaCall): CallOutcome {
  const { linux } = ctx;
  switch (c.call) {
    case 'dma_set_mask':
      return outcome(dmaSetMask(ctx, c.args.dev, c.args.bits));
    case 'dma_map_single':
      return outcome(dmaMapSingle(ctx, c.args.dev, c.args.paddr, c.args.size, dir(c.args.dir), optionalBool(c.args.privileged, 'args.privileged')));
    case 'dma_unmap_single':
      dir(c.args.dir);
      return outcome(dmaUnmapSingle(ctx, c.args.dev, c.args.dmaAddr, c.args.size));
    case 'dma_map_sg': {
      const r = dmaMapSg(ctx, c.args.dev, sgList(c.args.sg), dir(c.args.dir));
      return r.ret === 0 ? { ret: 0, value: r.value ?? 0n, returned: r.returned ?? '0' } : ret(r.ret);
    }
    case 'dma_unmap_sg':
      dir(c.args.dir);
      return outcome(dmaUnmapSg(ctx, c.args.dev, c.args.dmaAddr));
    case 'fq_flush_timeout': {
      const d = domainNamed(linux, c.args.domain);
      const flushed = fqFlushTimeout(ctx, d);
      ctx.dmaApi = dmaReport(d, undefined, flushed ? 'timer' : undefined);
      return ret(0);
    }
    case 'iommu_get_group_resv_regions': {
      const g = resolveGroup(linux, c.args.group);
      if (!g) return ret('ENODEV');
      const regions = groupResvRegions(linux, g);
      return { ret: 0, value: BigInt(regions.length), returned: resvRegionsText(regions) };
    }
    case 'iommu_get_msi_cookie':
      return ret(iommuGetMsiCookie(ctx, c.args.domain, c.args.base));
    case 'iommu_dma_prepare_msi':
      return outcome(iommuDmaPrepareMsi(ctx, c.args.dev, c.args.msiAddr));
    case 'pci_enable_pasid':
      return ret(pciEnablePasid(ctx, deviceNamed(linux, c.args.dev), features(c.args.features)));
    case 'pci_disable_pasid':
      pciDisablePasid(ctx, deviceNamed(linux, c.args.dev));
      return ret(0);
    case 'pci_enable_ats':
      return ret(pciEnableAts(ctx, deviceNamed(linux, c.args.dev), wholeNumber(c.args.ps, 'args.ps', 0, 63)));
    case 'pci_disable_ats':
      pciDisableAts(ctx, deviceNamed(linux, c.args.dev));
      return ret(0);
    case 'pci_enable_pri':
      return ret(pciEnablePri(ctx, deviceNamed(linux, c.args.dev), wholeNumber(c.args.reqs, 'args.reqs', 0, 0xffff_ffff)));
    case 'pci_disable_pri':
      pciDisablePri(ctx, deviceNamed(linux, c.args.dev));
      return ret(0);
    case 'ats_translate': {
      const pasid = c.args.pasid === undefined ? undefined : wholeNumber(c.args.pasid, 'args.pasid', 0, 0xf_ffff);
      return outcome(atsTranslate(ctx, c.args.dev, c.args.iova, optionalBool(c.args.write, 'args.write'), pasid));
    }
  }
}
