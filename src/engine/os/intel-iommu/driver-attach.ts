/**
 * intel_iommu_probe_device and the attach paths (drivers/iommu/intel/
 * iommu.c and pasid.c, v6.16): in scalable mode the probe gives the device a
 * PASID directory and its context entry, and every attach is a PASID entry
 * (RID_PASID = 0 for the device's own traffic): first-stage or second-stage
 * for a paging domain, pass-through (DID 1) for the identity domain, torn
 * down for the blocking domain. In legacy mode an attach is a context entry.
 */
import type { FieldValues } from '../../hw/smmu/fields.ts';
import type { CallContext } from '../core/context.ts';
import { findDomain } from '../core/state.ts';
import { pciEnablePasid, pciMaxPasids, pciPasidFeatures } from '../core/pci-caps.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice } from '../core/types.ts';
import { FLPT_DEFAULT_DID, ensureDid, isScalable, unitOf } from './driver-common.ts';
import { intelFinalise } from './driver-domain.ts';
import { bdfOf, clearLegacyContext, installPasidEntry, setupSmContext, tearDownPasidEntry, writeLegacyContext } from './driver-entries.ts';
import { intelNestedAttachDev, intelNestedSetDevPasid } from './driver-nested.ts';
import { commitAttach, leaveDomain } from './driver-track.ts';

/** intel_iommu_probe_device: device_domain_info, and in scalable mode its PASID directory and context entry. */
export function intelProbeDevice(ctx: CallContext, dev: PciDevice, rids: readonly number[]): ArmSmmuMaster | Errno {
  const streams = rids.filter((r, i) => rids.indexOf(r) === i);
  const unit = unitOf(ctx);
  let ssidBits = 0;
  if (isScalable(ctx) && unit.features.pasid) {
    const features = pciPasidFeatures(ctx, dev);
    const max = pciMaxPasids(ctx, dev);
    if (features !== 'EINVAL' && max !== 'EINVAL' && pciEnablePasid(ctx, dev, features, `intel_iommu_probe_device: pci_enable_pasid for ${dev.name}`) === 0) {
      ssidBits = Math.min(Math.log2(max), unit.features.pasidBits);
    }
  }
  const master: ArmSmmuMaster = { device: dev.name, streams, ssidBits, cdTable: null, cdTableInSte: false, usedSsids: 0, atsEnabled: false, ridDomain: null, vmaster: null };
  if (isScalable(ctx)) {
    // intel_pasid_alloc_table: one directory entry per 64 PASIDs, at least a page (512 entries: PDTS = 2).
    const entries = Math.max(512, 2 ** Math.max(0, ssidBits - 6));
    const dir = ctx.alloc(`PASID directory of ${dev.name} (${entries} entries)`, BigInt(entries * 8));
    if (dir === 'ENOMEM') return 'ENOMEM';
    const pdts = Math.log2(entries) - 7;
    master.cdTable = { address: dir, bytes: BigInt(entries * 8), s1cdmax: ssidBits };
    for (const rid of streams) setupSmContext(ctx, rid, dir, pdts, ssidBits > 0, dev.ats);
  }
  ctx.linux.masters.push(master);
  return master;
}

/** The PASID-entry fields of a paging domain (intel_pasid_setup_first_level / _second_level). */
function pagingFields(ctx: CallContext, d: IommuDomain, did: number): Partial<FieldValues> {
  const root = d.smmu?.pgtableRoot ?? 0n;
  const aw = BigInt((ctx.s.vtdTables?.get(d.smmu?.pgtable ?? '')?.levels ?? 4) - 2);
  return d.intel?.firstStage
    ? { PGTT: 1n, FLPTR: root, DID: BigInt(did), AW: 2n, NXE: 1n, PWSNP: 1n }
    : { PGTT: 2n, SLPTPTR: root, DID: BigInt(did), AW: aw, PWSNP: 1n };
}

