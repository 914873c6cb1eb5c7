/**
 * What arm-smmu-v3 (v6.16) does with PASID and ATS:
 * - probe (arm_smmu_probe_device): PASID is enabled at once, before ATS can
 *   ever be (arm_smmu_enable_pasid: every feature the function has; the
 *   master's ssid_bits come from the capability, 0 if enabling failed), and
 *   the STU is prepared (pci_prepare_ats, log2 of the smallest SMMU page).
 * - attach (arm_smmu_attach_prepare / commit): ATS is wanted only for
 *   domains the driver tracks (paging, SVA, nested with EATS) or when PASIDs
 *   force a CD table under an identity/blocked RID, and only if the SMMU, the
 *   root complex (IORT) and the function support it. Turning it off: the
 *   PCI write first, then the STE without EATS, then ATC_INV (all). Turning
 *   it on: the STE with EATS = 1, then ATC_INV (all), then pci_enable_ats.
 *   Staying on: ATC_INV for the SSID that changed.
 * - invalidation (arm_smmu_atc_inv_domain): after every TLBI of a domain,
 *   ATC_INV for each of its ATS masters, for the range (or everything).
 * PRI is never enabled: page requests would only be denied.
 */
import type { CallContext } from '../core/context.ts';
import { isPaging } from '../core/domain-type.ts';
import { pciAtsSupported, pciEnableAts, pciEnablePasid, pciMaxPasids, pciPasidFeatures, pciPrepareAts, pciDisableAts } from '../core/pci-caps.ts';
import { deviceNamed, findDomain, masterOf } from '../core/state.ts';
import type { ArmSmmuMaster, IommuDomain, PciDevice } from '../core/types.ts';
import { issueCommands, type CommandRequest } from './cmdq.ts';
import { PGSIZE_BITMAP_4K } from './driver-domain.ts';

/** ATC_INV_SIZE_ALL. */
export const ATC_INV_SIZE_ALL = 52n;
const BATCH = 64;

/** __ffs(smmu->pgsize_bitmap): the STU Linux programs (the model's SMMU always has 4 KB pages). */
export function smmuStu(): number {
  return (PGSIZE_BITMAP_4K & -PGSIZE_BITMAP_4K).toString(2).length - 1;
}

/** arm_smmu_enable_pasid at probe: returns the master's ssid_bits (0 when the function has no PASID or enabling failed). */
export function armSmmuEnablePasid(ctx: CallContext, dev: PciDevice): number {
  const features = pciPasidFeatures(ctx, dev);
  const max = pciMaxPasids(ctx, dev);
  if (features === 'EINVAL' || max === 'EINVAL') return 0;
  const r = pciEnablePasid(ctx, dev, features, `arm_smmu_enable_pasid: ${dev.name} at probe, before ATS can be enabled`);
  if (r !== 0) {
    ctx.warn(`${dev.name}: Failed to enable PASID (-${r}): no SubstreamIDs`);
    return 0;
  }
  return Math.min(Math.log2(max), ctx.smmu.features.ssidBits);
}

/** The end of arm_smmu_probe_device for a PCI device. */
export function armSmmuPrepareAts(ctx: CallContext, dev: PciDevice): void {
  if (pciAtsSupported(ctx, dev)) pciPrepareAts(ctx, dev, smmuStu(), `pci_prepare_ats: ${dev.name}'s STU, ATS still off`);
}

/** arm_smmu_ats_supported: the SMMU, the root complex (IORT says ATS, assumed) and the function. */
export function armSmmuAtsSupported(ctx: CallContext, master: ArmSmmuMaster): boolean {
  return ctx.smmu.features.ats && pciAtsSupported(ctx, deviceNamed(ctx.linux, master.device));
}

/** state->ats_enabled as arm_smmu_attach_prepare decides it for the RID. */
export function atsWanted(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster): boolean {
  const tracked = isPaging(d.type) || d.type === 'SVA' || d.type === 'NESTED';
  const cdNeedsAts = (d.type === 'BLOCKED' || d.type === 'IDENTITY') && master.usedSsids > 0;
  if (!tracked && !cdNeedsAts) return false;
  if (d.type === 'NESTED' && !d.nested?.enableAts) return false;
  return armSmmuAtsSupported(ctx, master);
}

