/**
 * The flush queue of a DMA_FQ domain (dma-iommu.c: queue_iova,
 * fq_ring_free, fq_flush_iotlb, fq_flush_timeout), one CPU's ring. An unmap
 * clears the page-table entries but neither invalidates the IOTLB / ATC nor
 * frees the IOVA: the range waits in the queue. Until a flush has started
 * after it was queued and finished, a DMA that hits a cached translation
 * still reaches the old page (the staleness window); one that misses walks
 * the cleared entry and faults. Because the IOVA is not reused before that
 * flush, a stale translation never aliases a new mapping. A flush
 * (flush_iotlb_all: TLBI by ASID/VMID, then ATC_INV for ATS masters) runs
 * when the ring is full, when the timer fires, and at domain teardown. The
 * engine has no clock: the 10 ms timer fires when the scenario says so.
 */
import type { CallContext } from './context.ts';
import type { FlushQueueState } from './dma-types.ts';
import { freeIovaFast } from './iova-rcache.ts';
import type { IommuDomain, Mapping } from './types.ts';

/** IOVA_DEFAULT_FQ_SIZE and IOVA_DEFAULT_FQ_TIMEOUT (ms). */
export const IOVA_DEFAULT_FQ_SIZE = 256;
export const IOVA_DEFAULT_FQ_TIMEOUT = 10;

/** cookie->fq_domain: set for a DMA_FQ domain (iommu_dma_init_fq, also on the sysfs DMA -> DMA-FQ switch). */
export function flushQueueOf(d: IommuDomain): FlushQueueState | null {
  const c = d.dma;
  if (c?.kind !== 'dma-iova') return null;
  if (d.type === 'DMA_FQ' && !c.fq) c.fq = { size: IOVA_DEFAULT_FQ_SIZE, timeoutMs: IOVA_DEFAULT_FQ_TIMEOUT, entries: [], startCnt: 0, finishCnt: 0, timerOn: false };
  return c.fq;
}

/** fq_flush_iotlb: the counters bracket the flush, so entries queued during it wait for the next one. */
function fqFlushIotlb(ctx: CallContext, d: IommuDomain, fq: FlushQueueState, why: string): void {
  fq.startCnt++;
  ctx.ops.flushIotlbAll(ctx, d, why);
  fq.finishCnt++;
}

/** fq_ring_free_locked: release, in order, every entry a finished flush has covered (its IOVA becomes reusable). */
function fqRingFree(d: IommuDomain, fq: FlushQueueState): void {
  const c = d.dma;
  if (c?.kind !== 'dma-iova' || !c.iovad) return;
  while (fq.entries.length > 0 && (fq.entries[0]?.counter ?? Infinity) < fq.finishCnt) {
    const e = fq.entries.shift();
    if (e) freeIovaFast(c.iovad, e.iovaPfn, e.pages);
  }
}

/** queue_iova. Returns true when the ring was full and the call flushed it. */
export function queueIova(ctx: CallContext, d: IommuDomain, pfn: bigint, pages: bigint, unmapped: readonly Mapping[]): boolean {
  const fq = flushQueueOf(d);
  if (!fq) throw new Error(`model bug: ${d.name} has no flush queue`);
  fqRingFree(d, fq);
  let flushed = false;
  // A ring of `size` slots is full at size - 1 entries.
  if (fq.entries.length >= fq.size - 1) {
    fqFlushIotlb(ctx, d, fq, `fq_flush_iotlb: ${d.name}'s flush queue is full`);
    fqRingFree(d, fq);
    flushed = true;
  }
  fq.entries.push({ iovaPfn: pfn, pages, counter: fq.startCnt, unmapped: [...unmapped] });
  // mod_timer(fq_timeout): armed by the first entry after the queue went idle.
  fq.timerOn = true;
  return flushed;
}

/** fq_flush_timeout: the timer fired. Nothing happens when it was not armed. */
export function fqFlushTimeout(ctx: CallContext, d: IommuDomain): boolean {
  const fq = flushQueueOf(d);
  if (!fq?.timerOn) {
    ctx.warn(`${d.name}: no flush-queue timer is pending${fq ? '' : ` (${d.name} has no flush queue: ${d.type})`}; nothing happens`);
    return false;
  }
  fq.timerOn = false;
  fqFlushIotlb(ctx, d, fq, `fq_flush_timeout: ${fq.timeoutMs} ms after the first queued unmap, flush ${d.name}`);
  fqRingFree(d, fq);
  return true;
}

/** The ranges still waiting: unmapped, not invalidated, not reusable. */
export function pendingRanges(d: IommuDomain): { iova: bigint; size: bigint; paddr: bigint; counter: number; prot: Mapping['prot'] }[] {
  const fq = d.dma?.kind === 'dma-iova' ? d.dma.fq : null;
  return (fq?.entries ?? []).flatMap((e) => e.unmapped.map((m) => ({ iova: m.iova, size: m.size, paddr: m.paddr, counter: e.counter, prot: m.prot })));
}

/**
 * The staleness window the model reports: a DMA that reached `pa` at `iova`
 * through a cached translation (IOTLB or ATC) of a range the flush queue
 * still holds. The caller judges it "stale", not an isolation breach.
 */
export function staleWindow(d: IommuDomain | undefined, iova: bigint, pa: bigint): { iova: bigint; size: bigint; paddr: bigint; counter: number } | undefined {
  if (!d) return undefined;
  return pendingRanges(d).find((r) => iova >= r.iova && iova < r.iova + r.size && r.paddr + (iova - r.iova) === pa);
}
