/** A VT-d unit over fresh memory, probed by the driver model, with helpers to program devices and send DMA. */
import { PhysicalMemory } from '../../../../src/engine/hw/memory/physical-memory.ts';
import { TableAllocator } from '../../../../src/engine/hw/memory/table-allocator.ts';
import type { FieldValues } from '../../../../src/engine/hw/smmu/fields.ts';
import type { VtdDmaOutcome } from '../../../../src/engine/hw/vtd/dma-types.ts';
import { VTD_PRESETS, type VtdFeatures } from '../../../../src/engine/hw/vtd/features.ts';
import type { InvDescriptor } from '../../../../src/engine/hw/vtd/inv-desc.ts';
import type { PagingFormat, PagingProt } from '../../../../src/engine/hw/vtd/paging.ts';
import { vtdMap, type VtdPgtable } from '../../../../src/engine/hw/vtd/pgtable.ts';
import { VtdUnit } from '../../../../src/engine/hw/vtd/vtd.ts';
import { probeVtd } from '../../../../src/engine/os/intel-iommu/probe.ts';
import { submitDescriptors } from '../../../../src/engine/os/intel-iommu/qi.ts';
import { writeContext, writePasidEntry } from '../../../../src/engine/os/intel-iommu/structures.ts';

export const RW: PagingProt = { read: true, write: true };
export const RO: PagingProt = { read: true, write: false };

export class Rig {
  readonly mem = new PhysicalMemory();
  readonly alloc = TableAllocator.create(this.mem, 0x4000_0000n, 0x4000_0000n);
  readonly unit: VtdUnit;

  constructor(features: Partial<VtdFeatures> = {}, mode: 'scalable' | 'legacy' = 'scalable') {
    const base: VtdFeatures = mode === 'legacy' ? VTD_PRESETS.legacy : VTD_PRESETS.scalable;
    this.unit = new VtdUnit(this.mem, { ...base, ...features });
    probeVtd(this.unit, this.alloc, { mode });
  }

  table(format: PagingFormat, levels: number): VtdPgtable {
    return { format, levels, root: this.alloc.alloc(4096n) };
  }

  /** Maps with the largest pages alignment allows, or 4 KB pages only when `small`. */
  map(t: VtdPgtable, iova: bigint, paddr: bigint, size: bigint, prot: PagingProt = RW, small = false): void {
    vtdMap(this.mem, this.alloc, t, iova, paddr, size, prot, { l2: !small, l3: !small });
  }

  context(sid: number, fields: Partial<FieldValues>): bigint {
    return writeContext(this.unit, this.alloc, sid, fields).address;
  }

  /** A scalable-mode context entry with a fresh 1-page PASID directory (PDTS = 2: 512 entries, PASIDs 0..32767). */
  smContext(sid: number, extra: Partial<FieldValues> = {}): bigint {
    const dir = this.alloc.alloc(4096n);
    this.context(sid, { P: 1n, PASIDE: 1n, PDTS: 2n, PASIDDIRPTR: dir, ...extra });
    return dir;
  }

  pasid(sid: number, pasid: number, fields: Partial<FieldValues>): bigint {
    return writePasidEntry(this.unit, this.alloc, sid, pasid, fields).address;
  }

  invalidate(...d: InvDescriptor[]) {
    return submitDescriptors(this.unit, d);
  }

  dma(sid: number, address: bigint, kind: 'read' | 'write' | 'exec' = 'read', pasid?: number, privileged = false): VtdDmaOutcome {
    return this.unit.dma({ sid, address, access: { kind, privileged }, ...(pasid !== undefined ? { pasid } : {}) });
  }
}

export const SID = 0x0300; // 03:00.0
