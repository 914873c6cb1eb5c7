/**
 * The DMA API, reserved-region and PCIe capability state for the UI, as
 * plain data: per DMA domain the allocator's ranges (allocated, reserved,
 * cached in the rcache), the flush queue and its pending ranges, the MSI
 * pages and the live handles; per device its reserved regions, DMA mask,
 * PASID / ATS / PRI state as the function holds it, and its ATC. A
 * projection recomputed on demand, like linuxTopologyView.
 */
import type { AtcEntry } from '../../hw/pci/atc.ts';
import { atsEnabled, pasidEnabled, priEnabled } from '../../hw/pci/endpoints.ts';
import type { Smmu } from '../../hw/smmu/smmu.ts';
import type { DmaHandle, MsiPage, ResvRegion } from './dma-types.ts';
import { pendingRanges } from './flush-queue.ts';
import { IOVA_ANCHOR, iovaShift } from './iova.ts';
import { deviceResvRegions } from './resv-regions.ts';
import type { LinuxState } from './types.ts';

export interface DmaDomainView {
  readonly name: string;
  readonly cookie: 'dma-iova' | 'dma-msi';
  readonly strict: boolean;
  /** Allocated or reserved IOVA ranges, in bytes, lowest first. */
  readonly ranges: readonly { readonly iova: bigint; readonly size: bigint; readonly reserved: boolean }[];
  /** Ranges freed into the rcache: still allocated in the tree, handed out again newest first. */
  readonly cached: readonly { readonly iova: bigint; readonly pages: number }[];
  readonly pending: readonly { readonly iova: bigint; readonly size: bigint; readonly paddr: bigint; readonly counter: number }[];
  readonly flushQueue: { readonly used: number; readonly size: number; readonly timerOn: boolean; readonly startCnt: number; readonly finishCnt: number } | null;
  readonly msiPages: readonly MsiPage[];
  /** MSI cookie only: the next doorbell IOVA. */
  readonly msiNext?: bigint;
  readonly handles: readonly DmaHandle[];
}

export interface PcieDeviceView {
  readonly name: string;
  readonly rid: number;
  readonly dmaMask: bigint | null;
  readonly resvRegions: readonly ResvRegion[];
  readonly requireDirect: boolean;
  readonly pasid: { readonly width: number; readonly enabled: boolean } | null;
  readonly ats: { readonly enabled: boolean; readonly stu: number; readonly driverEnabled: boolean } | null;
  readonly pri: { readonly enabled: boolean } | null;
  readonly atc: readonly AtcEntry[];
}

export interface DmaTopologyView {
  readonly domains: readonly DmaDomainView[];
  readonly devices: readonly PcieDeviceView[];
}

export function dmaTopologyView(linux: LinuxState, smmu: Smmu | undefined): DmaTopologyView {
  const domains: DmaDomainView[] = [];
  for (const d of linux.domains) {
    const c = d.dma;
    if (!c) continue;
    if (c.kind === 'dma-msi') {
      domains.push({ name: d.name, cookie: 'dma-msi', strict: true, ranges: [], cached: [], pending: [], flushQueue: null, msiPages: c.msiPages, msiNext: c.msiIova, handles: [] });
      continue;
    }
    const iovad = c.iovad;
    const shift = iovad ? iovaShift(iovad) : 12n;
    const ranges = (iovad?.nodes ?? []).filter((n) => n.lo !== IOVA_ANCHOR).map((n) => ({ iova: n.lo << shift, size: (n.hi - n.lo + 1n) << shift, reserved: n.reserved === true }));
    const cached = (iovad?.rcaches ?? []).flatMap((rc, order) => [...rc.depot.flat(), ...rc.prev, ...rc.loaded].map((pfn) => ({ iova: pfn << shift, pages: 2 ** order })));
    const fq = c.fq;
    domains.push({
      name: d.name, cookie: 'dma-iova', strict: fq === null, ranges, cached,
      pending: pendingRanges(d).map(({ prot: _p, ...r }) => r),
      flushQueue: fq ? { used: fq.entries.length, size: fq.size, timerOn: fq.timerOn, startCnt: fq.startCnt, finishCnt: fq.finishCnt } : null,
      msiPages: c.msiPages, handles: c.handles,
    });
  }
  const devices = linux.devices.map((dev): PcieDeviceView => {
    const ep = smmu?.endpoints.get(dev.rid);
    return {
      name: dev.name, rid: dev.rid, dmaMask: dev.dmaMask ?? null, resvRegions: deviceResvRegions(dev), requireDirect: dev.iommu?.requireDirect ?? false,
      pasid: ep?.pasidCap ? { width: ep.pasidCap.width, enabled: pasidEnabled(ep) } : null,
      ats: ep?.atsCap ? { enabled: atsEnabled(ep), stu: (ep.atsControl & 0x1f) + 12, driverEnabled: linux.masters.find((m) => m.device === dev.name)?.atsEnabled ?? false } : null,
      pri: ep?.priCap ? { enabled: priEnabled(ep) } : null,
      atc: ep?.atc ?? [],
    };
  });
  return { domains, devices };
}
