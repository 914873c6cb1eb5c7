/**
 * arm-smmu-v3's set_dev_pasid ops (v6.16): a PASID of a master gets the CD
 * at that SubstreamID of the master's CD table.
 * - arm_smmu_set_pasid: refused (EINVAL) unless the RID's STE already
 *   points at the CD table or the RID domain is IDENTITY or BLOCKED; the CD
 *   table is allocated if needed; prepare puts (master, pasid) on the
 *   domain's invalidation list; the CD is written (hitless where it can be,
 *   CMD_CFGI_CD for every StreamID of the master); then, if the STE is not a
 *   CD-table STE yet, one is installed with S1DSS = bypass (identity RID) or
 *   terminate (blocked RID); commit takes (master, pasid) off the old domain.
 * - arm_smmu_blocking_set_dev_pasid (detach): clear the CD, invalidate the
 *   ATC for that PASID, drop the list entry, and when no PASID is left on an
 *   identity or blocked RID, re-run its attach_dev for a plain bypass/abort STE.
 * ATS follows the RID's rules (driver-ats.ts): the STE's EATS and the ATC
 * flush at commit are decided the same way for a PASID.
 */
import { makeCdTableSte, makeS1Cd, S1DSS_VALUES, type LinuxSmmuFeatures } from '../../hw/smmu/update/index.ts';
import type { CallContext } from '../core/context.ts';
import { findDomain, groupById } from '../core/state.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice } from '../core/types.ts';
import { armSmmuAttachDev } from './driver-attach.ts';
import { atcInvMasterAll, atsCommit, atsPrepare, atsWanted } from './driver-ats.ts';
import { armSmmuDomainFinalise, IO_PGTABLE_MAIR } from './driver-domain.ts';
import { allocCdTable } from './driver-master.ts';
import { clearCd, installSteForDev, writeCdEntry } from './driver-write.ts';

/** The ARM_SMMU_FEAT_* the STE makers look at (as driver-attach.ts gives them: no ATTR_TYPES_OVR, no E2H). */
function makerFeatures(ctx: CallContext): Partial<LinuxSmmuFeatures> {
  return { attrTypesOvr: false, stalls: ctx.smmu.features.stall, e2h: false };
}

/** iommu_get_domain_for_dev: the RID's domain, the group's. */
function sidDomain(ctx: CallContext, dev: PciDevice): IommuDomain | undefined {
  return dev.group === null ? undefined : findDomain(ctx.linux, groupById(ctx.linux, dev.group).domain);
}

/** arm_smmu_set_pasid: the CD at `pasid`, then the STE if it does not point at the CD table yet. */
export function armSmmuSetPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, cd: readonly bigint[], old: string | null, why: string): 0 | Errno {
  const sd = d.smmu;
  if (!sd) throw new Error(`model bug: ${d.name} has no arm_smmu_domain`);
  const rid = sidDomain(ctx, dev);
  if (!master.cdTableInSte && rid?.type !== 'IDENTITY' && rid?.type !== 'BLOCKED') {
    ctx.warn(`${dev.name}: its RID is on ${rid?.name ?? 'nothing'} (${rid?.type ?? 'none'}), whose STE has no CD table, so PASID ${pasid} cannot be set (arm_smmu_set_pasid: -EINVAL)`);
    return 'EINVAL';
  }
  const t = allocCdTable(ctx, master);
  if (t !== 0) return t;
  // arm_smmu_attach_prepare: the kzalloc of the arm_smmu_master_domain (fault injection stands for its failure).
  if (dev.failAttach.includes(d.name)) return 'ENOMEM';
  sd.devices.push({ master: master.device, ssid: pasid });
  const ats = atsWanted(ctx, d, master);
  atsPrepare(ctx, master, ats);
  writeCdEntry(ctx, master, pasid, cd, why);
  // arm_smmu_update_ste: nothing to do when the STE already points at the CD table with the right EATS.
  if (master.cdTable && (!master.cdTableInSte || master.atsEnabled !== ats)) {
    if (rid?.type !== 'IDENTITY' && rid?.type !== 'BLOCKED') ctx.warn(`arm_smmu_update_ste: ${dev.name}'s RID is on ${rid?.name ?? 'nothing'}, neither identity nor blocked (WARN_ON); S1DSS = terminate`);
    const s1dss = rid?.type === 'IDENTITY' ? S1DSS_VALUES.bypass : S1DSS_VALUES.terminate;
    const ste = makeCdTableSte({ cdTable: master.cdTable.address, s1Fmt: 0, s1CdMax: master.ssidBits, s1dss, ats, features: makerFeatures(ctx) });
    installSteForDev(ctx, master, ste, `arm_smmu_update_ste: ${dev.name}'s STE points at its CD table for PASID ${pasid}; traffic without a PASID is ${s1dss === S1DSS_VALUES.bypass ? 'bypassed' : 'terminated'} as before`);
  }
  // arm_smmu_attach_commit: ATS on, or the ATC flushed for this PASID; the old domain stops invalidating for it.
  atsCommit(ctx, master, ats, pasid);
  const oldDomain = findDomain(ctx.linux, old);
  if (oldDomain?.smmu && oldDomain !== d) oldDomain.smmu.devices = oldDomain.smmu.devices.filter((x) => !(x.master === master.device && x.ssid === pasid));
  return 0;
}

/** arm_smmu_s1_set_dev_pasid: a stage-1 paging domain at a PASID, with the same CD as its RID attach would write. */
export function armSmmuS1SetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 | Errno {
  const sd = d.smmu;
  if (!sd || sd.stage !== 1) return 'EINVAL';
  if (!sd.finalised) {
    const r = armSmmuDomainFinalise(ctx, d);
    if (r !== 0) return r;
  }
  const t = ctx.s.tables.get(sd.pgtable ?? '');
  if (t?.stage !== 1 || sd.asid === null) throw new Error(`model bug: ${d.name} has no stage-1 table`);
  const c = t.config;
  const cd = makeS1Cd({ asid: sd.asid, ttb0: c.TTB0, T0SZ: c.T0SZ, TG0: c.TG0, IRGN0: 1, ORGN0: 1, SH0: 3, IPS: c.IPS, mair: IO_PGTABLE_MAIR });
  return armSmmuSetPasid(ctx, d, dev, master, pasid, cd, old, `arm_smmu_make_s1_cd: CD ${pasid} of ${dev.name} -> ${d.name} (ASID ${sd.asid})`);
}

/** arm_smmu_blocking_set_dev_pasid: how a PASID is detached (the blocked domain takes it from `old`). */
export function armSmmuBlockingSetDevPasid(ctx: CallContext, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 {
  clearCd(ctx, master, pasid, `arm_smmu_clear_cd: CD ${pasid} of ${dev.name} (PASID ${pasid} detached from ${old ?? 'nothing'})`);
  if (master.atsEnabled) atcInvMasterAll(ctx, master, pasid, `arm_smmu_atc_inv_master: ${dev.name}'s ATC for PASID ${pasid}`);
  const oldDomain = findDomain(ctx.linux, old);
  if (oldDomain?.smmu) oldDomain.smmu.devices = oldDomain.smmu.devices.filter((x) => !(x.master === master.device && x.ssid === pasid));
  const rid = sidDomain(ctx, dev);
  // The last PASID gone: an identity or blocked RID no longer needs the CD table in its STE.
  if (master.usedSsids === 0 && rid && (rid.type === 'IDENTITY' || rid.type === 'BLOCKED')) armSmmuAttachDev(ctx, rid, dev, master, rid.name);
  return 0;
}
