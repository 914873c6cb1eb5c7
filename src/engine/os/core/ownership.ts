/**
 * DMA ownership (iommu.c; seed 002, "claim_dma_owner must always assign a
 * domain"): a group is either the kernel's (owner NULL; owner_cnt counts the
 * bound drivers) or one user's (VFIO, iommufd; owner_cnt counts that user's
 * claims). Claiming moves the group to its blocking domain, allocated when
 * first needed; releasing moves it back to its default domain.
 */
import type { CallContext } from './context.ts';
import { groupSetDomain, groupSetDomainNofail } from './set-domain.ts';
import { deviceNamed, groupById } from './state.ts';
import type { IommuGroup, Ret } from './types.ts';

/** __iommu_group_alloc_blocking_domain: arm-smmu-v3 has a static blocked domain, so this cannot fail. */
function allocBlockingDomain(ctx: CallContext, g: IommuGroup): Ret {
  if (g.blockingDomain === null) g.blockingDomain = ctx.ops.blockedDomain;
  return 0;
}

/** __iommu_take_dma_ownership. */
function takeOwnership(ctx: CallContext, g: IommuGroup, owner: string): Ret {
  if ((g.domain !== null && g.domain !== g.defaultDomain) || g.pasidArray.length > 0) return 'EBUSY';
  const a = allocBlockingDomain(ctx, g);
  if (a !== 0) return a;
  const r = groupSetDomain(ctx, g, g.blockingDomain);
  if (r !== 0) return r;
  g.owner = owner;
  g.ownerCnt++;
  return 0;
}

export function groupClaimDmaOwner(ctx: CallContext, g: IommuGroup | undefined, owner: string): Ret {
  if (!owner) {
    ctx.warn('iommu_group_claim_dma_owner: owner is NULL (WARN_ON)');
    return 'EINVAL';
  }
  if (!g) return 'ENODEV';
  // Group claims are exclusive: a bound driver, or any earlier claim, even by the same owner.
  if (g.ownerCnt !== 0) return 'EPERM';
  return takeOwnership(ctx, g, owner);
}

/** __iommu_release_dma_ownership. */
function releaseOwnership(ctx: CallContext, g: IommuGroup): void {
  if (g.ownerCnt === 0 || g.owner === null || g.pasidArray.length > 0) {
    ctx.warn(`releasing DMA ownership of group ${g.id}: owner_cnt ${g.ownerCnt}, owner ${g.owner ?? 'NULL'}, ${g.pasidArray.length} PASIDs attached (WARN_ON); nothing changes`);
    return;
  }
  g.ownerCnt = 0;
  g.owner = null;
  groupSetDomainNofail(ctx, g, g.defaultDomain);
}

export function groupReleaseDmaOwner(ctx: CallContext, g: IommuGroup | undefined): Ret {
  if (g) releaseOwnership(ctx, g);
  return 0;
}

export function deviceClaimDmaOwner(ctx: CallContext, devName: string, owner: string): Ret {
  if (!owner) {
    ctx.warn('iommu_device_claim_dma_owner: owner is NULL (WARN_ON)');
    return 'EINVAL';
  }
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return 'ENODEV';
  const g = groupById(ctx.linux, dev.group);
  if (g.ownerCnt > 0) {
    // The same owner claiming another device of the group only counts; a kernel driver (owner NULL) or another owner: EPERM.
    if (g.owner !== owner) return 'EPERM';
    g.ownerCnt++;
    return 0;
  }
  return takeOwnership(ctx, g, owner);
}

export function deviceReleaseDmaOwner(ctx: CallContext, devName: string): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return 0;
  const g = groupById(ctx.linux, dev.group);
  if (g.ownerCnt > 1) g.ownerCnt--;
  else releaseOwnership(ctx, g);
  return 0;
}

/** iommu_device_use_default_domain: a kernel driver binds (pci_dma_configure). VFIO drivers (driver_managed_dma) skip it. */
export function deviceUseDefaultDomain(ctx: CallContext, devName: string, driver: string | undefined): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) {
    if (driver !== undefined) dev.driver = driver;
    return 0;
  }
  const g = groupById(ctx.linux, dev.group);
  if (g.defaultDomain === null) return 'EPROBE_DEFER';
  if (g.ownerCnt > 0 && (g.domain !== g.defaultDomain || g.owner !== null || g.pasidArray.length > 0)) return 'EBUSY';
  g.ownerCnt++;
  if (driver !== undefined) dev.driver = driver;
  return 0;
}

/** iommu_device_unuse_default_domain: the driver unbinds. */
export function deviceUnuseDefaultDomain(ctx: CallContext, devName: string): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return 0;
  const g = groupById(ctx.linux, dev.group);
  if (g.ownerCnt === 0 || g.pasidArray.length > 0) {
    ctx.warn(`iommu_device_unuse_default_domain(${devName}): owner_cnt ${g.ownerCnt}, ${g.pasidArray.length} PASIDs (WARN_ON); nothing changes`);
    return 0;
  }
  g.ownerCnt--;
  dev.driver = null;
  return 0;
}
