/**
 * One DMA request through a VT-d unit (VT-d spec, "DMA Remapping"; order
 * of checks as QEMU's vtd_do_iommu_translate): translation disabled, the
 * context entry (context cache or root/context tables), in scalable mode the
 * PASID entry (PASID cache or directory/table), pass-through, the IOTLB
 * (tagged by DID and PASID), the walk, the interrupt-address check. Every
 * way it can fail is a fault reason; qualified faults are not recorded when
 * FPD is set.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import type { TranslationKind, VtdCaches } from './caches.ts';
import type { VtdDmaOutcome, VtdDmaRequest, VtdDmaTrace, VtdTranslationType } from './dma-types.ts';
import { faultReason, reasonCode } from './fault-reasons.ts';
import type { RecordOutcome } from './fault-record.ts';
import type { VtdFeatures } from './features.ts';
import { fetchContext, resolveLegacy, resolveScalable, type FetchEnv, type Resolved, type StructRead, type VtdMode } from './structures-fetch.ts';
import { walkFirstStage, walkSecondStage, type FsWalk, type SsWalk, type VtdFaultKind, type VtdWalkFault, type WalkEnv } from './walk.ts';

export interface VtdDmaContext {
  readonly mem: PhysicalMemory;
  readonly features: VtdFeatures;
  readonly caches: VtdCaches;
  /** GSTS.TES. */
  readonly enabled: boolean;
  /** From the latched RTADDR.TTM; 'invalid' for a TTM the unit does not support. */
  readonly mode: VtdMode | 'invalid';
  readonly rootTable: bigint;
  recordFault(record: { sid: number; reason: number; address: bigint; type: 'read' | 'write'; pasid?: number }): RecordOutcome;
}

const INTERRUPT_FIRST = 0xfee0_0000n;
const INTERRUPT_LAST = 0xfeef_ffffn;

/** The fault reason a walk fault gets in each mode (legacy mode has second-stage walks only). */
function walkReason(f: VtdWalkFault, sm: boolean, write: boolean): string {
  if (!sm) {
    const legacy: Partial<Record<VtdFaultKind, string>> = {
      'beyond-aw': 'ADDR_BEYOND_MGAW', 'ss-root-access': 'CONTEXT_ENTRY_INV', 'ss-access': 'PAGING_ENTRY_INV', 'ss-reserved': 'PAGING_ENTRY_RSVD',
      'ss-read': 'READ', 'ss-write': 'WRITE', 'ss-not-present': write ? 'WRITE' : 'READ',
    };
    return legacy[f.kind] ?? 'CONTEXT_ENTRY_INV';
  }
  if (f.kind === 'nested-table-beyond') return 'NESTED_FS_BEYOND_MGAW';
  if (f.kind === 'nested-table-read') return f.fsRoot ? 'NESTED_FS_ROOT_READ' : 'NESTED_FS_READ';
  const sm2: Record<Exclude<VtdFaultKind, 'nested-table-beyond' | 'nested-table-read'>, string> = {
    'beyond-aw': 'SS_ADDR_BEYOND_AGAW', 'ss-root-access': 'PASID_ENTRY_SSPTPTR_INV', 'ss-access': 'SS_PAGING_ENTRY_INV', 'ss-not-present': 'SS_PAGING_ENTRY_P',
    'ss-reserved': 'SS_PAGING_ENTRY_RSVD', 'ss-read': 'SM_READ', 'ss-write': 'SM_WRITE', 'fs-non-canonical': 'FS_NON_CANONICAL', 'fs-root-access': 'PASID_ENTRY_FSPTPTR_INV',
    'fs-access': 'FS_PAGING_ENTRY_INV', 'fs-not-present': 'FS_PAGING_ENTRY_P', 'fs-reserved': 'FS_PAGING_ENTRY_RSVD', 'fs-us': 'FS_PAGING_ENTRY_US', 'fs-write': 'SM_WRITE', 'fs-exec': 'FS_EXECUTE',
  };
  return sm2[f.kind];
}

