/**
 * The arm-smmu-v3 attach_dev ops (v6.16): what each domain type makes the
 * driver write for one device.
 * - paging, stage 1 (arm_smmu_attach_dev): CD table on first use, CD 0 =
 *   arm_smmu_make_s1_cd, then the CD-table STE (S1DSS = SSID0). CD before STE.
 * - paging, stage 2: the S2 STE (arm_smmu_make_s2_domain_ste), then CD 0 cleared;
 *   -EBUSY while PASIDs are in use.
 * - BLOCKED / IDENTITY (arm_smmu_attach_dev_ste): the abort / bypass STE, or a
 *   CD-table STE with S1DSS = terminate / bypass while PASIDs are in use; then CD 0 cleared.
 * - NESTED (arm_smmu_attach_dev_nested): arm_smmu_make_nested_domain_ste.
 * "prepare" puts the device on the new domain's invalidation list, "commit"
 * takes it off the old one's, so both see invalidations during the switch.
 */
import { decodeFields } from '../../hw/smmu/fields.ts';
import { STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { makeAbortSte, makeBypassSte, makeCdTableSte, makeNestedDomainSte, makeS1Cd, makeS2DomainSte, S1DSS_VALUES, type LinuxSmmuFeatures, type S2DomainSteOptions } from '../../hw/smmu/update/index.ts';
import type { CallContext } from '../core/context.ts';
import { findDomain } from '../core/state.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice } from '../core/types.ts';
import { atsCommit, atsPrepare, atsWanted } from './driver-ats.ts';
import { armSmmuDomainFinalise, IO_PGTABLE_MAIR } from './driver-domain.ts';
import { allocCdTable } from './driver-master.ts';
import { clearCd, installSteForDev, writeCdEntry } from './driver-write.ts';

/** The ARM_SMMU_FEAT_* the STE makers look at, as this SMMU advertises them (the model's IDR1 has no ATTR_TYPES_OVR). */
function makerFeatures(ctx: CallContext): Partial<LinuxSmmuFeatures> {
  return { attrTypesOvr: false, stalls: ctx.smmu.features.stall, e2h: false };
}

/** The arm_smmu_domain that tracks a domain's devices: itself, or a nested domain's stage-2 parent. */
function devicesDomain(ctx: CallContext, d: IommuDomain | undefined): IommuDomain | undefined {
  if (d?.smmu) return d;
  if (d?.nested) return findDomain(ctx.linux, ctx.linux.viommus.find((v) => v.name === d.nested?.viommu)?.parent ?? null);
  return undefined;
}

function prepare(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster): 0 | Errno {
  // Fault injection stands for the kzalloc of the arm_smmu_master_domain failing.
  if (dev.failAttach.includes(d.name)) return 'ENOMEM';
  const owner = devicesDomain(ctx, d)?.smmu;
  if (owner && !owner.devices.some((x) => x.master === master.device && x.ssid === 0)) owner.devices.push({ master: master.device, ssid: 0 });
  atsPrepare(ctx, master, atsWanted(ctx, d, master));
  return 0;
}

function commit(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, old: string | null): void {
  atsCommit(ctx, master, atsWanted(ctx, d, master));
  const oldOwner = devicesDomain(ctx, findDomain(ctx.linux, old));
  if (oldOwner?.smmu && oldOwner !== devicesDomain(ctx, d)) oldOwner.smmu.devices = oldOwner.smmu.devices.filter((x) => !(x.master === master.device && x.ssid === 0));
  master.ridDomain = d.name;
  if (d.type !== 'NESTED') master.vmaster = null;
}

export function s2SteOptions(ctx: CallContext, d: IommuDomain): S2DomainSteOptions {
  const t = ctx.s.tables.get(d.smmu?.pgtable ?? '');
  if (t?.stage !== 2 || d.smmu?.vmid == null) throw new Error(`model bug: ${d.name} has no stage-2 table`);
  const c = t.config;
  return { vmid: d.smmu.vmid, s2ttb: c.S2TTB, vtcr: { S2T0SZ: c.S2T0SZ, S2SL0: c.S2SL0, S2IR0: 1, S2OR0: 1, S2SH0: 3, S2TG: c.S2TG, S2PS: c.S2PS }, ats: false, features: makerFeatures(ctx) };
}

function attachPaging(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno {
  const sd = d.smmu;
  if (!sd) throw new Error(`model bug: ${d.name} is not a paging domain`);
  if (!sd.finalised) {
    const r = armSmmuDomainFinalise(ctx, d);
    if (r !== 0) return r;
  }
  if (sd.stage === 1) {
    const r = allocCdTable(ctx, master);
    if (r !== 0) return r;
  } else if (master.usedSsids > 0) {
    return 'EBUSY';
  }
  const p = prepare(ctx, d, dev, master);
  if (p !== 0) return p;
  if (sd.stage === 1) {
    const t = ctx.s.tables.get(sd.pgtable ?? '');
    if (t?.stage !== 1 || sd.asid === null || !master.cdTable) throw new Error(`model bug: ${d.name} has no stage-1 table`);
    const c = t.config;
    writeCdEntry(ctx, master, 0, makeS1Cd({ asid: sd.asid, ttb0: c.TTB0, T0SZ: c.T0SZ, TG0: c.TG0, IRGN0: 1, ORGN0: 1, SH0: 3, IPS: c.IPS, mair: IO_PGTABLE_MAIR }), `arm_smmu_make_s1_cd: CD 0 of ${dev.name} -> ${d.name} (ASID ${sd.asid})`);
    const ste = makeCdTableSte({ cdTable: master.cdTable.address, s1Fmt: 0, s1CdMax: master.ssidBits, s1dss: S1DSS_VALUES.ssid0, ats: atsWanted(ctx, d, master), features: makerFeatures(ctx) });
    installSteForDev(ctx, master, ste, `arm_smmu_make_cdtable_ste: ${dev.name} translates through its CD table`);
  } else {
    installSteForDev(ctx, master, makeS2DomainSte({ ...s2SteOptions(ctx, d), ats: atsWanted(ctx, d, master) }), `arm_smmu_make_s2_domain_ste: ${dev.name} -> ${d.name} (VMID ${sd.vmid})`);
    clearCd(ctx, master, 0, `arm_smmu_clear_cd: CD 0 of ${dev.name} is no longer used`);
  }
  commit(ctx, d, master, old);
  return 0;
}

/** arm_smmu_attach_dev_ste: BLOCKED and IDENTITY. */
function attachSte(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, old: string | null): 0 {
  const blocked = d.type === 'BLOCKED';
  atsPrepare(ctx, master, atsWanted(ctx, d, master));
  let ste = blocked ? makeAbortSte() : makeBypassSte({ features: makerFeatures(ctx) });
  if (master.cdTableInSte && master.usedSsids > 0 && master.cdTable) {
    // PASIDs still translate: keep the CD table and say what traffic without a PASID gets.
    ste = makeCdTableSte({ cdTable: master.cdTable.address, s1Fmt: 0, s1CdMax: master.ssidBits, s1dss: blocked ? S1DSS_VALUES.terminate : S1DSS_VALUES.bypass, ats: atsWanted(ctx, d, master), features: makerFeatures(ctx) });
  }
  installSteForDev(ctx, master, ste, blocked ? `arm_smmu_make_abort_ste: ${master.device} is blocked` : `arm_smmu_make_bypass_ste: ${master.device} bypasses translation`);
  commit(ctx, d, master, old);
  clearCd(ctx, master, 0, `arm_smmu_clear_cd: CD 0 of ${master.device} is no longer used`);
  return 0;
}

function attachNested(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno {
  const n = d.nested;
  const viommu = ctx.linux.viommus.find((v) => v.name === n?.viommu);
  const parent = findDomain(ctx.linux, viommu?.parent ?? null);
  if (!n || !viommu || !parent) throw new Error(`model bug: ${d.name} is not a nested domain`);
  if (master.usedSsids > 0) return 'EBUSY';
  const vdev = viommu.vdevices.find((v) => v.device === dev.name);
  if (!vdev) return 'ENOENT'; // arm_smmu_attach_prepare_vmaster: no vdevice, no virtual StreamID
  const p = prepare(ctx, d, dev, master);
  if (p !== 0) return p;
  const v = decodeFields([n.vste[0], n.vste[1]], STE_FIELDS);
  const num = (k: string) => Number(v[k] ?? 0n);
  const ste = makeNestedDomainSte({
    s2: s2SteOptions(ctx, parent), ats: atsWanted(ctx, d, master), vsteConfig: n.config,
    vste: { S1ContextPtr: v.S1ContextPtr ?? 0n, S1Fmt: num('S1Fmt'), S1CDMax: num('S1CDMax'), S1DSS: num('S1DSS'), S1CIR: num('S1CIR'), S1COR: num('S1COR'), S1CSH: num('S1CSH'), S1STALLD: num('S1STALLD') === 1 },
  });
  installSteForDev(ctx, master, ste, `arm_smmu_make_nested_domain_ste: ${dev.name} -> ${d.name} (the guest's vSTE, ${n.config}, over ${parent.name})`);
  commit(ctx, d, master, old);
  master.vmaster = { viommu: viommu.name, vsid: vdev.virtId };
  return 0;
}

export function armSmmuAttachDev(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno {
  switch (d.type) {
    case 'BLOCKED':
    case 'IDENTITY':
      return attachSte(ctx, d, master, old);
    case 'UNMANAGED':
    case 'DMA':
    case 'DMA_FQ':
      return attachPaging(ctx, d, dev, master, old);
    case 'NESTED':
      return attachNested(ctx, d, dev, master, old);
    case 'SVA':
    case 'PLATFORM':
      return 'ENODEV';
  }
}
