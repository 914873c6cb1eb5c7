/**
 * iommu_map / iommu_unmap / iommu_iova_to_phys (iommu.c, io-pgtable-arm,
 * newest). Mapping writes page-table entries and needs no invalidation
 * (nothing valid was cached); unmapping clears entries and is strict: the
 * driver's iotlb_sync invalidates before the call returns. The DMA API's
 * flush queue (deferred invalidation) is a later layer over iommu_unmap_fast.
 */
import type { Prot } from '../../commands.ts';
import { IoPgtableError, type MappedEntry } from '../../hw/pgtable/io-pgtable.ts';
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import { isPaging } from './domain-type.ts';
import { domainNamed } from './state.ts';
import type { Errno, IommuDomain, Mapping, Ret } from './types.ts';

function pgtableOf(ctx: CallContext, d: IommuDomain) {
  return ctx.ops.pgtable(ctx, d);
}

function minPageSize(d: IommuDomain): bigint {
  return d.pgsizeBitmap & -d.pgsizeBitmap;
}

/** Takes [iova, iova + size) out of the domain's record of what it maps. */
function forget(d: IommuDomain, iova: bigint, size: bigint): void {
  const end = iova + size;
  const out: Mapping[] = [];
  for (const m of d.mappings) {
    const mEnd = m.iova + m.size;
    if (mEnd <= iova || m.iova >= end) { out.push(m); continue; }
    if (m.iova < iova) out.push({ ...m, size: iova - m.iova });
    if (mEnd > end) out.push({ ...m, iova: end, paddr: m.paddr + (end - m.iova), size: mEnd - end });
  }
  d.mappings = out.sort((a, b) => (a.iova < b.iova ? -1 : 1));
}

/** iommu_unmap_fast: entries cleared, nothing invalidated; the caller syncs now (strict) or later (a flush queue). */
export function unmapFast(ctx: CallContext, d: IommuDomain, iova: bigint, size: bigint): { unmapped: bigint; entries: readonly MappedEntry[] } {
  const r = pgtableOf(ctx, d).unmap(iova, size);
  if (r.writes.length > 0) ctx.hw.push({ kind: 'memory', why: `io-pgtable: clear entries of ${d.name}`, writes: r.writes });
  // io-pgtable has already given the emptied tables back to the allocator.
  for (const t of r.tablesFreed) ctx.hw.push({ kind: 'free', what: `level ${t.level} table of ${d.name}`, address: t.address, bytes: BigInt(pgtableOf(ctx, d).g.granule) });
  forget(d, iova, r.unmapped);
  return { unmapped: r.unmapped, entries: r.entries };
}

/** __iommu_unmap + iommu_iotlb_sync. Returns the bytes unmapped. */
function unmapAndSync(ctx: CallContext, d: IommuDomain, iova: bigint, size: bigint): bigint {
  const r = unmapFast(ctx, d, iova, size);
  ctx.ops.iotlbSync(ctx, d, r.entries);
  return r.unmapped;
}

export function iommuMap(ctx: CallContext, name: string, iova: bigint, paddr: bigint, size: bigint, prot: Prot): Ret {
  const d = domainNamed(ctx.linux, name);
  if (!isPaging(d.type)) return 'EINVAL';
  if (!d.ops.includes('map_pages') || d.pgsizeBitmap === 0n) {
    ctx.warn(`iommu_map: ${name} has no page sizes yet (not finalised) (WARN_ON)`);
    return 'ENODEV';
  }
  const min = minPageSize(d);
  if (((iova | paddr | size) & (min - 1n)) !== 0n) {
    ctx.warn(`unaligned: iova 0x${iova.toString(16)} pa 0x${paddr.toString(16)} size 0x${size.toString(16)} min_pagesz 0x${min.toString(16)}`);
    return 'EINVAL';
  }
  if (size === 0n) return 0;
  const pt = pgtableOf(ctx, d);
  if (iova + size > 1n << BigInt(pt.g.inputSize) || paddr + size > 1n << BigInt(pt.oaBits)) {
    ctx.warn(`io-pgtable: iova or paddr beyond the table's ${pt.g.inputSize}-bit input / ${pt.oaBits}-bit output size (WARN_ON)`);
    return 'ERANGE';
  }
  if (!prot.read && !prot.write) return 'EINVAL';
  try {
    const r = pt.map(iova, paddr, size, prot);
    for (const t of r.tables) ctx.hw.push({ kind: 'alloc', what: `level ${t.level} table of ${name}`, address: t.address, bytes: BigInt(pt.g.granule) });
    ctx.hw.push({ kind: 'memory', why: `io-pgtable: map 0x${iova.toString(16)} -> 0x${paddr.toString(16)} (0x${size.toString(16)} bytes) in ${name}`, writes: r.writes });
    d.mappings = [...d.mappings, { iova, paddr, size, prot }].sort((a, b) => (a.iova < b.iova ? -1 : 1));
    return 0;
  } catch (e) {
    if (e instanceof IoPgtableError) return e.errno;
    if (e instanceof EngineError && e.message.startsWith('ENOMEM')) {
      // Out of table memory part way: the core unmaps what was mapped.
      unmapAndSync(ctx, d, iova, size);
      return 'ENOMEM';
    }
    throw e;
  }
}

export function iommuUnmap(ctx: CallContext, name: string, iova: bigint, size: bigint): { ret: 0 | Errno; value: bigint } {
  const d = domainNamed(ctx.linux, name);
  if (!isPaging(d.type) || d.pgsizeBitmap === 0n) return { ret: 0, value: 0n };
  const min = minPageSize(d);
  if (((iova | size) & (min - 1n)) !== 0n || size === 0n) {
    if (size !== 0n) ctx.warn(`unaligned: iova 0x${iova.toString(16)} size 0x${size.toString(16)} min_pagesz 0x${min.toString(16)}`);
    return { ret: 0, value: 0n };
  }
  if (iova + size > 1n << BigInt(pgtableOf(ctx, d).g.inputSize)) return { ret: 0, value: 0n };
  const unmapped = unmapAndSync(ctx, d, iova, size);
  if (unmapped < size && d.mappings.some((m) => m.iova < iova + size && m.iova + m.size > iova + unmapped)) {
    ctx.warn(`iommu_unmap stopped after 0x${unmapped.toString(16)} bytes: the range splits a block mapping, which io-pgtable-arm no longer splits`);
  }
  return { ret: 0, value: unmapped };
}

/** Returns 0 for "not mapped", as the kernel's phys_addr_t does; SVA and nested domains have no op (a NULL call in the kernel). */
export function iommuIovaToPhys(ctx: CallContext, name: string, iova: bigint): { ret: 0 | Errno; value: bigint } {
  const d = domainNamed(ctx.linux, name);
  if (d.type === 'IDENTITY') return { ret: 0, value: iova };
  if (d.type === 'BLOCKED') return { ret: 0, value: 0n };
  if (!d.ops.includes('iova_to_phys')) {
    ctx.warn(`${name} (${d.type}) has no iova_to_phys op: the kernel would call NULL`);
    return { ret: 'EOPNOTSUPP', value: 0n };
  }
  if (!d.smmu?.finalised) return { ret: 0, value: 0n };
  return { ret: 0, value: pgtableOf(ctx, d).iovaToPhys(iova) ?? 0n };
}
