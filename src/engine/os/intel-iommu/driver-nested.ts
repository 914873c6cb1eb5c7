/**
 * intel-iommu nested domains (drivers/iommu/intel/nested.c and pasid.c
 * intel_pasid_setup_nested, v6.16): iommufd allocates a nesting-parent
 * second-stage domain (GPA -> HPA), then a NESTED domain whose user data is
 * struct iommu_hwpt_vtd_s1: the guest's first-stage table, a GPA.
 *
 * The contrast with arm-smmu-v3 (seed 001): there the guest owns its whole
 * CD table, so one vSTE binds a user page table to the RID and every PASID;
 * here the PASID table stays the host's, and attaching the nested domain
 * writes one PASID entry (RID_PASID, or one PASID through set_dev_pasid)
 * with PGTT = nested, FLPTR = the guest's table and SLPTPTR = the parent's.
 *
 * Attaching first blocks the device (device_block_translation: the old
 * entry torn down and flushed), then checks the user data: a bad addr_width
 * or an SRE the unit cannot honour fails there and leaves the device
 * blocked, as in Linux. A new entry over a not-present one needs no
 * invalidation; the guest's own table changes reach the IOTLB only through
 * cache_invalidate_user (PASID-based IOTLB invalidations with the nested
 * domain's DID), and the parent's through its nesting cache tags.
 */
import type { FieldValues } from '../../hw/smmu/fields.ts';
import type { InvDescriptor } from '../../hw/vtd/inv-desc.ts';
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from '../core/context.ts';
import { findDomain } from '../core/state.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice, VtdS1UserData } from '../core/types.ts';
import { ensureDid, isScalable, qiSubmit, releaseDid, unitOf } from './driver-common.ts';
import { bdfOf, installPasidEntry, tearDownPasidEntry } from './driver-entries.ts';
import { attachedPairs, commitAttach, leaveDomain } from './driver-track.ts';

/** enum iommu_hwpt_vtd_s1_flags. */
const VTD_S1_FLAGS = ['IOMMU_VTD_S1_SRE', 'IOMMU_VTD_S1_EAFE', 'IOMMU_VTD_S1_WPE'];
const ADDR_WIDTH_4LEVEL = 48;
const ADDR_WIDTH_5LEVEL = 57;
const PGTT_NESTED = 3n;

/** intel_iommu_domain_alloc_nested. Nothing is written: the PASID entry comes at attach. */
export function intelDomainAllocNested(ctx: CallContext, name: string, parent: IommuDomain, _dev: PciDevice, flags: readonly string[], data: VtdS1UserData): IommuDomain | Errno {
  const f = unitOf(ctx).features;
  // nested_supported(): scalable mode with ECAP.NEST; a nested domain may only ask for PASID use.
  if (!(isScalable(ctx) && f.nest) || flags.some((x) => x !== 'IOMMU_HWPT_ALLOC_PASID')) return 'EOPNOTSUPP';
  for (const [i, flag] of data.flags.entries()) {
    if (!VTD_S1_FLAGS.includes(flag)) throw new EngineError(`vtdFlags[${i}] "${flag}" is not an iommu_hwpt_vtd_s1 flag; known: ${VTD_S1_FLAGS.join(', ')}`, `args.vtdFlags[${i}]`);
  }
  if (!Number.isInteger(data.addrWidth) || data.addrWidth < 0) throw new EngineError('addrWidth must be a whole number of bits (48 or 57)', 'args.addrWidth');
  // intel_domain_is_ss_paging(s2_domain) && s2_domain->nested_parent.
  if (parent.type !== 'UNMANAGED' || parent.intel?.firstStage !== false || !parent.smmu?.nestParent) return 'EINVAL';
  return {
    name, type: 'NESTED', ops: ['attach_dev', 'set_dev_pasid', 'free', 'cache_invalidate_user'], isStatic: false, owner: 'intel-iommu',
    pgsizeBitmap: 0n, geometry: null, cookie: 'iommufd', smmu: null, nested: null, mappings: [],
    intel: { firstStage: true, did: null, nested: { parent: parent.name, s1: { flags: [...data.flags], pgtblAddr: data.pgtblAddr, addrWidth: data.addrWidth }, devices: [] } },
  };
}

