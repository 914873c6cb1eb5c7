/**
 * The DMA API layer's objects as plain data (drivers/iommu/dma-iommu.c,
 * iova.c, include/linux/iommu.h reserved regions, drivers/pci/ats.c), so
 * they copy with the rest of the Linux state and show in the UI.
 */
import type { Prot } from '../../commands.ts';
import type { Mapping } from './types.ts';

/** enum iommu_resv_type, as sysfs "reserved_regions" names them. */
export type ResvType = 'direct' | 'direct-relaxable' | 'reserved' | 'msi' | 'sw-msi';

/** struct iommu_resv_region. */
export interface ResvRegion {
  readonly start: bigint;
  readonly length: bigint;
  readonly prot: Prot;
  readonly type: ResvType;
  /** Where it came from: "arm-smmu-v3" for the MSI window, "firmware" for an IORT RMR or a DT reserved-memory node. */
  readonly from: 'arm-smmu-v3' | 'firmware';
}

/** A firmware reservation in the boot list (an IORT RMR is direct or direct-relaxable). Prot defaults to read + write. */
export interface ResvRegionSpec {
  readonly start: bigint;
  readonly length: bigint;
  readonly type: Exclude<ResvType, 'sw-msi'>;
  readonly prot?: Prot;
}

/** One node of the iova rb-tree: pfns [lo, hi], allocated or reserved. */
export interface IovaNode {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly reserved?: boolean;
}

/** One size class of the rcache: the CPU's two magazines and the depot of full ones (one CPU modelled). */
export interface IovaRcache {
  loaded: bigint[];
  prev: bigint[];
  depot: bigint[][];
}

/** struct iova_domain. */
export interface IovaDomainState {
  readonly granule: bigint;
  readonly startPfn: bigint;
  readonly dma32Pfn: bigint;
  max32AllocSize: bigint;
  /** The tree in order, the anchor (pfn ~0) last. */
  nodes: IovaNode[];
  /** cached32_node / cached_node, by pfn_lo. */
  cached32: bigint;
  cached: bigint;
  rcaches: IovaRcache[];
}

/** struct iova_fq_entry, plus what the unmap cleared, for the UI's window of staleness (until the flush). */
export interface FqEntry {
  readonly iovaPfn: bigint;
  readonly pages: bigint;
  /** fq_flush_start_cnt when it was queued: released once a flush that started later has finished. */
  readonly counter: number;
  readonly unmapped: readonly Mapping[];
}

/** The flush queue (one CPU's ring) and the cookie's counters and timer. */
export interface FlushQueueState {
  /** IOVA_DEFAULT_FQ_SIZE: a ring of 256 slots holds 255 entries. */
  readonly size: number;
  /** IOVA_DEFAULT_FQ_TIMEOUT in ms: the model has no clock, the scenario fires the timer. */
  readonly timeoutMs: number;
  entries: FqEntry[];
  startCnt: number;
  finishCnt: number;
  timerOn: boolean;
}

/** struct iommu_dma_msi_page. */
export interface MsiPage {
  readonly phys: bigint;
  readonly iova: bigint;
}

/** A live DMA API mapping, as CONFIG_DMA_API_DEBUG would track it. */
export interface DmaHandle {
  readonly dev: string;
  readonly dmaAddr: bigint;
  readonly size: bigint;
  readonly iova: bigint;
  readonly iovaSize: bigint;
  readonly paddr: bigint;
  readonly dir: DmaDirection;
  /** dma_map_sg: the segments as the caller gets them back. */
  readonly segments?: readonly { readonly dmaAddr: bigint; readonly length: bigint }[];
}

export type DmaDirection = 'DMA_BIDIRECTIONAL' | 'DMA_TO_DEVICE' | 'DMA_FROM_DEVICE';

/** domain->iova_cookie (IOMMU_COOKIE_DMA_IOVA) or domain->msi_cookie (IOMMU_COOKIE_DMA_MSI). */
export type IommuDmaCookie =
  | { readonly kind: 'dma-iova'; iovad: IovaDomainState | null; fq: FlushQueueState | null; msiPages: MsiPage[]; handles: DmaHandle[] }
  | { readonly kind: 'dma-msi'; readonly base: bigint; msiIova: bigint; msiPages: MsiPage[] };

/** What the kernel knows of a function's PCIe capabilities (pdev->pasid_enabled, ats_enabled, ats_stu, pri_enabled ...). */
export interface PcieKernelState {
  pasidEnabled: boolean;
  pasidFeatures: readonly ('exec' | 'priv')[];
  atsEnabled: boolean;
  /** pdev->ats_stu: log2 of the Smallest Translation Unit, 0 before pci_prepare_ats. */
  atsStu: number;
  priEnabled: boolean;
  priReqsAlloc: number;
}

/** The DMA API state a call leaves, for the UI: the domain, what the call mapped, and the window of staleness (until the flush). */
export interface DmaApiReport {
  readonly domain: string | null;
  readonly strict: boolean;
  readonly mapped?: { readonly dmaAddr: bigint; readonly iova: bigint; readonly size: bigint; readonly paddr: bigint; readonly prot: Prot };
  /** IOVA ranges the flush queue still holds: unmapped, not yet invalidated, not yet reusable. */
  readonly pending: readonly { readonly iova: bigint; readonly size: bigint; readonly paddr: bigint; readonly counter: number }[];
  readonly flushQueue?: { readonly used: number; readonly size: number; readonly timerOn: boolean; readonly startCnt: number; readonly finishCnt: number };
  /** Set when the call flushed the queue, and why. */
  readonly flushed?: 'queue full' | 'timer' | 'domain teardown';
  /** ATC contents of the device named by the call, after it. */
  readonly atc?: readonly { readonly device: string; readonly pasid: number | null; readonly page: bigint; readonly output: bigint; readonly read: boolean; readonly write: boolean; readonly stale: boolean }[];
}