class Request {
  trace: VtdDmaTrace;
  readonly reads: StructRead[] = [];
  constructor(readonly ctx: VtdDmaContext, readonly req: VtdDmaRequest) {
    this.trace = { enabled: ctx.enabled, reads: this.reads };
  }

  fail(name: string, why: string, fpd: boolean, pasid?: number): VtdDmaOutcome {
    return this.failCode(reasonCode(name), why, fpd, pasid);
  }

  failCode(code: number, why: string, fpd: boolean, pasid = this.req.pasid): VtdDmaOutcome {
    const r = faultReason(code);
    const record = { sid: this.req.sid, reason: code, address: this.req.address, type: this.req.access.kind === 'write' ? 'write' as const : 'read' as const, ...(pasid !== undefined ? { pasid } : {}) };
    const recorded: RecordOutcome = fpd && r.qualified ? { recorded: false, why: 'not recorded: FPD is set and this is a qualified fault' } : this.ctx.recordFault(record);
    return {
      request: this.req, result: 'blocked', trace: this.trace,
      fault: { reason: code, name: r.name, text: r.text, ...(r.condition ? { condition: r.condition } : {}), why, record, recorded },
    };
  }
}

export function runVtdDma(ctx: VtdDmaContext, req: VtdDmaRequest): VtdDmaOutcome {
  const t = new Request(ctx, req);
  if (!ctx.enabled) return { request: req, result: 'untranslated', output: req.address, trace: { ...t.trace, translation: 'untranslated' } };
  if (ctx.mode === 'invalid') return t.fail('SM_RTADDR_INV', 'RTADDR.TTM selects a translation table mode this unit does not support', false);
  const sm = ctx.mode === 'scalable';
  t.trace = { ...t.trace, mode: ctx.mode };
  if (!sm && req.pasid !== undefined) return t.fail('SM_TTM0_PASID', `a request with PASID ${req.pasid}, but the root table is in legacy mode (TTM = 0)`, false);
  const env: FetchEnv = { mem: ctx.mem, features: ctx.features, mode: ctx.mode, rootTable: ctx.rootTable, caches: ctx.caches };
  const got = fetchContext(env, req.sid, t.reads);
  if (!got.ok) return t.failCode(got.reason, got.why, got.fpd);
  const resolved = sm ? resolveScalable(env, got.ctx, req.pasid, t.reads) : resolveLegacy(got.ctx);
  if (!resolved.ok) return t.failCode(resolved.reason, resolved.why, resolved.fpd);
  const r = resolved;
  t.trace = { ...t.trace, translation: r.kind, did: r.did, ...(r.pasidTag !== null ? { pasid: r.pasidTag } : {}) };
  const withPasid = req.pasid !== undefined;
  if (sm && req.access.kind === 'exec' && !r.ere && withPasid) return t.fail('PASID_ENTRY_ERE', 'an execute request, but the PASID entry\'s ERE is 0', r.fpd);
  if (sm && req.access.privileged && withPasid && !r.sre) return t.fail('PASID_ENTRY_SRE', 'a supervisor request, but the PASID entry\'s SRE is 0', r.fpd);
  if (r.kind === 'pass-through') return passThrough(t, r, sm);

  const iotlbHit = ctx.caches.lookupIotlb(r.did, r.pasidTag, req.address);
  if (iotlbHit) {
    t.trace = { ...t.trace, iotlb: { hit: true, entry: iotlbHit } };
    const p = iotlbHit.perms;
    const write = req.access.kind === 'write';
    if (write && !p.write) return t.fail(sm ? 'SM_WRITE' : 'WRITE', 'write request, the cached translation is read-only', r.fpd, r.pasidTag ?? undefined);
    if (!write && !p.read) return t.fail(sm ? 'SM_READ' : 'READ', 'read request, the cached translation is not readable', r.fpd, r.pasidTag ?? undefined);
    if (sm && withPasid && !req.access.privileged && p.user === false) return t.fail('FS_PAGING_ENTRY_US', 'user request, the cached translation is supervisor-only', r.fpd);
    if (req.access.kind === 'exec' && !p.exec && withPasid) return t.fail('FS_EXECUTE', 'execute request, the cached translation is not executable', r.fpd);
    return { request: req, result: 'translated', output: iotlbHit.output | (req.address - iotlbHit.page), trace: t.trace };
  }
  t.trace = { ...t.trace, iotlb: { hit: false } };
  return walkAndFill(t, r, sm);
}

