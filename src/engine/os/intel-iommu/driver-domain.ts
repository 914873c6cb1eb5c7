/**
 * intel-iommu paging domains (drivers/iommu/intel/iommu.c, as in v6.16):
 * intel_iommu_domain_alloc_paging_flags tries a first-stage domain first
 * (scalable mode with ECAP.FLTS, and no NEST_PARENT / DIRTY_TRACKING flag)
 * and falls back to second-stage; the page table is built at once and the
 * domain ID is given at the first attach. Invalidation follows cache.c's
 * cache tags: for every device and PASID the domain is attached to,
 * PASID-based IOTLB invalidations for a first-stage domain, IOTLB ones
 * (by DID) for a second-stage one.
 */
import type { MappedEntry } from '../../hw/pgtable/io-pgtable.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import { sagawAllows } from '../../hw/vtd/features.ts';
import { ADDRESS_MASK } from '../../hw/vtd/paging.ts';
import type { VtdPgtable } from '../../hw/vtd/pgtable.ts';
import type { CallContext } from '../core/context.ts';
import type { DomainPgtable } from '../core/iommu-ops.ts';
import type { Errno, IommuDomain } from '../core/types.ts';
import { qiSubmit, releaseDid, unitOf } from './driver-common.ts';
import { vtdDomainPgtable } from './domain-pgtable.ts';
import { nestingDids } from './driver-nested.ts';

const PG_4K = 0x1000n;
const PG_2M = 0x20_0000n;
const PG_1G = 0x4000_0000n;

export function intelPagingStage(ctx: CallContext, flags: readonly string[]): { stage: 1 | 2; nestParent: boolean } | Errno {
  const f = unitOf(ctx).features;
  const sm = unitOf(ctx).rootTable?.mode === 'scalable';
  const nestParent = flags.includes('IOMMU_HWPT_ALLOC_NEST_PARENT');
  if (nestParent && !(sm && f.nest)) return 'EOPNOTSUPP';
  // Dirty tracking needs second-stage A/D (ECAP.SLADS), which the model's unit does not advertise.
  if (flags.includes('IOMMU_HWPT_ALLOC_DIRTY_TRACKING')) return 'EOPNOTSUPP';
  if (flags.includes('IOMMU_HWPT_ALLOC_PASID') && !sm) return 'EOPNOTSUPP';
  const firstStage = sm && f.flts && !nestParent;
  return { stage: firstStage ? 1 : 2, nestParent };
}

export function intelLegacyStage(ctx: CallContext): 1 | 2 {
  const unit = unitOf(ctx);
  return unit.rootTable?.mode === 'scalable' && unit.features.flts ? 1 : 2;
}

/** Second-stage levels: the widest SAGAW the unit supports up to 48 bits, as Linux's agaw for a 48-bit domain. */
function secondStageLevels(ctx: CallContext): number {
  const f = unitOf(ctx).features;
  for (const aw of [2, 1, 3]) if (sagawAllows(f, aw)) return aw + 2;
  return 4;
}

export function intelFinalise(ctx: CallContext, d: IommuDomain): 0 | Errno {
  const sd = d.smmu;
  if (!sd) throw new Error(`model bug: ${d.name} is not a paging domain`);
  if (sd.finalised) return 0;
  const f = unitOf(ctx).features;
  const firstStage = sd.stage === 1;
  const root = ctx.alloc(`${firstStage ? 'first-stage PML4' : 'second-stage'} root of ${d.name}`, 4096n);
  if (root === 'ENOMEM') return 'ENOMEM';
  const levels = firstStage ? 4 : secondStageLevels(ctx);
  ctx.s.vtdTables ??= new Map();
  ctx.s.vtdTables.set(d.name, { format: firstStage ? 'first-stage' : 'second-stage', levels, root });
  const big = firstStage ? f.fl1gp : (f.sllps & 2) === 2;
  const two = firstStage || (f.sllps & 1) === 1;
  d.pgsizeBitmap = PG_4K | (two ? PG_2M : 0n) | (big ? PG_1G : 0n);
  const width = firstStage ? 48 : 12 + 9 * levels;
  d.geometry = { apertureStart: 0n, apertureEnd: (1n << BigInt(Math.min(width, f.mgaw))) - 1n, forceAperture: true };
  d.intel = { firstStage, did: null };
  sd.pgtable = d.name;
  sd.pgtableRoot = root;
  sd.finalised = true;
  return 0;
}

