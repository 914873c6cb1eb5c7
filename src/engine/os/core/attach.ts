/**
 * Attaching a group (or a single-device group through one of its devices)
 * to a domain, detaching, and replacing (iommu.c, newest). Ownership is not
 * checked here: the DMA-ownership discipline is the caller's (VFIO and
 * iommufd claim first); only "someone else's domain is attached" is EBUSY.
 */
import type { CallContext } from './context.ts';
import { groupSetCoreDomain, groupSetDomain } from './set-domain.ts';
import { deviceNamed, domainNamed, groupById } from './state.ts';
import type { IommuGroup, Ret } from './types.ts';

/** __iommu_attach_group. */
export function attachGroupInternal(ctx: CallContext, domainName: string, g: IommuGroup): Ret {
  const d = domainNamed(ctx.linux, domainName);
  if (g.domain !== null && g.domain !== g.defaultDomain && g.domain !== g.blockingDomain) return 'EBUSY';
  const first = deviceNamed(ctx.linux, g.devices[0] as string);
  // domain_iommu_ops_compatible: one driver in this model, so only "no IOMMU" fails here.
  if (!first.iommu || d.owner !== ctx.ops.name) return 'EINVAL';
  return groupSetDomain(ctx, g, d.name);
}

export function iommuAttachGroup(ctx: CallContext, domainName: string, g: IommuGroup | undefined): Ret {
  if (!g) return 'ENODEV';
  return attachGroupInternal(ctx, domainName, g);
}

/** iommu_detach_group: the domain argument is not even looked at; the group goes to its core domain. */
export function iommuDetachGroup(ctx: CallContext, domainName: string, g: IommuGroup | undefined): Ret {
  domainNamed(ctx.linux, domainName);
  if (!g) return 0;
  groupSetCoreDomain(ctx, g);
  return 0;
}

export function iommuAttachDevice(ctx: CallContext, domainName: string, devName: string): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return 'ENODEV';
  const g = groupById(ctx.linux, dev.group);
  // "Use iommu_attach_group for multi-device groups."
  if (g.devices.length !== 1) return 'EINVAL';
  return attachGroupInternal(ctx, domainName, g);
}

export function iommuDetachDevice(ctx: CallContext, domainName: string, devName: string): Ret {
  domainNamed(ctx.linux, domainName);
  const dev = deviceNamed(ctx.linux, devName);
  if (dev.group === null) return 0;
  const g = groupById(ctx.linux, dev.group);
  if (domainName !== g.domain) {
    ctx.warn(`iommu_detach_device: ${domainName} is not the domain of ${devName}'s group (${g.domain}) (WARN_ON); nothing changes`);
    return 0;
  }
  if (g.devices.length !== 1) {
    ctx.warn(`iommu_detach_device: group ${g.id} has ${g.devices.length} devices (WARN_ON); nothing changes`);
    return 0;
  }
  groupSetCoreDomain(ctx, g);
  return 0;
}

/** iommu_group_replace_domain: straight from whatever is attached to the new domain, no blocking domain in between, no EBUSY. */
export function iommuGroupReplaceDomain(ctx: CallContext, g: IommuGroup | undefined, domainName: string | null): Ret {
  if (domainName === null) return 'EINVAL';
  domainNamed(ctx.linux, domainName);
  if (!g) return 'ENODEV';
  return groupSetDomain(ctx, g, domainName);
}
