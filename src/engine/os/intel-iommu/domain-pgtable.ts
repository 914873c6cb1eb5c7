/**
 * A dmar_domain's page table as the core's iommu_map / iommu_unmap see it
 * (the DomainPgtable seam): Linux's intel page tables in the first-stage
 * (x86-64) or second-stage (VT-d) format, built by hw/vtd/pgtable.ts.
 * Refusals are io-pgtable's errnos, checked before anything is written.
 */
import type { Prot } from '../../commands.ts';
import type { PhysicalMemory } from '../../hw/memory/physical-memory.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import { IoPgtableError } from '../../hw/pgtable/io-pgtable.ts';
import { vtdIovaToPhys, vtdMap, vtdUnmap, type VtdPgtable } from '../../hw/vtd/pgtable.ts';
import type { LargePages } from '../../hw/vtd/paging.ts';
import { EngineError } from '../../util/assert.ts';
import type { DomainPgtable } from '../core/iommu-ops.ts';

/** VT-d levels are numbered 5..1 from the top; the core's records use 0 for the top table, as io-pgtable does. */
const coreLevel = (t: VtdPgtable, level: number): number => t.levels - level;

export function vtdDomainPgtable(mem: PhysicalMemory, alloc: TableAllocator, t: VtdPgtable, large: LargePages, oaBits: number): DomainPgtable {
  const inputSize = t.format === 'first-stage' ? (t.levels === 5 ? 57 : 48) : 12 + 9 * t.levels;
  return {
    g: { inputSize, granule: 4096 },
    oaBits,
    map(iova: bigint, paddr: bigint, size: bigint, prot: Prot) {
      try {
        const r = vtdMap(mem, alloc, t, iova, paddr, size, { read: prot.read, write: prot.write, user: true, exec: prot.exec }, large);
        return {
          entries: r.entries.map((e) => ({ iova: e.iova, size: e.size, level: coreLevel(t, e.level) })),
          tables: r.tables.map((x) => ({ address: x.address, level: coreLevel(t, x.level) })),
          writes: r.writes,
        };
      } catch (e) {
        if (e instanceof EngineError && !(e instanceof IoPgtableError)) {
          const errno = /^(EEXIST|EINVAL|ERANGE)/.exec(e.message)?.[1] as 'EEXIST' | 'EINVAL' | 'ERANGE' | undefined;
          if (errno) throw new IoPgtableError(errno, e.message.replace(/^\w+: /, ''), e.field);
        }
        throw e;
      }
    },
    unmap(iova: bigint, size: bigint) {
      const r = vtdUnmap(mem, t, iova, size);
      return { unmapped: r.unmapped, entries: r.entries.map((e) => ({ iova: e.iova, size: e.size, level: coreLevel(t, e.level) })), tablesFreed: [], writes: r.writes };
    },
    iovaToPhys(iova: bigint) {
      const pa = vtdIovaToPhys(mem, t, iova);
      return pa === 0n ? undefined : pa;
    },
  };
}
