/**
 * PASIDs in the core (iommu.c, newest): attaching a domain to one PASID of
 * every device of a group, detaching it, replacing it, and group->pasid_array.
 * - The slot is reserved first (EBUSY if taken), the hardware is set device
 *   by device, and only then is the entry stored, so a page request arriving
 *   meanwhile finds nothing.
 * - Devices without PASID support (max_pasids = 0) are skipped by the range
 *   check and by set_dev_pasid (newest; v6.8 checked every device).
 * - A failure at device k puts devices 0..k-1 back: on the old domain for a
 *   replace, blocked for a new attach.
 * - Detaching is the blocked domain's set_dev_pasid(old = domain).
 */
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import { deviceNamed, domainNamed, findDomain, groupById, masterOf } from './state.ts';
import { mmOfDomain, pasidEntry } from './sva-state.ts';
import type { IommuDomain, IommuGroup, PciDevice, Ret } from './types.ts';

/** IOMMU_NO_PASID: the RID's own traffic. */
export const IOMMU_NO_PASID = 0;

/** ops->set_dev_pasid of the domain's type, for one device, with a checkpoint after it. */
function setDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, pasid: number, old: string | null): Ret {
  const master = masterOf(ctx.linux, dev.name);
  if (!master) return 'ENODEV';
  ctx.transition.moving = { device: dev.name, from: old, to: d.name };
  let ret: Ret;
  switch (d.type) {
    case 'UNMANAGED':
    case 'DMA':
    case 'DMA_FQ':
    // Only a driver whose nested domains have set_dev_pasid gets here with one (intel-iommu).
    case 'NESTED':
      ret = ctx.ops.pagingSetDevPasid(ctx, d, dev, master, pasid, old);
      break;
    case 'SVA': {
      const mm = mmOfDomain(ctx.linux, d);
      ret = ctx.ops.svaSetDevPasid(ctx, d, dev, master, pasid, old, mm?.alive ? mm : null);
      break;
    }
    case 'BLOCKED':
      ret = ctx.ops.blockingSetDevPasid(ctx, dev, master, pasid, old);
      break;
    default:
      ret = 'EOPNOTSUPP';
  }
  ctx.transition.moving = null;
  ctx.transition.point(ret === 0 ? `${dev.name}: PASID ${pasid} is on ${d.name}` : `${dev.name}: PASID ${pasid} to ${d.name} failed (-${ret})`);
  return ret;
}

/** iommu_remove_dev_pasid: the blocked domain takes the PASID from `d`; a failure is a WARN. */
function removeDevPasid(ctx: CallContext, dev: PciDevice, pasid: number, d: string): void {
  const r = setDevPasid(ctx, domainNamed(ctx.linux, ctx.ops.blockedDomain), dev, pasid, d);
  if (r !== 0) ctx.warn(`${dev.name}: blocking PASID ${pasid} failed with -${r} (WARN_ON)`);
}

function pasidDevices(ctx: CallContext, g: IommuGroup): PciDevice[] {
  return g.devices.map((n) => deviceNamed(ctx.linux, n)).filter((x) => (x.iommu?.maxPasids ?? 0) > 0);
}

/** __iommu_set_group_pasid. */
function setGroupPasid(ctx: CallContext, d: IommuDomain, g: IommuGroup, pasid: number, old: IommuDomain | undefined): Ret {
  const devs = pasidDevices(ctx, g);
  for (const [i, dev] of devs.entries()) {
    const ret = setDevPasid(ctx, d, dev, pasid, old?.name ?? null);
    if (ret === 0) continue;
    for (const back of devs.slice(0, i)) {
      // "It is a driver bug to fail attaching with a previously good domain."
      if (!old) removeDevPasid(ctx, back, pasid, d.name);
      else if (setDevPasid(ctx, old, back, pasid, d.name) !== 0) {
        ctx.warn(`${back.name}: going back to ${old.name} on PASID ${pasid} failed (WARN_ON)`);
        removeDevPasid(ctx, back, pasid, d.name);
      }
    }
    return ret;
  }
  return 0;
}

/** __iommu_remove_group_pasid. */
function removeGroupPasid(ctx: CallContext, g: IommuGroup, pasid: number, d: IommuDomain): void {
  for (const dev of pasidDevices(ctx, g)) removeDevPasid(ctx, dev, pasid, d.name);
}

/**
 * A PASID the core allows but the master's CD table cannot hold. Two ways:
 * the model builds only linear CD tables (2^10 CDs at most; the kernel
 * would use a 2-level table), or PASID could not be enabled at probe (no
 * ACS path), so ssid_bits is 0 while max_pasids still comes from the PASID
 * capability and arm_smmu_alloc_cd_ptr would index past the table. Either
 * way the call is refused before anything changes.
 */
export function checkModelled(ctx: CallContext, g: IommuGroup, pasid: number): void {
  for (const dev of pasidDevices(ctx, g)) {
    const bits = masterOf(ctx.linux, dev.name)?.ssidBits ?? 0;
    if (pasid < 2 ** bits) continue;
    if (bits < Math.min(dev.pasidBits, ctx.ops.masterPasidLimit(ctx))) {
      throw new EngineError(`${dev.name}: PASID is not enabled (pci_enable_pasid failed at probe), so its CD table has 2^${bits} CD${bits ? 's' : ''}, yet max_pasids (${dev.iommu?.maxPasids}) from its PASID capability lets PASID ${pasid} through: arm-smmu-v3 would write CD ${pasid} beyond the table. The model refuses the call`, 'pasid');
    }
    throw new EngineError(`PASID ${pasid} of ${dev.name} needs a CD beyond its linear CD table of 2^${bits} CDs; 2-level CD tables are not modelled yet, so keep PASIDs below ${2 ** bits}`, 'pasid');
  }
}

