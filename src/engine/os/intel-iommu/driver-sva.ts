/**
 * SVA on intel-iommu (drivers/iommu/intel/svm.c, v6.16): the PASID entry is
 * first-stage with FLPTR = mm->pgd and DID = FLPT_DEFAULT_DID, the IOTLB
 * tagged by that DID and the PASID; the mmu notifier's
 * arch_invalidate_secondary_tlbs sends PASID-based IOTLB invalidations, and
 * release tears the entries down with FPD set so a device still doing DMA
 * does not flood the fault log.
 *
 * The model's CPU is arm64, so the mm's own tables are in the Arm format.
 * What an x86 CPU would have as mm->pgd is kept as an x86-64 first-stage
 * table mirroring the mm's mappings (`<domain>.x86`), rebuilt from them as
 * the CPU changes them; the VT-d unit walks that.
 */
import { vtdMap, vtdUnmap, type VtdPgtable } from '../../hw/vtd/pgtable.ts';
import type { CallContext } from '../core/context.ts';
import { findDomain } from '../core/state.ts';
import { svaState } from '../core/sva-state.ts';
import type { Mm } from '../core/sva-types.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice } from '../core/types.ts';
import { FLPT_DEFAULT_DID, isScalable, qiSubmit, unitOf } from './driver-common.ts';
import { bdfOf, installPasidEntry, tearDownPasidEntry } from './driver-entries.ts';
import { leaveDomain } from './driver-track.ts';

const PAGE = 0x1000n;

function shadowOf(ctx: CallContext, d: IommuDomain): VtdPgtable | undefined {
  return ctx.s.vtdTables?.get(d.intel?.shadowOf ?? '');
}

/** Makes the x86 mirror map exactly what the mm maps now. */
function syncShadow(ctx: CallContext, d: IommuDomain): void {
  const t = shadowOf(ctx, d);
  const mm = svaState(ctx.linux).mms.find((m) => m.name === d.sva?.mm);
  if (!t) return;
  const want = mm?.alive ? mm.mappings : [];
  const mapped = d.mappings;
  for (const m of mapped) if (!want.some((w) => w.iova === m.iova && w.size === m.size && w.paddr === m.paddr)) {
    for (let off = 0n; off < m.size; off += PAGE) vtdUnmap(ctx.s.mem, t, m.iova + off, PAGE);
  }
  for (const w of want) if (!mapped.some((m) => m.iova === w.iova && m.size === w.size && m.paddr === w.paddr)) {
    for (let off = 0n; off < w.size; off += PAGE) vtdMap(ctx.s.mem, ctx.s.allocator, t, w.iova + off, w.paddr + off, PAGE, { read: true, write: w.prot.write, user: true, exec: w.prot.exec }, { l2: false, l3: false });
  }
  d.mappings = want.map((m) => ({ ...m }));
}

/** Every SVA domain's mirror brought up to date (the CPU's tables are what the unit walks). */
export function syncSvaShadows(ctx: CallContext): void {
  for (const d of ctx.linux.domains) if (d.type === 'SVA' && d.intel?.shadowOf) syncShadow(ctx, d);
}

export function intelSvaDomainAlloc(ctx: CallContext, name: string, mm: Mm): IommuDomain | Errno {
  const f = unitOf(ctx).features;
  if (!isScalable(ctx) || !f.flts || !f.pasid) return 'EOPNOTSUPP';
  const root = ctx.alloc(`x86-64 PML4 mirroring ${mm.name}'s page table`, 4096n);
  if (root === 'ENOMEM') return 'ENOMEM';
  const shadow = `${name}.x86`;
  ctx.s.vtdTables ??= new Map();
  ctx.s.vtdTables.set(shadow, { format: 'first-stage', levels: 4, root });
  const d: IommuDomain = {
    name, type: 'SVA', ops: ['set_dev_pasid', 'free'], isStatic: false, owner: 'intel-iommu',
    pgsizeBitmap: PAGE, geometry: null, cookie: 'sva', nested: null, mappings: [],
    smmu: { stage: 1, finalised: true, asid: null, vmid: null, pgtable: shadow, pgtableRoot: root, nestParent: false, devices: [] },
    sva: { mm: mm.name, users: 0 },
    intel: { firstStage: true, did: FLPT_DEFAULT_DID, shadowOf: shadow },
  };
  syncShadow(ctx, d);
  return d;
}

export function intelSvaSetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null, mm: Mm | null): 0 | Errno {
  if (!mm) {
    ctx.warn(`intel_svm_set_dev_pasid: ${d.sva?.mm ?? 'the mm'} has exited (mmget_not_zero failed), -EINVAL`);
    return 'EINVAL';
  }
  if (pasid >= 2 ** master.ssidBits) return 'EINVAL';
  if (dev.failAttach.includes(d.name)) return 'ENOMEM';
  syncShadow(ctx, d);
  for (const rid of master.streams) {
    installPasidEntry(ctx, rid, pasid, { PGTT: 1n, FLPTR: d.smmu?.pgtableRoot ?? 0n, DID: BigInt(FLPT_DEFAULT_DID), AW: 2n, NXE: 1n, PWSNP: 1n },
      `intel_svm_set_dev_pasid: PASID ${pasid} of ${bdfOf(rid)} -> ${mm.name}'s page table (first-stage, DID ${FLPT_DEFAULT_DID})`);
  }
  const oldDomain = findDomain(ctx.linux, old);
  if (oldDomain !== d) leaveDomain(ctx, oldDomain, master, pasid);
  if (!d.smmu?.devices.some((x) => x.master === master.device && x.ssid === pasid)) d.smmu?.devices.push({ master: master.device, ssid: pasid });
  master.usedSsids++;
  return 0;
}

/** intel_arch_invalidate_secondary_tlbs: PASID-based IOTLB invalidation of [start, end) for every PASID the domain is on. */
export function intelMmInvalidate(ctx: CallContext, d: IommuDomain, start: bigint, end: bigint): void {
  syncShadow(ctx, d);
  let am = 0;
  while (PAGE << BigInt(am) < end - start || (start & ~((PAGE << BigInt(am)) - 1n)) + (PAGE << BigInt(am)) < end) am++;
  const address = start & ~((PAGE << BigInt(am)) - 1n);
  const pasids = [...new Set((d.smmu?.devices ?? []).map((x) => x.ssid))];
  qiSubmit(ctx, `intel_arch_invalidate_secondary_tlbs: the CPU changed 0x${start.toString(16)}..0x${end.toString(16)} of ${d.sva?.mm}`,
    pasids.map((pasid) => ({ type: 'pasid-iotlb', granularity: 'page', did: FLPT_DEFAULT_DID, pasid, address, am })));
}

/** intel_mm_release: every PASID entry of the mm torn down with FPD = 1. */
export function intelMmRelease(ctx: CallContext, d: IommuDomain): void {
  for (const { master: name, ssid } of [...(d.smmu?.devices ?? [])]) {
    const master = ctx.linux.masters.find((m) => m.device === name);
    for (const rid of master?.streams ?? []) tearDownPasidEntry(ctx, rid, ssid, `intel_mm_release: PASID ${ssid} of ${bdfOf(rid)}: ${d.sva?.mm} is exiting (FPD = 1: no fault reports)`, true);
  }
}

export function intelSvaDomainFree(ctx: CallContext, d: IommuDomain): void {
  const t = shadowOf(ctx, d);
  if (!t) return;
  ctx.release(`x86-64 PML4 mirroring ${d.sva?.mm}`, t.root, 4096n);
  ctx.s.vtdTables?.delete(d.intel?.shadowOf ?? '');
}
