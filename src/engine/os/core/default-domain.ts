/**
 * The default domain (iommu.c, newest): which type a group gets
 * (iommu_get_default_domain_type: the drivers' def_domain_type, IDENTITY
 * winning a conflict, untrusted devices forcing DMA), making and attaching
 * it (iommu_setup_default_domain), and the sysfs "type" file that changes it
 * (iommu_group_store_type).
 */
import type { CallContext } from './context.ts';
import { domainFree, pagingDomainAlloc } from './domain-alloc.ts';
import { SYSFS_TYPE, type DomainTypeName } from './domain-type.ts';
import { iommuSetupDmaOps } from './dma-api.ts';
import { createGroupDirectMappings } from './resv-regions.ts';
import { groupSetDomain, groupSetDomainInternal, IOMMU_SET_DOMAIN_MUST_SUCCEED } from './set-domain.ts';
import { deviceNamed, domainNamed, findDomain, freshName } from './state.ts';
import type { Errno, IommuGroup, Ret } from './types.ts';

/** iommu_get_default_domain_type: 0 = no preference, -1 = a conflict that cannot be resolved. */
export function defaultDomainType(ctx: CallContext, g: IommuGroup, target: DomainTypeName | 0): DomainTypeName | 0 | -1 {
  let driverType: DomainTypeName | 0 = 0;
  let untrusted: string | undefined;
  for (const name of g.devices) {
    const dev = deviceNamed(ctx.linux, name);
    const type = dev.defDomainType ?? 0;
    if (type !== 0 && driverType !== type) {
      if (driverType === 0) driverType = type;
      else {
        ctx.warn(`IOMMU driver error, requesting conflicting def_domain_type, ${driverType} and ${type}, for devices in group ${g.id}.`);
        if (type === 'IDENTITY') driverType = type;
      }
    }
    if (dev.untrusted) untrusted = name;
  }
  if (untrusted !== undefined) {
    if (driverType !== 0 && driverType !== 'DMA') {
      ctx.warn(`${untrusted}: Device is not trusted, but driver is overriding group ${g.id} to ${driverType}, refusing to probe.`);
      return -1;
    }
    driverType = 'DMA';
  }
  if (target !== 0) return driverType !== 0 && target !== driverType ? -1 : target;
  return driverType;
}

/** __iommu_group_alloc_default_domain: the existing default if it has the type, the static identity domain, or a new paging domain. */
function allocDefaultOfType(ctx: CallContext, g: IommuGroup, type: DomainTypeName): string | Errno {
  const cur = findDomain(ctx.linux, g.defaultDomain);
  if (cur && cur.type === type) return cur.name;
  if (type === 'IDENTITY') return ctx.ops.identityDomain;
  const name = freshName(ctx.linux, ctx.s, `default-g${g.id}`);
  // A paging default domain asks for PASID support when the device has PASIDs; arm-smmu-v3 stage 1 always has it.
  const r = pagingDomainAlloc(ctx, g.devices[0] as string, name, [], type);
  return r === 0 ? name : r;
}

/** iommu_group_alloc_default_domain. */
function allocDefault(ctx: CallContext, g: IommuGroup, req: DomainTypeName | 0): string | Errno {
  if (req !== 0) return allocDefaultOfType(ctx, g, req);
  const global = ctx.linux.defaultDomainType;
  const dom = allocDefaultOfType(ctx, g, global);
  if (!(dom in ERRNOS) || global === 'DMA') return dom;
  // IDENTITY and DMA_FQ defaults fall back to DMA.
  const fallback = allocDefaultOfType(ctx, g, 'DMA');
  if (!(fallback in ERRNOS)) ctx.warn(`Failed to allocate default IOMMU domain of type ${global} for group ${g.id} - Falling back to IOMMU_DOMAIN_DMA`);
  return fallback;
}

const ERRNOS: Readonly<Record<string, true>> = { EPERM: true, ENOENT: true, EIO: true, ENOMEM: true, EACCES: true, EBUSY: true, EEXIST: true, ENODEV: true, EINVAL: true, ENOSPC: true, ERANGE: true, EOPNOTSUPP: true, EOVERFLOW: true, EPROBE_DEFER: true };

export function isErrno(v: string): v is Errno {
  return v in ERRNOS;
}

/** iommu_setup_default_domain. */
export function setupDefaultDomain(ctx: CallContext, g: IommuGroup, target: DomainTypeName | 0): Ret {
  const req = defaultDomainType(ctx, g, target);
  if (req === -1) return 'EINVAL';
  const dom = allocDefault(ctx, g, req);
  if (isErrno(dom)) return dom;
  if (g.defaultDomain === dom) return 0;
  const oldDefault = g.defaultDomain;
  // Direct mappings (RMRs) go in before any device can use the domain.
  createGroupDirectMappings(ctx, g, domainNamed(ctx.linux, dom));
  // Set before the attach: __iommu_device_set_domain compares with it.
  g.defaultDomain = dom;
  if (g.domain === null) {
    // Drivers are not allowed to fail the first attach.
    const r = groupSetDomainInternal(ctx, g, dom, IOMMU_SET_DOMAIN_MUST_SUCCEED);
    if (r !== 0) ctx.warn(`the first attach of group ${g.id} to ${dom} failed with -${r} (WARN_ON)`);
  } else {
    const r = groupSetDomain(ctx, g, dom);
    if (r !== 0) {
      g.defaultDomain = oldDefault;
      if (dom !== ctx.ops.identityDomain) domainFree(ctx, dom);
      return r;
    }
  }
  if (oldDefault !== null && oldDefault !== ctx.ops.identityDomain) domainFree(ctx, oldDefault);
  iommuSetupDmaOps(ctx, g);
  return 0;
}

/** iommu_group_store_type: returns the byte count written, or an errno. */
export function groupStoreType(ctx: CallContext, g: IommuGroup | undefined, text: string): { ret: 0 | Errno; value?: bigint } {
  if (!g || g.defaultDomain === null) return { ret: 'EINVAL' };
  const req = SYSFS_TYPE[text.trim()];
  if (req === undefined) return { ret: 'EINVAL' };
  // sysfs returns the count of bytes written (the words are ASCII).
  const count = BigInt(text.length);
  const cur = domainNamed(ctx.linux, g.defaultDomain);
  if (req === 'DMA_FQ' && cur.type === 'DMA') {
    // "We can bring up a flush queue without tearing down the domain": drivers may stay bound, nothing is written.
    cur.type = 'DMA_FQ';
    return { ret: 0, value: count };
  }
  if (g.devices.length === 0 || g.ownerCnt !== 0) return { ret: 'EPERM' };
  const r = setupDefaultDomain(ctx, g, req);
  return r === 0 ? { ret: 0, value: count } : { ret: r };
}
