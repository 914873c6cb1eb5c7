/**
 * Context and PASID entries as Linux's intel driver writes and tears them
 * down (drivers/iommu/intel/pasid.c, iommu.c):
 * - a new PASID entry over a not-present one needs no invalidation (the unit
 *   caches nothing for it; caching mode is not modelled);
 * - replacing a present entry (intel_pasid_replace_*) writes the new entry
 *   whole, then flushes what the old one left cached
 *   (intel_pasid_flush_present): the PASID cache for the old DID and PASID,
 *   then the IOTLB for the old DID: PASID-based for first-stage and
 *   pass-through, domain-selective for second-stage and nested;
 * - tearing one down (intel_pasid_tear_down_entry) clears it and flushes
 *   the same way;
 * - legacy mode: context entries per requester ID, cleared with a
 *   device-selective context-cache invalidation and a domain-selective IOTLB
 *   invalidation (domain_context_clear_one).
 */
import { bdf as bdfOf } from '../../hw/vtd/bdf.ts';
import type { MemoryWrite } from '../../events.ts';
import { decodeFields, encodeFields, type FieldValues } from '../../hw/smmu/fields.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import { readWords } from '../../hw/vtd/structures-fetch.ts';
import { LEGACY_CONTEXT_FIELDS, PASID_ENTRY_FIELDS, PGTT, SM_CONTEXT_FIELDS } from '../../hw/vtd/structures.ts';
import type { CallContext } from '../core/context.ts';
import { qiSubmit, storeEntry, unitOf } from './driver-common.ts';
import { contextAddressFor, pasidEntryAddressFor } from './structures.ts';

export { bdfOf };

function pasidEntryAddress(ctx: CallContext, rid: number, pasid: number): bigint {
  const writes: MemoryWrite[] = [];
  const a = pasidEntryAddressFor(unitOf(ctx), ctx.s.allocator, rid, pasid, writes);
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: `intel_pasid_get_entry: a PASID table for ${bdfOf(rid)} PASIDs ${pasid & ~0x3f}-${pasid | 0x3f}`, writes });
  return a;
}

/** What a present PASID entry leaves cached, and the descriptors that flush it (intel_pasid_flush_present / tear_down). */
function flushFor(old: FieldValues, pasid: number): InvDescriptor[] {
  const did = Number(old.DID);
  const pgtt = Number(old.PGTT);
  return [
    { type: 'pasid-cache', granularity: 'pasid', did, pasid },
    pgtt === PGTT.firstStage || pgtt === PGTT.passThrough ? { type: 'pasid-iotlb', granularity: 'pasid', did, pasid } : { type: 'iotlb', granularity: 'domain', did },
  ];
}

/** intel_pasid_setup_* or intel_pasid_replace_*: the entry for (rid, pasid) becomes `fields`. */
export function installPasidEntry(ctx: CallContext, rid: number, pasid: number, fields: Partial<FieldValues>, why: string): void {
  const address = pasidEntryAddress(ctx, rid, pasid);
  const oldWords = readWords(unitOf(ctx).mem, address, 8) ?? [];
  const old = decodeFields(oldWords, PASID_ENTRY_FIELDS);
  storeEntry(ctx, address, encodeFields({ ...fields, P: 1n }, PASID_ENTRY_FIELDS, 8), `PASID entry ${pasid} of ${bdfOf(rid)}`, why);
  if (old.P === 1n) {
    qiSubmit(ctx, `intel_pasid_flush_present: PASID ${pasid} of ${bdfOf(rid)} was DID ${old.DID}; flush what it cached`, flushFor(old, pasid));
    ctx.transition.point(`PASID entry ${pasid} of ${bdfOf(rid)} flushed`);
  }
}

/** intel_pasid_tear_down_entry: P = 0 (with FPD = 1 when faults are to be ignored, as at mm release), then the flushes. */
export function tearDownPasidEntry(ctx: CallContext, rid: number, pasid: number, why: string, faultIgnore = false): void {
  const address = pasidEntryAddress(ctx, rid, pasid);
  const oldWords = readWords(unitOf(ctx).mem, address, 8) ?? [];
  const old = decodeFields(oldWords, PASID_ENTRY_FIELDS);
  if (old.P !== 1n) return;
  storeEntry(ctx, address, [faultIgnore ? 2n : 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n], `PASID entry ${pasid} of ${bdfOf(rid)}`, why);
  qiSubmit(ctx, `intel_pasid_tear_down_entry: PASID ${pasid} of ${bdfOf(rid)} (DID ${old.DID}) is gone; flush what it cached`, flushFor(old, pasid));
  ctx.transition.point(`PASID entry ${pasid} of ${bdfOf(rid)} flushed`);
}

/** The scalable-mode context entry Linux writes at probe (context_entry_set_pasid_table): the PASID directory, RID_PASID = 0. */
export function setupSmContext(ctx: CallContext, rid: number, dir: bigint, pdts: number, pasid: boolean, ats: boolean): void {
  const writes: MemoryWrite[] = [];
  const address = contextAddressFor(unitOf(ctx), ctx.s.allocator, rid, writes);
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: `iommu_context_addr: a context table for bus ${rid >> 8}`, writes });
  const words = encodeFields({ P: 1n, PDTS: BigInt(pdts), PASIDDIRPTR: dir, PASIDE: pasid ? 1n : 0n, DTE: ats ? 1n : 0n, RID_PASID: 0n }, SM_CONTEXT_FIELDS, 4);
  storeEntry(ctx, address, words, `context entry ${bdfOf(rid)}`, `intel_pasid_setup_sm_context: ${bdfOf(rid)} points at its PASID directory (PDTS = ${pdts})`);
}

function legacyContextAddress(ctx: CallContext, rid: number): bigint {
  const writes: MemoryWrite[] = [];
  const address = contextAddressFor(unitOf(ctx), ctx.s.allocator, rid, writes);
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: `iommu_context_addr: a context table for bus ${rid >> 8}`, writes });
  return address;
}

/** domain_context_clear_one: the context entry goes, then the context cache and IOTLB for its DID. */
export function clearLegacyContext(ctx: CallContext, rid: number, why: string): void {
  const address = legacyContextAddress(ctx, rid);
  const old = decodeFields(readWords(unitOf(ctx).mem, address, 2) ?? [], LEGACY_CONTEXT_FIELDS);
  if (old.P !== 1n) return;
  storeEntry(ctx, address, [0n, 0n], `context entry ${bdfOf(rid)}`, why);
  const did = Number(old.DID);
  qiSubmit(ctx, `domain_context_clear_one: ${bdfOf(rid)} (DID ${did}) cleared; flush its context cache and IOTLB`, [
    { type: 'context-cache', granularity: 'device', did, sid: rid },
    { type: 'iotlb', granularity: 'domain', did },
  ]);
  ctx.transition.point(`context entry ${bdfOf(rid)} flushed`);
}

/** domain_context_mapping_one / context_setup_pass_through: a legacy context entry over a cleared one. */
export function writeLegacyContext(ctx: CallContext, rid: number, fields: Partial<FieldValues>, why: string): void {
  clearLegacyContext(ctx, rid, `device_block_translation: ${bdfOf(rid)} first loses its old context entry`);
  const address = legacyContextAddress(ctx, rid);
  storeEntry(ctx, address, encodeFields({ ...fields, P: 1n }, LEGACY_CONTEXT_FIELDS, 2), `context entry ${bdfOf(rid)}`, why);
}