function passThrough(t: Request, r: Resolved, sm: boolean): VtdDmaOutcome {
  const { req, ctx } = t;
  if (req.address >> BigInt(ctx.features.haw) !== 0n) {
    return t.fail(sm ? 'SM_ADDR_BEYOND_HAW' : 'ADDR_BEYOND_MGAW', `pass-through of 0x${req.address.toString(16)}, beyond the ${ctx.features.haw}-bit host address width`, r.fpd);
  }
  if (req.pasid !== undefined && req.address >= INTERRUPT_FIRST && req.address <= INTERRUPT_LAST) {
    return t.fail('SM_INTERRUPT_ADDR', 'a request with PASID into the interrupt address range 0xFEEx_xxxx, passed through', r.fpd);
  }
  return { request: req, result: 'translated', output: req.address, trace: t.trace };
}

function walkAndFill(t: Request, r: Resolved, sm: boolean): VtdDmaOutcome {
  const { req, ctx } = t;
  const f = ctx.features;
  const env: WalkEnv = { mem: ctx.mem, haw: f.haw, mgaw: f.mgaw, fsLarge: { l2: true, l3: f.fl1gp }, ssLarge: { l2: (f.sllps & 1) === 1, l3: (f.sllps & 2) === 2 } };
  const write = req.access.kind === 'write';
  let walk: FsWalk | SsWalk;
  if (r.kind === 'second-stage') {
    walk = walkSecondStage(env, r.ss as NonNullable<Resolved['ss']>, req.address, { read: !write, write });
  } else {
    // Requests without PASID are user requests (PR = 0): Linux sets U/S in every first-stage entry of a DMA domain.
    const access = { write, exec: req.access.kind === 'exec', supervisor: req.pasid !== undefined && req.access.privileged };
    walk = walkFirstStage(env, r.fs as NonNullable<Resolved['fs']>, req.address, access, r.kind === 'nested' ? (r.ss as NonNullable<Resolved['ss']>) : null);
  }
  const fs = walk as FsWalk;
  t.trace = { ...t.trace, steps: walk.steps, ...(fs.gpa !== undefined ? { gpa: fs.gpa } : {}), ...(fs.final ? { final: fs.final } : {}) };
  const pasid = r.pasidTag ?? undefined;
  if (walk.fault) return t.fail(walkReason(walk.fault, sm, write), walk.fault.why, r.fpd, pasid);
  const output = walk.output as bigint;
  const size = walk.size as bigint;
  const page = output & ~(size - 1n);
  if (page <= INTERRUPT_LAST && page + size - 1n >= INTERRUPT_FIRST) {
    return t.fail(sm ? 'SM_INTERRUPT_ADDR' : 'INTERRUPT_ADDR', `the translation lands in the interrupt address range (0x${page.toString(16)}, ${size} bytes)`, r.fpd, pasid);
  }
  const perms = walk.perms as NonNullable<FsWalk['perms']>;
  ctx.caches.insertIotlb({ did: r.did, pasid: r.pasidTag, kind: r.kind as TranslationKind, page: req.address & ~(size - 1n), size, output: page, perms, sid: req.sid });
  return { request: req, result: 'translated', output, trace: t.trace };
}

export type { VtdTranslationType };
