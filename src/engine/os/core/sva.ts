/**
 * SVA in the core (iommu-sva.c, v6.11+ with attach handles; newest): binding
 * a process's mm to a device through the mm's PASID.
 * - The mm gets one global PASID at its first bind and keeps it until the
 *   mm_struct is freed: unbinding does not give it back.
 * - A bond (struct iommu_sva) is the attach handle stored in the group's
 *   pasid_array. Binding the same mm on the same group again finds it and
 *   takes a reference: the same handle, users + 1, no hardware write.
 * - The SVA domains of an mm (one per SMMU) are shared: a new device tries
 *   them first; only if none attaches is a new one allocated. domain->users
 *   counts the groups using it; the last unbind frees it.
 * - iommu_domain_free of an SVA domain drops the mm reference it grabbed
 *   (mmdrop), then the driver frees its ASID.
 */
import type { CallContext } from './context.ts';
import { allocGlobalPasid, nextGlobalPasid } from './global-pasid.ts';
import { mmdrop } from './mm.ts';
import { attachDevicePasid, checkModelled, detachDevicePasid } from './pasid.ts';
import { deviceNamed, domainNamed, freshName, groupById } from './state.ts';
import { bondNamed, mmNamed, mmOfDomain, pasidEntry, svaState } from './sva-state.ts';
import type { IommuMmData, Mm } from './sva-types.ts';
import type { Errno, IommuDomain, PciDevice, Ret } from './types.ts';

/** iommu_alloc_mm_data: the mm's PASID, allocated at its first bind. */
function allocMmData(ctx: CallContext, mm: Mm, dev: PciDevice): IommuMmData | Errno {
  const max = dev.iommu?.maxPasids ?? 0;
  if (mm.iommuMm) return mm.iommuMm.pasid >= max ? 'EOVERFLOW' : mm.iommuMm;
  const pasid = allocGlobalPasid(ctx.linux, dev);
  if (pasid === undefined) return 'ENOSPC';
  mm.iommuMm = { pasid, svaDomains: [] };
  return mm.iommuMm;
}

/** iommu_sva_domain_alloc: the driver's domain_alloc_sva, then the core's part (type, cookie, mmgrab). */
function svaDomainAlloc(ctx: CallContext, mm: Mm): IommuDomain | Errno {
  const d = ctx.ops.svaDomainAlloc(ctx, freshName(ctx.linux, ctx.s, `sva:${mm.name}`), mm);
  if (typeof d === 'string') return d;
  mm.mmCount++;
  ctx.linux.domains.push(d);
  return d;
}

/** iommu_domain_free for an SVA domain (IOMMU_COOKIE_SVA): mmdrop, then the driver's free. */
export function svaDomainFree(ctx: CallContext, d: IommuDomain): void {
  const mm = mmOfDomain(ctx.linux, d);
  if (mm?.iommuMm) mm.iommuMm.svaDomains = mm.iommuMm.svaDomains.filter((x) => x !== d.name);
  if (mm) mmdrop(ctx, mm);
  ctx.ops.svaDomainFree(ctx, d);
  ctx.linux.domains = ctx.linux.domains.filter((x) => x !== d);
}

/** iommu_sva_bind_device(dev, mm): the bond's handle, or an errno. */
export function iommuSvaBindDevice(ctx: CallContext, devName: string, mmName: string): { ret: 0; handle: string } | { ret: Errno } {
  const dev = deviceNamed(ctx.linux, devName);
  const mm = mmNamed(ctx.linux, mmName);
  if (dev.group === null) return { ret: 'ENODEV' };
  if (!mm.alive) ctx.warn(`iommu_sva_bind_device(${devName}, ${mmName}): the caller must hold a reference to mm_users, but ${mmName} has exited (a caller bug)`);
  const g = groupById(ctx.linux, dev.group);
  // A PASID the model's CD tables cannot hold is refused before the mm takes it.
  const candidate = mm.iommuMm?.pasid ?? nextGlobalPasid(ctx.linux, dev);
  if (candidate !== undefined && candidate < (dev.iommu?.maxPasids ?? 0)) checkModelled(ctx, g, candidate);
  const data = allocMmData(ctx, mm, dev);
  if (typeof data === 'string') return { ret: data };
  const { pasid } = data;
  const sva = svaState(ctx.linux);
  // iommu_attach_handle_get(group, pasid, IOMMU_DOMAIN_SVA).
  const entry = pasidEntry(g, pasid);
  if (entry?.handle !== undefined) {
    const bond = sva.bonds.find((b) => b.name === entry.handle);
    if (!bond || bond.mm !== mm.name) return { ret: 'EBUSY' };
    bond.users++;
    return { ret: 0, handle: bond.name };
  }
  const handle = `sva:${devName}:${mmName}`;
  let domain: IommuDomain | undefined;
  for (const name of data.svaDomains) {
    const d = domainNamed(ctx.linux, name);
    if (attachDevicePasid(ctx, d, dev, pasid, handle) === 0) {
      domain = d;
      break;
    }
  }
  if (domain?.sva) {
    domain.sva.users++;
  } else {
    const d = svaDomainAlloc(ctx, mm);
    if (typeof d === 'string') return { ret: d };
    const r = attachDevicePasid(ctx, d, dev, pasid, handle);
    if (r !== 0) {
      svaDomainFree(ctx, d);
      return { ret: r };
    }
    if (d.sva) d.sva.users = 1;
    data.svaDomains = [d.name, ...data.svaDomains];
    domain = d;
  }
  sva.bonds.push({ name: handle, dev: devName, mm: mmName, domain: domain.name, group: g.id, pasid, users: 1 });
  return { ret: 0, handle };
}

/** iommu_sva_unbind_device(handle) (void): the last reference detaches the PASID and, for the domain's last group, frees it. */
export function iommuSvaUnbindDevice(ctx: CallContext, handle: string): Ret {
  const bond = bondNamed(ctx.linux, handle);
  bond.users--;
  if (bond.users > 0) return 0;
  const d = domainNamed(ctx.linux, bond.domain);
  detachDevicePasid(ctx, d, deviceNamed(ctx.linux, bond.dev), bond.pasid);
  const sva = svaState(ctx.linux);
  sva.bonds = sva.bonds.filter((b) => b !== bond);
  if (d.sva && --d.sva.users === 0) svaDomainFree(ctx, d);
  return 0;
}

/** iommu_sva_get_pasid(handle): the mm's PASID. */
export function iommuSvaGetPasid(ctx: CallContext, handle: string): { ret: 0; value: bigint } {
  const bond = bondNamed(ctx.linux, handle);
  return { ret: 0, value: BigInt(bond.pasid) };
}
