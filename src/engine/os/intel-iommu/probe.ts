/**
 * Bringing a VT-d unit up as Linux's init_dmars() / intel_iommu_init() do
 * (drivers/iommu/intel/iommu.c, dmar.c): allocate the root table, point
 * RTADDR at it (TTM = 01 when the unit supports scalable mode, as Linux
 * prefers), latch it with GCMD.SRTP, set up the invalidation queue
 * (dmar_enable_qi: IQA with 256-bit descriptors in scalable mode, IQT = 0,
 * GCMD.QIE), invalidate every cache globally (context cache, PASID cache,
 * IOTLB) and finally set GCMD.TE.
 */
import type { MemoryWrite } from '../../events.ts';
import type { TableAllocator } from '../../hw/memory/table-allocator.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import { GCMD, IQA_DW, RTADDR_TTM_SHIFT } from '../../hw/vtd/registers.ts';
import type { ConsumedDescriptor, VtdUnit } from '../../hw/vtd/vtd.ts';
import { EngineError } from '../../util/assert.ts';
import { submitDescriptors } from './qi.ts';

export interface VtdProbeOptions {
  /** 'scalable' (default when ECAP.SMTS) or 'legacy' (intel_iommu=sm_off). */
  readonly mode?: 'scalable' | 'legacy';
  /** Leave GCMD.TE clear (translation off), e.g. to show DMA before the driver enables it. */
  readonly enable?: boolean;
}

export interface VtdProbeResult {
  readonly mode: 'scalable' | 'legacy';
  readonly rootTable: bigint;
  readonly queue: { readonly base: bigint; readonly descBytes: number; readonly slots: number };
  readonly registerWrites: readonly { readonly register: string; readonly value: bigint }[];
  readonly writes: readonly MemoryWrite[];
  readonly consumed: readonly ConsumedDescriptor[];
  /** A page the driver reserved for invalidation-wait status writes (qi->desc_status in Linux). */
  readonly statusPage: bigint;
}

export function probeVtd(unit: VtdUnit, alloc: TableAllocator, options: VtdProbeOptions = {}): VtdProbeResult {
  const mode = options.mode ?? (unit.features.smts ? 'scalable' : 'legacy');
  if (mode === 'scalable' && !unit.features.smts) throw new EngineError('this unit has no scalable mode (ECAP.SMTS = 0)', 'mode');
  const sm = mode === 'scalable';
  const registerWrites: { register: string; value: bigint }[] = [];
  const write = (register: 'RTADDR' | 'GCMD' | 'IQA' | 'IQT', value: bigint): ConsumedDescriptor[] => {
    registerWrites.push({ register, value });
    return unit.write(register, value);
  };
  const rootTable = alloc.alloc(4096n);
  write('RTADDR', rootTable | (sm ? 1n << RTADDR_TTM_SHIFT : 0n));
  write('GCMD', GCMD.SRTP);
  // One 4 KB page of descriptors: 256 x 16 bytes, or 128 x 32 bytes in scalable mode (Linux allocates 8 KB there for 256).
  const queue = alloc.alloc(4096n);
  write('IQA', queue | (sm ? IQA_DW : 0n));
  write('IQT', 0n);
  write('GCMD', GCMD.QIE);
  const statusPage = alloc.alloc(4096n);
  const flush: InvDescriptor[] = [
    { type: 'context-cache', granularity: 'global' },
    ...(sm ? [{ type: 'pasid-cache', granularity: 'global' } as const] : []),
    { type: 'iotlb', granularity: 'global' },
    { type: 'wait', statusAddress: statusPage, statusData: 1 },
  ];
  const r = submitDescriptors(unit, flush);
  registerWrites.push({ register: 'IQT', value: r.tail.value });
  if (options.enable !== false) write('GCMD', GCMD.QIE | GCMD.TE);
  const q = unit.queue;
  return { mode, rootTable, queue: { base: q.base, descBytes: q.descBytes, slots: q.slots }, registerWrites, writes: r.writes, consumed: r.consumed, statusPage };
}
