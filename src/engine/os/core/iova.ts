/**
 * The IOVA allocator's tree (drivers/iommu/iova.c): allocated and reserved
 * ranges of page frames, searched top-down from a limit. The rb-tree is an
 * ordered list here; what matters to a user is kept exactly: where the walk
 * starts (the cached nodes: one for 32-bit limits, one above), how it moves
 * down past ranges that overlap, the size alignment (a range is aligned to
 * its size rounded up to a power of two), the retry from the top once the
 * walk hits the bottom, and max32_alloc_size, which fails a 32-bit request
 * at once after one of that size failed, until something below 4 GB is freed.
 */
import type { IovaDomainState, IovaNode } from './dma-types.ts';

/** The anchor node sits above the top of the usable address space (IOVA_ANCHOR = ~0UL). */
export const IOVA_ANCHOR = (1n << 64n) - 1n;
/** IOVA_RANGE_CACHE_MAX_SIZE: size classes of the rcache (1 to 32 pages). */
export const IOVA_RANGE_CACHE_MAX_SIZE = 6;

/** init_iova_domain. */
export function initIovaDomain(granule: bigint, startPfn: bigint): IovaDomainState {
  const shift = BigInt(granule.toString(2).length - 1);
  const dma32Pfn = 1n << (32n - shift);
  return {
    granule, startPfn, dma32Pfn, max32AllocSize: dma32Pfn,
    nodes: [{ lo: IOVA_ANCHOR, hi: IOVA_ANCHOR }], cached32: IOVA_ANCHOR, cached: IOVA_ANCHOR,
    rcaches: Array.from({ length: IOVA_RANGE_CACHE_MAX_SIZE }, () => ({ loaded: [], prev: [], depot: [] })),
  };
}

export const iovaShift = (d: IovaDomainState) => BigInt(d.granule.toString(2).length - 1);

/** fls_long: the position of the most significant set bit, 1-based (0 for 0). */
export function fls(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}

function indexOfLo(d: IovaDomainState, lo: bigint): number {
  const i = d.nodes.findIndex((n) => n.lo === lo);
  if (i < 0) throw new Error(`model bug: the iova tree has no node at pfn 0x${lo.toString(16)}`);
  return i;
}

function cachedIndex(d: IovaDomainState, limitPfn: bigint): number {
  return indexOfLo(d, limitPfn <= d.dma32Pfn ? d.cached32 : d.cached);
}

/** iova_find_limit: where to restart the walk, the first range that reaches limit_pfn (the anchor above 4 GB). */
function findLimit(d: IovaDomainState, limitPfn: bigint): number {
  if (limitPfn > d.dma32Pfn) return d.nodes.length - 1;
  return d.nodes.findIndex((n) => n.hi >= limitPfn);
}

function insert(d: IovaDomainState, node: IovaNode): void {
  const at = d.nodes.findIndex((n) => n.lo > node.lo);
  d.nodes.splice(at, 0, node);
}

/**
 * __alloc_and_insert_iova_range: `size` pages below limitPfn (exclusive),
 * aligned to the size rounded up to a power of two. Returns the first pfn,
 * or undefined (-ENOMEM).
 */
export function allocIovaRange(d: IovaDomainState, size: bigint, limitPfn: bigint): bigint | undefined {
  const alignMask = ~((1n << BigInt(fls(size - 1n))) - 1n);
  let high = limitPfn;
  let low = d.startPfn;
  if (limitPfn <= d.dma32Pfn && size >= d.max32AllocSize) return undefined;
  let curr = cachedIndex(d, limitPfn);
  const retryPfn = (d.nodes[curr] as IovaNode).hi;
  let newPfn = -1n;
  for (let retried = false; ; retried = true) {
    do {
      const c = d.nodes[curr] as IovaNode;
      if (c.lo < high) high = c.lo;
      newPfn = high >= size ? (high - size) & alignMask : -1n;
      curr -= 1;
    } while (curr >= 0 && newPfn <= (d.nodes[curr] as IovaNode).hi && newPfn >= low);
    if (high >= size && newPfn >= low) break;
    // Nothing below where the cached node left us: start again from the limit, above that point.
    if (!retried && low === d.startPfn && retryPfn < limitPfn) {
      high = limitPfn;
      low = retryPfn + 1n;
      curr = findLimit(d, limitPfn);
      continue;
    }
    d.max32AllocSize = size;
    return undefined;
  }
  const node = { lo: newPfn, hi: newPfn + size - 1n };
  insert(d, node);
  if (node.hi < d.dma32Pfn) d.cached32 = node.lo;
  else d.cached = node.lo;
  return newPfn;
}

export function findIova(d: IovaDomainState, pfn: bigint): IovaNode | undefined {
  return d.nodes.find((n) => n.lo !== IOVA_ANCHOR && pfn >= n.lo && pfn <= n.hi);
}

/** remove_iova: the cached nodes move up past a freed range at or above them (__cached_rbnode_delete_update). */
function remove(d: IovaDomainState, node: IovaNode): void {
  const i = d.nodes.indexOf(node);
  const next = (d.nodes[i + 1] as IovaNode).lo;
  const c32 = d.nodes[indexOfLo(d, d.cached32)] as IovaNode;
  if (c32 === node || (node.hi < d.dma32Pfn && node.lo >= c32.lo)) d.cached32 = next;
  if (node.lo < d.dma32Pfn) d.max32AllocSize = d.dma32Pfn;
  const c = d.nodes[indexOfLo(d, d.cached)] as IovaNode;
  if (node.lo >= c.lo) d.cached = next;
  d.nodes.splice(i, 1);
}

/** free_iova: the range that holds pfn goes back to the tree (nothing if there is none). */
export function freeIova(d: IovaDomainState, pfn: bigint): boolean {
  const node = findIova(d, pfn);
  if (!node) return false;
  remove(d, node);
  return true;
}

/** reserve_iova: [lo, hi] can never be allocated; overlapping ranges are extended rather than duplicated. */
export function reserveIova(d: IovaDomainState, lo: bigint, hi: bigint): void {
  let pfnLo = lo;
  let overlap = false;
  for (let i = 0; i < d.nodes.length - 1; i++) {
    const n = d.nodes[i] as IovaNode;
    if (pfnLo <= n.hi && hi >= n.lo) {
      let node = n;
      if (pfnLo < n.lo) {
        node = { ...n, lo: pfnLo };
        d.nodes[i] = node;
        if (d.cached32 === n.lo) d.cached32 = pfnLo;
        if (d.cached === n.lo) d.cached = pfnLo;
      }
      if (hi > node.hi) pfnLo = node.hi + 1n;
      if (pfnLo >= node.lo && hi <= node.hi) return;
      overlap = true;
    } else if (overlap) {
      break;
    }
  }
  insert(d, { lo: pfnLo, hi, reserved: true });
}
