/**
 * The engine commands and events for the VT-d unit, defined here and added
 * to the EngineCommand / EngineEvent unions (commands.ts, events.ts) as
 * single union members, so the VT-d surface lives in one place.
 */
import type { MemoryWrite } from '../../events.ts';
import type { Access } from '../pgtable/types.ts';
import type { FieldValues } from '../smmu/fields.ts';
import type { VtdDmaOutcome } from './dma-types.ts';
import type { VtdFeatures, VtdPreset } from './features.ts';
import type { InvDescriptor } from './inv-desc.ts';
import type { PagingFormat } from './paging.ts';
import type { VtdRegisterName } from './registers.ts';
import type { ConsumedDescriptor } from './vtd.ts';

export type VtdCommand =
  /** Bring a VT-d unit up as intel-iommu does: root table, invalidation queue, global invalidations, TE. */
  | { readonly kind: 'vtd.probe'; readonly preset: VtdPreset; readonly features?: Partial<VtdFeatures>; readonly mode?: 'scalable' | 'legacy'; readonly enable?: boolean }
  | { readonly kind: 'vtd.writeRegister'; readonly register: VtdRegisterName; readonly value: bigint }
  /** Software clears fault record `index` by writing 1 to its F bit. */
  | { readonly kind: 'vtd.clearFault'; readonly index: number }
  /** Write a context entry field by field (legacy or scalable-mode fields, as the root table's mode says); unnamed fields are 0. */
  | { readonly kind: 'vtd.writeContext'; readonly sid: number; readonly fields: Partial<FieldValues> }
  /** Write a PASID entry field by field, through the context entry's PASID directory (allocating the PASID table on first use). */
  | { readonly kind: 'vtd.writePasidEntry'; readonly sid: number; readonly pasid: number; readonly fields: Partial<FieldValues> }
  /** A zeroed VT-d page table: first-stage (x86-64, 4 or 5 levels) or second-stage (3 to 5 levels). */
  | { readonly kind: 'vtd.createPgtable'; readonly name: string; readonly format: PagingFormat; readonly levels: number }
  | { readonly kind: 'vtd.map'; readonly table: string; readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly prot: { readonly read: boolean; readonly write: boolean; readonly user?: boolean; readonly exec?: boolean } }
  | { readonly kind: 'vtd.unmap'; readonly table: string; readonly iova: bigint; readonly size: bigint }
  /** Put descriptors in the invalidation queue and publish IQT. */
  | { readonly kind: 'vtd.invalidate'; readonly descriptors: readonly InvDescriptor[] }
  /** A DMA request from requester `sid`, with a PASID when given. */
  | { readonly kind: 'vtd.dma'; readonly sid: number; readonly pasid?: number; readonly address: bigint; readonly access: Access };

export interface VtdEntryEvent {
  readonly address: bigint;
  readonly words: readonly bigint[];
  readonly writes: readonly MemoryWrite[];
}

export type VtdEvent =
  | { readonly kind: 'vtd.probed'; readonly features: VtdFeatures; readonly mode: 'scalable' | 'legacy'; readonly rootTable: bigint; readonly queue: { readonly base: bigint; readonly descBytes: number; readonly slots: number }; readonly registerWrites: readonly { readonly register: string; readonly value: bigint }[]; readonly writes: readonly MemoryWrite[]; readonly consumed: readonly ConsumedDescriptor[] }
  | { readonly kind: 'vtd.registerWritten'; readonly register: VtdRegisterName; readonly old: bigint; readonly value: bigint; readonly consumed: readonly ConsumedDescriptor[] }
  | { readonly kind: 'vtd.faultCleared'; readonly index: number; readonly wasPending: boolean }
  | ({ readonly kind: 'vtd.contextWritten'; readonly sid: number } & VtdEntryEvent)
  | ({ readonly kind: 'vtd.pasidEntryWritten'; readonly sid: number; readonly pasid: number } & VtdEntryEvent)
  | { readonly kind: 'vtd.pgtableCreated'; readonly name: string; readonly format: PagingFormat; readonly levels: number; readonly root: bigint }
  | { readonly kind: 'vtd.mapped'; readonly table: string; readonly iova: bigint; readonly paddr: bigint; readonly size: bigint; readonly entries: readonly { readonly level: number; readonly iova: bigint; readonly size: bigint }[]; readonly tables: readonly bigint[]; readonly writes: readonly MemoryWrite[] }
  | { readonly kind: 'vtd.unmapped'; readonly table: string; readonly iova: bigint; readonly size: bigint; readonly unmapped: bigint; readonly entries: readonly { readonly level: number; readonly iova: bigint; readonly size: bigint }[]; readonly writes: readonly MemoryWrite[] }
  | { readonly kind: 'vtd.invalidated'; readonly writes: readonly MemoryWrite[]; readonly tail: { readonly old: bigint; readonly value: bigint }; readonly consumed: readonly ConsumedDescriptor[] }
  | { readonly kind: 'vtd.dma'; readonly outcome: VtdDmaOutcome };

/** Whether an engine event is a VT-d one: views that do not draw VT-d yet skip them with one test before their switch. */
export function isVtdEvent<E extends { readonly kind: string }>(e: E): e is Extract<E, { kind: `vtd.${string}` }> {
  return e.kind.startsWith('vtd.');
}