function nestedInfo(d: IommuDomain) {
  const n = d.intel?.nested;
  if (!n) throw new Error(`model bug: ${d.name} is not an intel-iommu nested domain`);
  return n;
}

/** intel_pasid_setup_nested's checks of the user data, before the entry is touched. */
function checkS1(ctx: CallContext, d: IommuDomain, dev: string): 0 | Errno {
  const { s1 } = nestedInfo(d);
  const f = unitOf(ctx).features;
  if (s1.addrWidth !== ADDR_WIDTH_4LEVEL && !(s1.addrWidth === ADDR_WIDTH_5LEVEL && f.fl5lp)) {
    ctx.warn(s1.addrWidth === ADDR_WIDTH_5LEVEL ? `${dev}: 5-level paging not supported` : `${dev}: Invalid stage-1 address width ${s1.addrWidth}`);
    return 'EINVAL';
  }
  if (s1.flags.includes('IOMMU_VTD_S1_SRE') && !f.srs) {
    ctx.warn('No supervisor request support on dmar0');
    return 'EINVAL';
  }
  // ECAP.EAFS (extended access flag) is not something the modelled units have.
  if (s1.flags.includes('IOMMU_VTD_S1_EAFE')) {
    ctx.warn('No extended access flag support on dmar0');
    return 'EINVAL';
  }
  return 0;
}

/** pasid_pte_config_nestd: FLPTR is the guest's table (a GPA), SLPTPTR and AW the parent's, DID the nested domain's. */
function nestedFields(ctx: CallContext, d: IommuDomain, did: number): Partial<FieldValues> {
  const { s1, parent: parentName } = nestedInfo(d);
  const parent = findDomain(ctx.linux, parentName);
  const levels = ctx.s.vtdTables?.get(parent?.smmu?.pgtable ?? '')?.levels ?? 4;
  const sre = s1.flags.includes('IOMMU_VTD_S1_SRE');
  return {
    PGTT: PGTT_NESTED, FLPTR: s1.pgtblAddr, FLPM: s1.addrWidth === ADDR_WIDTH_5LEVEL ? 1n : 0n,
    SLPTPTR: parent?.smmu?.pgtableRoot ?? 0n, AW: BigInt(levels - 2), DID: BigInt(did), PWSNP: 1n,
    ...(sre ? { SRE: 1n } : {}), ...(sre && s1.flags.includes('IOMMU_VTD_S1_WPE') ? { WPE: 1n } : {}),
  };
}

/** domain_attach_iommu, the checks, then the entry for every requester ID of the device; undoes the DID on failure. */
function setupNested(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, pasid: number): 0 | Errno {
  const did = ensureDid(ctx, d);
  if (did === 'ENOSPC') return 'ENOSPC';
  const r = checkS1(ctx, d, master.device);
  if (r !== 0) {
    if (attachedPairs(d).length === 0) releaseDid(ctx, d);
    return r;
  }
  const { s1, parent } = nestedInfo(d);
  for (const rid of master.streams) {
    installPasidEntry(ctx, rid, pasid, nestedFields(ctx, d, did),
      `intel_pasid_setup_nested: PASID ${pasid} of ${bdfOf(rid)} -> ${d.name} (nested, DID ${did}): FLPTR = the guest's table at GPA 0x${s1.pgtblAddr.toString(16)}, SLPTPTR = ${parent}'s second stage`);
  }
  return 0;
}

