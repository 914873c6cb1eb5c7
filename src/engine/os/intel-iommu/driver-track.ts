/**
 * Which (device, PASID) pairs a domain is attached to: the driver's
 * device_domain_info and dev_pasid_info lists, which its cache tags follow
 * (drivers/iommu/intel/cache.c). domain_detach_iommu gives a domain's DID
 * back to the unit when the last of them leaves. Paging domains keep the
 * list in the core's shared bookkeeping (`smmu.devices`), nested domains in
 * their own (`intel.nested.devices`).
 */
import type { CallContext } from '../core/context.ts';
import { findDomain } from '../core/state.ts';
import type { ArmSmmuMaster, IommuDomain } from '../core/types.ts';
import { releaseDid } from './driver-common.ts';

type Attached = { readonly master: string; readonly ssid: number };

export function attachedPairs(d: IommuDomain | undefined): readonly Attached[] {
  return d?.smmu?.devices ?? d?.intel?.nested?.devices ?? [];
}

function setPairs(d: IommuDomain, pairs: Attached[]): void {
  if (d.smmu) d.smmu.devices = pairs;
  else if (d.intel?.nested) d.intel.nested.devices = pairs;
}

/** The device's PASID leaves `d` (domain_remove_dev_pasid / device_block_translation), and with the last one the DID. */
export function leaveDomain(ctx: CallContext, d: IommuDomain | undefined, master: ArmSmmuMaster, pasid: number): void {
  if (!d || (!d.smmu && !d.intel?.nested)) return;
  const rest = attachedPairs(d).filter((x) => !(x.master === master.device && x.ssid === pasid));
  setPairs(d, rest);
  if (rest.length === 0 && d.intel && !d.sva) releaseDid(ctx, d);
}

/** After the entry is written: the device's PASID is on `d`, and no longer on `old`. */
export function commitAttach(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, old: string | null, pasid: number): void {
  const oldDomain = findDomain(ctx.linux, old);
  if (oldDomain !== d) leaveDomain(ctx, oldDomain, master, pasid);
  const pairs = attachedPairs(d);
  if ((d.smmu || d.intel?.nested) && !pairs.some((x) => x.master === master.device && x.ssid === pasid)) setPairs(d, [...pairs, { master: master.device, ssid: pasid }]);
  if (pasid === 0) master.ridDomain = d.name;
}