/** iommu_attach_device_pasid(domain, dev, pasid, handle), for a domain the caller holds (SVA passes its own). */
export function attachDevicePasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, pasid: number, handle?: string): Ret {
  if (dev.group === null) return 'ENODEV';
  if (!d.ops.includes('set_dev_pasid')) return 'EOPNOTSUPP';
  if (d.owner !== ctx.ops.name || pasid === IOMMU_NO_PASID) return 'EINVAL';
  const g = groupById(ctx.linux, dev.group);
  for (const name of g.devices) {
    const max = deviceNamed(ctx.linux, name).iommu?.maxPasids ?? 0;
    if (max > 0 && pasid >= max) return 'EINVAL';
  }
  // xa_insert: an occupied slot is -EBUSY.
  if (pasidEntry(g, pasid)) return 'EBUSY';
  checkModelled(ctx, g, pasid);
  ctx.transition.begin(g, null, d.name, pasid);
  try {
    const ret = setGroupPasid(ctx, d, g, pasid, undefined);
    if (ret !== 0) return ret;
  } finally {
    ctx.transition.end();
  }
  g.pasidArray = [...g.pasidArray, { pasid, domain: d.name, ...(handle !== undefined ? { handle } : {}) }].sort((a, b) => a.pasid - b.pasid);
  return 0;
}

export function iommuAttachDevicePasid(ctx: CallContext, domainName: string, devName: string, pasid: number, handle?: string): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  const d = domainNamed(ctx.linux, domainName);
  if (handle !== undefined && ctx.linux.sva?.bonds.some((b) => b.name === handle)) throw new EngineError(`"${handle}" is an SVA bond's handle; give the attach its own handle name`, 'handle');
  return attachDevicePasid(ctx, d, dev, pasid, handle);
}

/** iommu_detach_device_pasid (void): every PASID-capable device of the group is blocked, then the slot is erased. */
export function detachDevicePasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, pasid: number): void {
  if (dev.group === null) {
    ctx.warn(`iommu_detach_device_pasid: ${dev.name} has no group; the kernel would dereference NULL`);
    return;
  }
  const g = groupById(ctx.linux, dev.group);
  const entry = pasidEntry(g, pasid);
  if (!entry) ctx.warn(`iommu_detach_device_pasid: nothing is attached at PASID ${pasid} of group ${g.id}; the CDs are cleared anyway`);
  else if (entry.domain !== d.name) ctx.warn(`iommu_detach_device_pasid: PASID ${pasid} is on ${entry.domain}, not ${d.name}; the kernel does not check (v6.8 did WARN) and ${entry.domain} keeps its invalidation entries`);
  ctx.transition.begin(g, entry?.domain ?? d.name, ctx.ops.blockedDomain, pasid);
  try {
    removeGroupPasid(ctx, g, pasid, d);
  } finally {
    ctx.transition.end();
  }
  g.pasidArray = g.pasidArray.filter((p) => p.pasid !== pasid);
}

export function iommuDetachDevicePasid(ctx: CallContext, domainName: string, devName: string, pasid: number): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  const d = domainNamed(ctx.linux, domainName);
  const g = dev.group === null ? undefined : groupById(ctx.linux, dev.group);
  const bond = ctx.linux.sva?.bonds.find((b) => b.group === g?.id && b.pasid === pasid);
  if (bond) ctx.warn(`PASID ${pasid} belongs to the SVA bond ${bond.name}: detaching it behind iommu_sva_unbind_device's back leaves the bond dangling`);
  detachDevicePasid(ctx, d, dev, pasid);
  return 0;
}

/** iommu_replace_device_pasid (iommufd, v6.14+): from whatever is attached at `pasid` straight to `domain`. */
export function iommuReplaceDevicePasid(ctx: CallContext, domainName: string, devName: string, pasid: number, handle?: string): Ret {
  const dev = deviceNamed(ctx.linux, devName);
  const d = domainNamed(ctx.linux, domainName);
  if (dev.group === null) return 'ENODEV';
  if (!d.ops.includes('set_dev_pasid')) return 'EOPNOTSUPP';
  if (d.owner !== ctx.ops.name || pasid === IOMMU_NO_PASID || handle === undefined) return 'EINVAL';
  const g = groupById(ctx.linux, dev.group);
  const curr = pasidEntry(g, pasid);
  // Nothing attached: not a replace.
  if (!curr) return 'EINVAL';
  if (curr.handle === handle) {
    ctx.warn(`iommu_replace_device_pasid: handle ${handle} is already the one at PASID ${pasid} (WARN_ON)`);
    return 'EINVAL';
  }
  const old = findDomain(ctx.linux, curr.domain);
  if (old !== d) {
    ctx.transition.begin(g, curr.domain, d.name, pasid);
    try {
      const ret = setGroupPasid(ctx, d, g, pasid, old);
      if (ret !== 0) return ret;
    } finally {
      ctx.transition.end();
    }
  }
  g.pasidArray = g.pasidArray.map((p) => (p.pasid === pasid ? { pasid, domain: d.name, handle } : p));
  return 0;
}