/** intel_nested_attach_dev: device_block_translation, then the nested RID_PASID entry. */
export function intelNestedAttachDev(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno {
  if (dev.failAttach.includes(d.name)) return 'ENOMEM';
  if (master.ridDomain !== null && master.ridDomain !== ctx.ops.blockedDomain) {
    for (const rid of master.streams) tearDownPasidEntry(ctx, rid, 0, `device_block_translation: PASID 0 of ${bdfOf(rid)} torn down before ${dev.name} joins ${d.name}`);
    leaveDomain(ctx, findDomain(ctx.linux, master.ridDomain), master, 0);
    master.ridDomain = ctx.ops.blockedDomain;
  }
  const r = setupNested(ctx, d, master, 0);
  if (r !== 0) return r;
  commitAttach(ctx, d, master, old, 0);
  return 0;
}

/** intel_nested_set_dev_pasid: domain_setup_nested tears the old entry down, then writes the nested one. */
export function intelNestedSetDevPasid(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, pasid: number, old: string | null): 0 | Errno {
  if (!unitOf(ctx).features.pasid) return 'EOPNOTSUPP';
  if (old !== null) {
    for (const rid of master.streams) tearDownPasidEntry(ctx, rid, pasid, `domain_setup_nested: PASID ${pasid} of ${bdfOf(rid)} leaves ${old} first`);
  }
  const r = setupNested(ctx, d, master, pasid);
  if (r !== 0) return r;
  commitAttach(ctx, d, master, old, pasid);
  return 0;
}

const U64_MAX = (1n << 64n) - 1n;
/** MAX_AGAW_PFN_WIDTH: a mask this wide means "the whole address space". */
const MAX_AGAW_PFN_WIDTH = 52;

/** calculate_psi_aligned_address (cache.c): the naturally aligned power-of-two block of pages that covers [start, end]. */
export function psiAligned(start: bigint, end: bigint): { address: bigint; am: number } {
  const pages = ((end | 0xfffn) - (start & ~0xfffn) + 1n) >> 12n;
  let aligned = 1n;
  while (aligned < pages) aligned <<= 1n;
  let am = aligned.toString(2).length - 1;
  const pfn = start >> 12n;
  const bitmask = aligned - 1n;
  if ((pfn & bitmask) !== 0n) {
    const shared = ~(pfn ^ (pfn + pages - 1n)) & ~bitmask & U64_MAX;
    am = shared === 0n ? MAX_AGAW_PFN_WIDTH : shared.toString(2).length - shared.toString(2).lastIndexOf('1') - 1;
  }
  return { address: am >= MAX_AGAW_PFN_WIDTH ? 0n : start & ~((0x1000n << BigInt(am)) - 1n), am };
}

/** intel_nested_cache_invalidate_user with one iommu_hwpt_vtd_s1_invalidate: cache_tag_flush_range on the nested domain. */
export function intelNestedCacheInvalidateUser(ctx: CallContext, d: IommuDomain, req: { readonly addr: bigint; readonly npages: bigint; readonly leaf: boolean }): 0 | Errno {
  if ((req.addr & 0xfffn) !== 0n || (req.npages === U64_MAX && req.addr !== 0n)) return 'EINVAL';
  const tags = attachedPairs(d);
  const did = d.intel?.did;
  if (req.npages === 0n || tags.length === 0 || did === null || did === undefined) return 0;
  const end = req.npages === U64_MAX ? U64_MAX : req.addr + (req.npages << 12n) - 1n;
  const psi = req.npages === U64_MAX ? { address: 0n, am: MAX_AGAW_PFN_WIDTH } : psiAligned(req.addr, end);
  const pasids = [...new Set(tags.map((t) => t.ssid))];
  const descs: InvDescriptor[] = pasids.map((pasid) => (psi.am >= MAX_AGAW_PFN_WIDTH
    ? { type: 'pasid-iotlb', granularity: 'pasid', did, pasid }
    : { type: 'pasid-iotlb', granularity: 'page', did, pasid, address: psi.address, am: psi.am, ih: req.leaf }));
  const what = req.npages === U64_MAX ? 'everything' : `0x${req.addr.toString(16)}, ${req.npages} page${req.npages === 1n ? '' : 's'}`;
  qiSubmit(ctx, `intel_nested_cache_invalidate_user: the guest invalidated ${what} of ${d.name} (DID ${did})`, descs);
  return 0;
}

/** The DIDs the parent's NESTING cache tags carry: every nested domain on it that is attached somewhere. */
export function nestingDids(ctx: CallContext, parent: IommuDomain): number[] {
  const out: number[] = [];
  for (const d of ctx.linux.domains) {
    const did = d.intel?.did;
    if (d.intel?.nested?.parent === parent.name && did !== null && did !== undefined && attachedPairs(d).length > 0 && !out.includes(did)) out.push(did);
  }
  return out;
}