function attachPaging(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null, pasid: number): 0 | Errno {
  if (dev.failAttach.includes(d.name)) return 'ENOMEM';
  if (!d.smmu?.finalised) {
    const r = intelFinalise(ctx, d);
    if (r !== 0) return r;
  }
  const did = ensureDid(ctx, d);
  if (did === 'ENOSPC') return 'ENOSPC';
  if (isScalable(ctx)) {
    const what = d.intel?.firstStage ? 'first-stage' : 'second-stage';
    for (const rid of master.streams) installPasidEntry(ctx, rid, pasid, pagingFields(ctx, d, did), `domain_setup_${d.intel?.firstStage ? 'first' : 'second'}_level: PASID ${pasid} of ${bdfOf(rid)} -> ${d.name} (${what}, DID ${did})`);
  } else {
    if (pasid !== 0) return 'EOPNOTSUPP';
    const levels = ctx.s.vtdTables?.get(d.smmu?.pgtable ?? '')?.levels ?? 4;
    for (const rid of master.streams) writeLegacyContext(ctx, rid, { TT: 0n, SLPTPTR: d.smmu?.pgtableRoot ?? 0n, AW: BigInt(levels - 2), DID: BigInt(did) }, `domain_context_mapping_one: ${bdfOf(rid)} -> ${d.name} (second-stage, DID ${did})`);
  }
  commitAttach(ctx, d, master, old, pasid);
  return 0;
}

function attachStatic(ctx: CallContext, d: IommuDomain, master: ArmSmmuMaster, old: string | null, pasid: number): 0 {
  const blocked = d.type === 'BLOCKED';
  for (const rid of master.streams) {
    if (isScalable(ctx)) {
      if (blocked) tearDownPasidEntry(ctx, rid, pasid, `device_block_translation: PASID ${pasid} of ${bdfOf(rid)} torn down`);
      else installPasidEntry(ctx, rid, pasid, { PGTT: 4n, DID: BigInt(FLPT_DEFAULT_DID), AW: 2n }, `domain_setup_passthrough: PASID ${pasid} of ${bdfOf(rid)} passes through (DID ${FLPT_DEFAULT_DID})`);
    } else if (blocked) {
      clearLegacyContext(ctx, rid, `device_block_translation: ${bdfOf(rid)}'s context entry cleared`);
    } else {
      writeLegacyContext(ctx, rid, { TT: 2n, AW: 2n, DID: BigInt(FLPT_DEFAULT_DID) }, `context_setup_pass_through: ${bdfOf(rid)} passes through`);
    }
  }
  commitAttach(ctx, d, master, old, pasid);
  return 0;
}

export function intelAttachDev(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, old: string | null): 0 | Errno {
  switch (d.type) {
    case 'BLOCKED':
    case 'IDENTITY':
      return attachStatic(ctx, d, master, old, 0);
    case 'UNMANAGED':
    case 'DMA':
    case 'DMA_FQ':
      return attachPaging(ctx, d, dev, master, old, 0);
    case 'NESTED':
      return intelNestedAttachDev(ctx, d, dev, master, old);
    case 'SVA':
    case 'PLATFORM':
      return 'ENODEV';
  }
}

/** intel_iommu_set_dev_pasid for a paging domain (the same entry as a RID attach, at `pasid`), or intel_nested_set_dev_pasid. */
export function intelPagingSetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 | Errno {
  if (!isScalable(ctx)) return 'EOPNOTSUPP';
  if (pasid >= 2 ** master.ssidBits) return 'EINVAL';
  const r = d.type === 'NESTED' ? intelNestedSetDevPasid(ctx, d, master, pasid, old) : attachPaging(ctx, d, dev, master, old, pasid);
  if (r === 0) master.usedSsids++;
  return r;
}

/** blocking_domain_set_dev_pasid: the PASID entry torn down. */
export function intelBlockingSetDevPasid(ctx: CallContext, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null): 0 {
  for (const rid of master.streams) tearDownPasidEntry(ctx, rid, pasid, `intel_pasid_tear_down_entry: PASID ${pasid} of ${bdfOf(rid)} (${dev.name}) detached from ${old ?? 'nothing'}`);
  leaveDomain(ctx, findDomain(ctx.linux, old), master, pasid);
  if (master.usedSsids > 0) master.usedSsids--;
  return 0;
}
