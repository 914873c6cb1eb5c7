/**
 * arm_smmu_probe_device / arm_smmu_insert_master: a master per device, one
 * stream per StreamID of its fwspec (the firmware puts there every DMA alias
 * of the device, with SID = RID). Each StreamID's L2 stream table is made on
 * first use with every STE set to abort (arm_smmu_init_l2_strtab and
 * arm_smmu_init_initial_stes), so a stream blocks until its first attach.
 * A StreamID another master owns is refused: "Aliasing StreamID unsupported,
 * expect DMA to be broken", -ENODEV.
 */
import type { MemoryWrite } from '../../events.ts';
import { encodeFields } from '../../hw/smmu/fields.ts';
import { STE_BYTES, STE_CONFIG, STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import type { CallContext } from '../core/context.ts';
import type { ArmSmmuMaster, Errno, PciDevice } from '../core/types.ts';
import { storeQwords } from './cmdq.ts';
import { armSmmuEnablePasid, armSmmuPrepareAts } from './driver-ats.ts';
import { steAddressFor } from './structures.ts';

/** CTXDESC_LINEAR_CDMAX: a linear CD table holds at most 2^10 CDs (64 KB); 2-level CD tables are the PASID layer's to add. */
export const LINEAR_CDMAX = 10;

function ensureStreamTableEntry(ctx: CallContext, sid: number): void {
  const t = ctx.smmu.streamTable;
  const setup: MemoryWrite[] = [];
  const address = steAddressFor(ctx.smmu, ctx.s.allocator, sid, setup);
  if (setup.length === 0) return;
  const entries = 2 ** t.split;
  const first = sid - (sid % entries);
  const l2 = address - BigInt((sid % entries) * STE_BYTES);
  ctx.hw.push({ kind: 'alloc', what: `L2 stream table for StreamIDs ${first}..${first + entries - 1}`, address: l2, bytes: BigInt(entries * STE_BYTES) });
  ctx.hw.push({ kind: 'memory', why: 'arm_smmu_init_l2_strtab: a new L2 stream table and its L1 descriptor', writes: setup });
  // arm_smmu_init_initial_stes: every STE of the new table aborts (zeroed memory would be V = 0, C_BAD_STE).
  const abort = encodeFields({ V: 1n, Config: BigInt(STE_CONFIG.abort) }, STE_FIELDS, 1)[0] as bigint;
  const writes: MemoryWrite[] = [];
  for (let i = 0; i < entries; i++) {
    const a = l2 + BigInt(i * STE_BYTES);
    if (((ctx.smmu.mem.read64(a) ?? 0n) & 1n) === 0n) storeQwords(ctx.smmu.mem, a, [abort], `STE ${first + i}: abort (arm_smmu_init_initial_stes)`, writes);
  }
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: 'arm_smmu_init_initial_stes: every STE of the new L2 table aborts', writes });
}

export function sidInRange(ctx: CallContext, sid: number): boolean {
  const t = ctx.smmu.streamTable;
  return Number.isInteger(sid) && sid >= 0 && sid < 2 ** Math.min(t.log2size, ctx.smmu.features.sidBits);
}

export function armSmmuProbeDevice(ctx: CallContext, dev: PciDevice, streamIds: readonly number[]): ArmSmmuMaster | Errno {
  const streams = streamIds.filter((sid, i) => streamIds.indexOf(sid) === i);
  for (const sid of streams) {
    if (!sidInRange(ctx, sid)) {
      ctx.warn(`${dev.name}: StreamID 0x${sid.toString(16)} is beyond the stream table (arm_smmu_sid_in_range), -ERANGE`);
      return 'ERANGE';
    }
    const owner = ctx.linux.masters.find((m) => m.streams.includes(sid));
    if (owner) {
      ctx.finding({
        rule: 'aliasing-streamid', device: dev.name, sid,
        message: `${dev.name}: Aliasing StreamID 0x${sid.toString(16)} (from ${owner.device}) unsupported, expect DMA to be broken. The probe fails with -ENODEV; ${dev.name}'s DMA still carries that StreamID and is translated by ${owner.device}'s domain`,
      });
      return 'ENODEV';
    }
  }
  for (const sid of streams) ensureStreamTableEntry(ctx, sid);
  const f = ctx.smmu.features;
  // PASID is enabled now, before ATS ever can be (PCIe: PASID Enable must not change while ATS is enabled).
  const ssidBits = Math.min(armSmmuEnablePasid(ctx, dev), f.ssidBits, LINEAR_CDMAX);
  const master: ArmSmmuMaster = { device: dev.name, streams, ssidBits, cdTable: null, cdTableInSte: false, usedSsids: 0, atsEnabled: false, ridDomain: null, vmaster: null };
  ctx.linux.masters.push(master);
  armSmmuPrepareAts(ctx, dev);
  return master;
}

/** arm_smmu_alloc_cd_tables (linear): 2^ssid_bits CDs, allocated on the first stage-1 attach. */
export function allocCdTable(ctx: CallContext, master: ArmSmmuMaster): 0 | 'ENOMEM' {
  if (master.cdTable) return 0;
  const bytes = BigInt(CD_ENTRY_BYTES << master.ssidBits);
  const address = ctx.alloc(`CD table of ${master.device} (${2 ** master.ssidBits} CD${master.ssidBits ? 's' : ''})`, bytes);
  if (address === 'ENOMEM') return 'ENOMEM';
  master.cdTable = { address, bytes, s1cdmax: master.ssidBits };
  return 0;
}

const CD_ENTRY_BYTES = 64;
