/**
 * The built-in scenarios as the page lists them: id, title, and a loader
 * that fetches the one JSON file when it is opened. The page never needs all
 * nineteen documents (nor the validator that src/scenario/builtin.ts runs
 * over them); the worker validates the one it is given. A unit test checks
 * this list against builtin.ts (ids, order, titles), so the two cannot drift.
 */

export interface BuiltinEntry {
  readonly id: string;
  readonly title: string;
  /** The scenario document as written, unvalidated: the engine host validates it. */
  readonly load: () => Promise<unknown>;
}

type JsonModule = { readonly default: unknown };
const doc = (m: JsonModule) => m.default;

/** In src/scenario/builtin.ts's order: the 4KB walk first, then the SMMU scenarios, then Linux's, then VT-d. */
export const BUILTIN_LIST: readonly BuiltinEntry[] = [
  { id: 'walk-4k-page', title: 'A 4KB-granule walk to a page', load: () => import('../scenario/builtin/walk-4k-page.json').then(doc) },
  { id: 'walk-16k-page', title: 'A 16KB-granule walk to a page', load: () => import('../scenario/builtin/walk-16k-page.json').then(doc) },
  { id: 'walk-64k-page', title: 'A 64KB-granule walk to a page', load: () => import('../scenario/builtin/walk-64k-page.json').then(doc) },
  { id: 'block-2m', title: 'A 2MB block beside a 4KB page', load: () => import('../scenario/builtin/block-2m.json').then(doc) },
  { id: 'permission-fault', title: 'A permission fault: a write to a read-only page', load: () => import('../scenario/builtin/permission-fault.json').then(doc) },
  { id: 'smmu-stage1-dma', title: 'SMMU stage 1: a DMA through the STE, the CD and the page table', load: () => import('../scenario/builtin/smmu-stage1-dma.json').then(doc) },
  { id: 'smmu-stale-iotlb', title: 'A stale IOTLB entry: remapping without invalidating', load: () => import('../scenario/builtin/smmu-stale-iotlb.json').then(doc) },
  { id: 'smmu-hitless-update', title: 'A hitless STE update: bypass to stage 1 without a glitch', load: () => import('../scenario/builtin/smmu-hitless-update.json').then(doc) },
  { id: 'smmu-nested', title: 'Nested translation: a guest\'s stage 1 on top of the VMM\'s stage 2', load: () => import('../scenario/builtin/smmu-nested.json').then(doc) },
  { id: 'smmu-million-dmas', title: 'SMMU IOTLB hit rates: a million DMAs', load: () => import('../scenario/builtin/smmu-million-dmas.json').then(doc) },
  { id: 'linux-claim-dma-owner', title: 'Linux: VFIO claims a group (iommu_group_claim_dma_owner)', load: () => import('../scenario/builtin/linux-claim-dma-owner.json').then(doc) },
  { id: 'linux-replace-domain', title: 'Linux: replacing a domain under running DMA (iommu_group_replace_domain)', load: () => import('../scenario/builtin/linux-replace-domain.json').then(doc) },
  { id: 'linux-nested-iommufd', title: 'Linux: a guest\'s page tables nested on the host\'s (iommufd)', load: () => import('../scenario/builtin/linux-nested-iommufd.json').then(doc) },
  { id: 'linux-sva-bind', title: 'Linux: a process\'s address space bound to a device (SVA)', load: () => import('../scenario/builtin/linux-sva-bind.json').then(doc) },
  { id: 'linux-dma-api-fq', title: 'Linux: the DMA API, strict versus the flush queue (DMA_FQ)', load: () => import('../scenario/builtin/linux-dma-api-fq.json').then(doc) },
  { id: 'linux-msi-doorbell', title: 'Linux: an MSI doorbell behind the IOMMU', load: () => import('../scenario/builtin/linux-msi-doorbell.json').then(doc) },
  { id: 'vtd-first-stage-dma', title: 'VT-d: a scalable-mode first-stage DMA, and its faults', load: () => import('../scenario/builtin/vtd-first-stage-dma.json').then(doc) },
  { id: 'vtd-stale-iotlb', title: 'VT-d: a stale IOTLB entry, fixed by an IOTLB invalidation and a wait', load: () => import('../scenario/builtin/vtd-stale-iotlb.json').then(doc) },
  { id: 'compare-smmu-vtd', title: 'SMMUv3 beside VT-d: the same kernel calls on two IOMMUs', load: () => import('../scenario/builtin/compare-smmu-vtd.json').then(doc) },
];
