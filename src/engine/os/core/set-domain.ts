/**
 * The one place a group's RID moves from one domain to another
 * (__iommu_group_set_domain_internal, newest iommu.c). Devices move one by
 * one in probe order, so the switch is not atomic; group->domain changes
 * only after the loop. On a failure at device k the devices before it are
 * put back on the old domain (device k never left it); with MUST_SUCCEED
 * the loop goes on and a failed device is parked on the blocking domain.
 */
import type { CallContext } from './context.ts';
import { deviceNamed, domainNamed, masterOf } from './state.ts';
import type { IommuDomain, IommuGroup, PciDevice, Ret } from './types.ts';

export const IOMMU_SET_DOMAIN_MUST_SUCCEED = 1;

/** __iommu_attach_device: the domain's attach_dev op, for one device. */
function attachDevice(ctx: CallContext, d: IommuDomain, dev: PciDevice, old: string | null): Ret {
  if (!d.ops.includes('attach_dev')) return 'ENODEV';
  const master = masterOf(ctx.linux, dev.name);
  if (!master) return 'ENODEV';
  const from = master.ridDomain;
  ctx.transition.moving = { device: dev.name, from, to: d.name };
  const ret = ctx.ops.attachDev(ctx, d, dev, master, old);
  ctx.transition.moving = null;
  ctx.transition.point(ret === 0 ? `${dev.name} is on ${d.name}` : `${dev.name}: attach to ${d.name} failed (-${ret}); it stays on ${from ?? 'nothing'}`);
  return ret;
}

/** __iommu_device_set_domain. */
function deviceSetDomain(ctx: CallContext, g: IommuGroup, dev: PciDevice, d: IommuDomain, old: string | null, flags: number): Ret {
  if (dev.iommu?.requireDirect && (d.type === 'BLOCKED' || d.name === g.blockingDomain)) {
    ctx.warn(`${dev.name}: Firmware has requested this device have a 1:1 IOMMU mapping, rejecting configuring the device without a 1:1 mapping. Contact your platform vendor.`);
    return 'EINVAL';
  }
  const ret = attachDevice(ctx, d, dev, old);
  if (ret !== 0 && (flags & IOMMU_SET_DOMAIN_MUST_SUCCEED) && g.blockingDomain !== null && g.blockingDomain !== d.name) {
    // "Try to attach the blocking domain in hopes of avoiding a UAF."
    attachDevice(ctx, domainNamed(ctx.linux, g.blockingDomain), dev, old);
  }
  return ret;
}

export function groupSetDomainInternal(ctx: CallContext, g: IommuGroup, target: string | null, flags: number): Ret {
  if (g.domain === target) return 0;
  if (target === null) {
    ctx.warn('__iommu_group_set_domain_internal: new_domain is NULL (WARN_ON)');
    return 'EINVAL';
  }
  const d = domainNamed(ctx.linux, target);
  const old = g.domain;
  ctx.transition.begin(g, old, target);
  try {
    let result: Ret = 0;
    for (const [i, name] of g.devices.entries()) {
      const ret = deviceSetDomain(ctx, g, deviceNamed(ctx.linux, name), d, old, flags);
      if (ret === 0) continue;
      result = ret;
      if (flags & IOMMU_SET_DOMAIN_MUST_SUCCEED) continue;
      // err_revert: a well behaved driver can always go back to a domain it was on. NULL (first attach) is left alone.
      if (old !== null) {
        const oldDomain = domainNamed(ctx.linux, old);
        for (const back of g.devices.slice(0, i)) {
          if (deviceSetDomain(ctx, g, deviceNamed(ctx.linux, back), oldDomain, target, IOMMU_SET_DOMAIN_MUST_SUCCEED) !== 0) {
            ctx.warn(`${back}: the driver failed to go back to ${old} (WARN_ON)`);
          }
        }
      }
      return ret;
    }
    g.domain = target;
    return result;
  } finally {
    ctx.transition.end();
  }
}

/** __iommu_group_set_domain: may fail, and then leaves the group where it was. */
export function groupSetDomain(ctx: CallContext, g: IommuGroup, target: string | null): Ret {
  return groupSetDomainInternal(ctx, g, target, 0);
}

/** __iommu_group_set_domain_nofail: callers that cannot fail (detach, release, error unwinds). */
export function groupSetDomainNofail(ctx: CallContext, g: IommuGroup, target: string | null): void {
  const ret = groupSetDomainInternal(ctx, g, target, IOMMU_SET_DOMAIN_MUST_SUCCEED);
  if (ret !== 0) ctx.warn(`moving group ${g.id} to ${target} failed with -${ret} (WARN_ON)`);
}

/** __iommu_group_set_core_domain: an owned group goes to its blocking domain, a kernel group to its default domain. Never NULL. */
export function groupSetCoreDomain(ctx: CallContext, g: IommuGroup): void {
  groupSetDomainNofail(ctx, g, g.owner !== null ? g.blockingDomain : g.defaultDomain);
}
