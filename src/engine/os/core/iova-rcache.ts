/**
 * The IOVA range caches (iova.c "magazines", one CPU modelled): freed ranges
 * of 1 to 32 pages stay allocated in the tree and go into a per-size-class
 * magazine, and the next allocation of that class takes the most recently
 * freed one that fits under its limit. This is why a strict unmap followed
 * by a map gets the same IOVA back, and why a freed 1-page range is not
 * available to a 2-page request until the caches are flushed (which the
 * allocator does once, when the tree is full). The depot worker that trims
 * the depot after 100 ms is not modelled.
 */
import type { IovaDomainState, IovaRcache } from './dma-types.ts';
import { allocIovaRange, fls, freeIova, IOVA_RANGE_CACHE_MAX_SIZE } from './iova.ts';

/** IOVA_MAG_SIZE. */
export const IOVA_MAG_SIZE = 127;

/** order_base_2. */
function orderBase2(n: bigint): number {
  return fls(n - 1n);
}

export function roundupPowOf2(n: bigint): bigint {
  return 1n << BigInt(orderBase2(n));
}

function rcacheOf(d: IovaDomainState, size: bigint): IovaRcache | undefined {
  const log = orderBase2(size);
  return log < IOVA_RANGE_CACHE_MAX_SIZE ? d.rcaches[log] : undefined;
}

/** iova_rcache_insert. */
function rcacheInsert(d: IovaDomainState, pfn: bigint, size: bigint): boolean {
  const rc = rcacheOf(d, size);
  if (!rc) return false;
  if (rc.loaded.length >= IOVA_MAG_SIZE) {
    if (rc.prev.length < IOVA_MAG_SIZE) [rc.loaded, rc.prev] = [rc.prev, rc.loaded];
    else {
      rc.depot.push(rc.loaded);
      rc.loaded = [];
    }
  }
  rc.loaded.push(pfn);
  return true;
}

/** iova_magazine_pop: the most recent pfn at or below the limit (swapped out of the array as the kernel does). */
function magazinePop(mag: bigint[], limitPfn: bigint): bigint | undefined {
  for (let i = mag.length - 1; i >= 0; i--) {
    const pfn = mag[i] as bigint;
    if (pfn > limitPfn) continue;
    mag[i] = mag[mag.length - 1] as bigint;
    mag.pop();
    return pfn;
  }
  return undefined;
}

/** iova_rcache_get: limitPfn is exclusive. */
function rcacheGet(d: IovaDomainState, size: bigint, limitPfn: bigint): bigint | undefined {
  const rc = rcacheOf(d, size);
  if (!rc) return undefined;
  if (rc.loaded.length === 0) {
    if (rc.prev.length > 0) [rc.loaded, rc.prev] = [rc.prev, rc.loaded];
    else if (rc.depot.length > 0) rc.loaded = rc.depot.pop() as bigint[];
    else return undefined;
  }
  return magazinePop(rc.loaded, limitPfn - size);
}

/** free_cpu_cached_iovas + free_global_cached_iovas: every cached range goes back to the tree. */
export function flushRcaches(d: IovaDomainState): void {
  for (const rc of d.rcaches) {
    for (const pfn of [...rc.loaded, ...rc.prev, ...rc.depot.flat()]) freeIova(d, pfn);
    rc.loaded = [];
    rc.prev = [];
    rc.depot = [];
  }
}

/** alloc_iova_fast: limitPfn is the last usable pfn (inclusive). Returns the pfn, or undefined. */
export function allocIovaFast(d: IovaDomainState, pages: bigint, limitPfn: bigint, flushRcache: boolean): bigint | undefined {
  // Rounding cacheable sizes up keeps a freed range usable by any later request of its class.
  const size = pages < 1n << BigInt(IOVA_RANGE_CACHE_MAX_SIZE - 1) ? roundupPowOf2(pages) : pages;
  const cached = rcacheGet(d, size, limitPfn + 1n);
  if (cached !== undefined) return cached;
  const pfn = allocIovaRange(d, size, limitPfn + 1n);
  if (pfn !== undefined || !flushRcache) return pfn;
  flushRcaches(d);
  return allocIovaRange(d, size, limitPfn + 1n);
}

/** free_iova_fast. */
export function freeIovaFast(d: IovaDomainState, pfn: bigint, pages: bigint): void {
  if (!rcacheInsert(d, pfn, pages)) freeIova(d, pfn);
}
