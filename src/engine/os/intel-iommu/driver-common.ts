/**
 * What every part of the intel-iommu driver model shares: the unit, queued
 * invalidation as qi_submit_sync does it (the descriptors, then a wait
 * descriptor whose status write says they are done), stores of whole entries
 * with a checkpoint after each, and domain IDs (IDA_START_DID = 2; 0 is
 * reserved for caching mode and FLPT_DEFAULT_DID = 1 for pass-through and
 * blocking, drivers/iommu/intel/iommu.h).
 */
import type { MemoryWrite } from '../../events.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import type { VtdUnit } from '../../hw/vtd/vtd.ts';
import { EngineError } from '../../util/assert.ts';
import { storeQwords } from '../arm-smmu-v3/cmdq.ts';
import type { CallContext } from '../core/context.ts';
import type { IommuDomain } from '../core/types.ts';
import { submitDescriptors } from './qi.ts';

export const FLPT_DEFAULT_DID = 1;
const IDA_START_DID = 2;

export function unitOf(ctx: CallContext): VtdUnit {
  if (!ctx.s.vtd) throw new EngineError('intel-iommu needs a VT-d unit: linux.boot with iommu: intel-iommu probes one', 'kind');
  return ctx.s.vtd;
}

export function isScalable(ctx: CallContext): boolean {
  return unitOf(ctx).rootTable?.mode === 'scalable';
}

/** qi_submit_sync: the descriptors and a wait with a status write, in one IQT publish. */
export function qiSubmit(ctx: CallContext, why: string, descriptors: readonly InvDescriptor[]): void {
  if (descriptors.length === 0) return;
  const unit = unitOf(ctx);
  if (ctx.linux.qiStatus === undefined) {
    const page = ctx.alloc('qi->desc_status: where invalidation waits write their status', 4096n);
    if (page === 'ENOMEM') throw new EngineError('ENOMEM: no page for the invalidation status', 'tableMemory');
    ctx.linux.qiStatus = page;
  }
  const status = ctx.linux.qiStatus;
  const r = submitDescriptors(unit, [...descriptors, { type: 'wait', statusAddress: status, statusData: 1 }]);
  ctx.hw.push({ kind: 'vtd-qi', why, writes: r.writes, tail: r.tail, consumed: r.consumed });
}

/** Stores an entry's qwords as the driver does (WRITE_ONCE each), recorded, then a checkpoint. */
export function storeEntry(ctx: CallContext, address: bigint, words: readonly bigint[], what: string, why: string): void {
  const writes: MemoryWrite[] = [];
  storeQwords(unitOf(ctx).mem, address, words, what, writes);
  ctx.hw.push({ kind: 'memory', why, writes });
  ctx.transition.point(`${what} stored`);
}

/** domain_attach_iommu: the domain's DID on the unit, allocated at its first attach. */
export function ensureDid(ctx: CallContext, d: IommuDomain): number | 'ENOSPC' {
  const info = d.intel;
  if (!info) throw new Error(`model bug: ${d.name} is not an intel-iommu domain`);
  if (info.did !== null) return info.did;
  const used = new Set(ctx.linux.dids ?? []);
  let did = IDA_START_DID;
  while (did < 0x10000 && used.has(did)) did++;
  if (did >= 0x10000) return 'ENOSPC';
  ctx.linux.dids = [...used, did].sort((a, b) => a - b);
  info.did = did;
  return did;
}

export function releaseDid(ctx: CallContext, d: IommuDomain): void {
  const did = d.intel?.did;
  if (did === null || did === undefined) return;
  ctx.linux.dids = (ctx.linux.dids ?? []).filter((x) => x !== did);
  if (d.intel) d.intel.did = null;
}
