/**
 * The global PASID space (iommu.c: iommu_global_pasid_ida): one IDA for the
 * whole system, shared by SVA (an mm's PASID) and by drivers that take PASIDs
 * of their own. iommu_alloc_global_pasid(dev) gives the lowest free value in
 * [IOMMU_FIRST_GLOBAL_PASID, dev->iommu->max_pasids - 1], or
 * IOMMU_PASID_INVALID when the device has no PASIDs or the range is full.
 * PASID 0 is IOMMU_NO_PASID and is never handed out.
 */
import type { CallContext } from './context.ts';
import { deviceNamed } from './state.ts';
import { svaState } from './sva-state.ts';
import type { LinuxState, PciDevice } from './types.ts';

export const IOMMU_FIRST_GLOBAL_PASID = 1;
/** IOMMU_PASID_INVALID = ~0U. */
export const IOMMU_PASID_INVALID = 0xffff_ffff;

/** The PASID ida_alloc_range(&iommu_global_pasid_ida, 1, max_pasids - 1) would give now, without taking it. */
export function nextGlobalPasid(linux: LinuxState, dev: PciDevice): number | undefined {
  const max = dev.iommu?.maxPasids ?? 0;
  const used = new Set(linux.sva?.globalPasids ?? []);
  let p = IOMMU_FIRST_GLOBAL_PASID;
  while (p <= max - 1 && used.has(p)) p++;
  return p > max - 1 ? undefined : p;
}

/** ida_alloc_range: the value, or undefined (IOMMU_PASID_INVALID). */
export function allocGlobalPasid(linux: LinuxState, dev: PciDevice): number | undefined {
  const p = nextGlobalPasid(linux, dev);
  if (p === undefined) return undefined;
  const sva = svaState(linux);
  sva.globalPasids = [...sva.globalPasids, p].sort((a, b) => a - b);
  return p;
}

/** ida_free: the value may be handed out again. */
export function freeGlobalPasid(linux: LinuxState, pasid: number): boolean {
  const sva = svaState(linux);
  if (!sva.globalPasids.includes(pasid)) return false;
  sva.globalPasids = sva.globalPasids.filter((p) => p !== pasid);
  return true;
}

/** iommu_alloc_global_pasid(dev): returns the PASID (u32), IOMMU_PASID_INVALID on failure. */
export function iommuAllocGlobalPasid(ctx: CallContext, devName: string): { ret: 0; value: bigint } {
  const dev = deviceNamed(ctx.linux, devName);
  const p = allocGlobalPasid(ctx.linux, dev);
  return { ret: 0, value: BigInt(p ?? IOMMU_PASID_INVALID) };
}

/** iommu_free_global_pasid(pasid) (void). */
export function iommuFreeGlobalPasid(ctx: CallContext, pasid: number): 0 {
  if (pasid === IOMMU_PASID_INVALID) {
    ctx.warn('iommu_free_global_pasid(IOMMU_PASID_INVALID) (WARN_ON)');
    return 0;
  }
  const owner = ctx.linux.sva?.mms.find((m) => m.iommuMm?.pasid === pasid);
  if (owner) ctx.warn(`PASID ${pasid} is ${owner.name}'s: freeing it lets the IDA hand it out again while ${owner.name} still uses it (a caller bug)`);
  if (!freeGlobalPasid(ctx.linux, pasid)) ctx.warn(`ida_free called for id=${pasid} which is not allocated (WARN)`);
  return 0;
}