export function intelPgtable(ctx: CallContext, d: IommuDomain): DomainPgtable {
  const t = ctx.s.vtdTables?.get(d.smmu?.pgtable ?? '');
  if (!t) throw new Error(`model bug: ${d.name} has no VT-d page table`);
  const f = unitOf(ctx).features;
  const large = t.format === 'first-stage' ? { l2: true, l3: f.fl1gp } : { l2: (f.sllps & 1) === 1, l3: (f.sllps & 2) === 2 };
  return vtdDomainPgtable(ctx.s.mem, ctx.s.allocator, t, large, f.haw);
}

/** The cache tags: (DID, PASID) pairs the domain's translations are cached under. */
function tags(d: IommuDomain): { did: number; pasid: number }[] {
  const did = d.intel?.did;
  if (did === null || did === undefined) return [];
  const out: { did: number; pasid: number }[] = [];
  for (const x of d.smmu?.devices ?? []) if (!out.some((t) => t.pasid === x.ssid)) out.push({ did, pasid: x.ssid });
  return out;
}

/** AM for a naturally aligned power-of-two range (qi_flush_piotlb / calculate_psi_aligned_address). */
function am(size: bigint): number {
  let n = 0;
  while (0x1000n << BigInt(n) < size) n++;
  return n;
}

/** cache_tag_flush_range after an unmap: one descriptor per unmapped entry and cache tag, then a wait. */
export function intelIotlbSync(ctx: CallContext, d: IommuDomain, entries: readonly MappedEntry[]): void {
  const t = tags(d);
  const fs = d.intel?.firstStage ?? false;
  // A nesting parent also carries CACHE_TAG_NESTING_IOTLB tags: the DIDs of the nested domains on it.
  const dids = fs ? [] : [...(t[0] ? [t[0].did] : []), ...nestingDids(ctx, d)];
  if ((fs ? t.length === 0 : dids.length === 0) || entries.length === 0) return;
  const descs: InvDescriptor[] = [];
  if (fs) for (const tag of t) for (const e of entries) descs.push({ type: 'pasid-iotlb', granularity: 'page', did: tag.did, pasid: tag.pasid, address: e.iova, am: am(e.size) });
  else for (const did of dids) for (const e of entries) descs.push({ type: 'iotlb', granularity: 'page', did, address: e.iova, am: am(e.size), ih: false });
  qiSubmit(ctx, `cache_tag_flush_range: invalidate what iommu_unmap cleared in ${d.name} (DID ${fs ? t[0]?.did : dids.join(', ')})`, descs);
}

/** cache_tag_flush_all (flush_iotlb_all, and before a domain's tables go). */
export function intelFlushAll(ctx: CallContext, d: IommuDomain, why: string): void {
  const t = tags(d);
  const descs: InvDescriptor[] = d.intel?.firstStage
    ? t.map((tag) => ({ type: 'pasid-iotlb', granularity: 'pasid', did: tag.did, pasid: tag.pasid }))
    : [...(t[0] ? [t[0].did] : []), ...nestingDids(ctx, d)].map((did) => ({ type: 'iotlb', granularity: 'domain', did }));
  qiSubmit(ctx, why, descs);
}

function tablePages(ctx: CallContext, t: VtdPgtable): bigint[] {
  const out: bigint[] = [];
  const walk = (table: bigint, level: number): void => {
    out.push(table);
    if (level === 1) return;
    for (let i = 0; i < 512; i++) {
      const e = ctx.s.mem.read64(table + BigInt(i * 8)) ?? 0n;
      const present = t.format === 'first-stage' ? (e & 1n) === 1n : (e & 3n) !== 0n;
      if (present && (e & 0x80n) === 0n) walk(e & ADDRESS_MASK, level - 1);
    }
  };
  walk(t.root, t.levels);
  return out;
}

/** intel_iommu_domain_free: the page table pages go back; the DID was given up when the last device left. */
export function intelFreePaging(ctx: CallContext, d: IommuDomain): void {
  const t = ctx.s.vtdTables?.get(d.smmu?.pgtable ?? '');
  if (!d.smmu?.finalised || !t) return;
  intelFlushAll(ctx, d, `intel_iommu_domain_free: flush ${d.name} before its tables are freed`);
  for (const page of tablePages(ctx, t)) ctx.release(`page table of ${d.name}`, page, 4096n);
  ctx.s.vtdTables?.delete(d.name);
  releaseDid(ctx, d);
}