/** arm_smmu_atc_inv_to_cmd: the smallest aligned power-of-two span of 4 KB pages that covers the range; size 0 is everything. */
export function atcInvCommand(sid: number, ssid: number, iova: bigint, size: bigint): CommandRequest {
  let address = 0n;
  let span = ATC_INV_SIZE_ALL;
  if (size !== 0n) {
    const first = iova >> 12n;
    const last = (iova + size - 1n) >> 12n;
    const x = first ^ last;
    span = x === 0n ? 0n : BigInt(x.toString(2).length);
    address = (first & ~((1n << span) - 1n)) << 12n;
  }
  return { op: 'CMD_ATC_INV', fields: { StreamID: BigInt(sid), SSV: ssid !== 0 ? 1n : 0n, SubstreamID: BigInt(ssid), Size: span, Address: address } };
}

function submit(ctx: CallContext, why: string, cmds: readonly CommandRequest[]): void {
  for (let i = 0; i < cmds.length; i += BATCH) {
    const batch = cmds.slice(i, i + BATCH);
    ctx.commands(why, issueCommands(ctx.smmu, i + BATCH >= cmds.length ? [...batch, { op: 'CMD_SYNC' }] : batch));
  }
}

/** arm_smmu_atc_inv_master: every StreamID of the master; SSID 0 empties the whole ATC. */
export function atcInvMasterAll(ctx: CallContext, master: ArmSmmuMaster, ssid: number, why: string): void {
  submit(ctx, why, master.streams.map((sid) => atcInvCommand(sid, ssid, 0n, 0n)));
}

/** arm_smmu_atc_inv_domain: size 0 invalidates everything. Nothing without ATS masters (nr_ats_masters). */
export function atcInvDomain(ctx: CallContext, d: IommuDomain, iova: bigint, size: bigint): void {
  if (!ctx.smmu.features.ats || !d.smmu) return;
  const cmds: CommandRequest[] = [];
  for (const md of d.smmu.devices) {
    const master = masterOf(ctx.linux, md.master);
    if (!master?.atsEnabled) continue;
    // A nesting parent changing under a nested domain with ATS: only a full flush is safe.
    const nested = findDomain(ctx.linux, master.ridDomain)?.type === 'NESTED';
    for (const sid of master.streams) cmds.push(nested ? atcInvCommand(sid, 0, 0n, 0n) : atcInvCommand(sid, md.ssid, iova, size));
  }
  if (cmds.length > 0) submit(ctx, `arm_smmu_atc_inv_domain: the ATCs of ${d.name}'s ATS masters, after the TLBI`, cmds);
}

/** The end of arm_smmu_attach_prepare: a device losing ATS has it switched off before the new STE drops EATS. */
export function atsPrepare(ctx: CallContext, master: ArmSmmuMaster, ats: boolean): void {
  if (!ats && master.atsEnabled) pciDisableAts(ctx, deviceNamed(ctx.linux, master.device), `arm_smmu_attach_prepare: ATS off at ${master.device} before its STE stops allowing it`);
}

/** arm_smmu_attach_commit's ATS part, once the STE/CD carry the new EATS. */
export function atsCommit(ctx: CallContext, master: ArmSmmuMaster, ats: boolean, ssid = 0): void {
  if (ats && !master.atsEnabled) {
    // arm_smmu_enable_ats: nothing stale may survive in the ATC, then the function may start caching.
    atcInvMasterAll(ctx, master, 0, `arm_smmu_enable_ats: empty ${master.device}'s ATC before enabling ATS`);
    const r = pciEnableAts(ctx, deviceNamed(ctx.linux, master.device), smmuStu(), `arm_smmu_enable_ats: ${master.device} may now cache translations`);
    if (r !== 0) ctx.warn(`${master.device}: Failed to enable ATS (STU ${smmuStu()}): -${r}`);
  } else if (ats && master.atsEnabled) {
    atcInvMasterAll(ctx, master, ssid, `arm_smmu_attach_commit: the translation of ${master.device} changed, flush its ATC`);
  } else if (!ats && master.atsEnabled) {
    atcInvMasterAll(ctx, master, 0, `arm_smmu_attach_commit: ATS is off for ${master.device}, empty its ATC`);
  }
  master.atsEnabled = ats;
}
