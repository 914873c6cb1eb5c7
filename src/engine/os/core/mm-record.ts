/**
 * The CPU's record of what a process maps, kept beside its page tables the
 * way iommu_map's record is kept beside a domain's: the reference an SVA
 * DMA is judged against, so a stale IOTLB entry after a CPU unmap shows up
 * as reaching memory the process no longer maps. Ranges are sorted, and
 * contiguous pages with the same protection are merged.
 */
import type { Prot } from '../../commands.ts';
import type { Mapping } from './types.ts';

const sameProt = (a: Prot, b: Prot) => a.read === b.read && a.write === b.write && a.exec === b.exec && a.priv === b.priv;

export function overlapsRecord(record: readonly Mapping[], va: bigint, size: bigint): boolean {
  return record.some((m) => m.iova < va + size && va < m.iova + m.size);
}

export function addToRecord(record: readonly Mapping[], added: Mapping): Mapping[] {
  const out: Mapping[] = [];
  for (const m of [...record, added].sort((a, b) => (a.iova < b.iova ? -1 : 1))) {
    const last = out.at(-1);
    if (last && last.iova + last.size === m.iova && last.paddr + last.size === m.paddr && sameProt(last.prot, m.prot)) {
      out[out.length - 1] = { ...last, size: last.size + m.size };
    } else {
      out.push(m);
    }
  }
  return out;
}

/** The record without [va, va + size). */
export function removeFromRecord(record: readonly Mapping[], va: bigint, size: bigint): Mapping[] {
  const end = va + size;
  const out: Mapping[] = [];
  for (const m of record) {
    const mEnd = m.iova + m.size;
    if (mEnd <= va || m.iova >= end) { out.push(m); continue; }
    if (m.iova < va) out.push({ ...m, size: va - m.iova });
    if (mEnd > end) out.push({ ...m, iova: end, paddr: m.paddr + (end - m.iova), size: mEnd - end });
  }
  return out;
}

/** The mapped pages inside [va, va + size), in address order. */
export function pagesIn(record: readonly Mapping[], va: bigint, size: bigint, page: bigint): bigint[] {
  const out: bigint[] = [];
  for (const m of record) {
    const lo = m.iova > va ? m.iova : va;
    const hi = m.iova + m.size < va + size ? m.iova + m.size : va + size;
    for (let p = lo; p < hi; p += page) out.push(p);
  }
  return out;
}
