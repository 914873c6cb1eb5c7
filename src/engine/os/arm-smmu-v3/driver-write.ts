/**
 * How the arm-smmu-v3 driver changes a live STE or CD for the Linux core:
 * arm_smmu_install_ste_for_dev (each StreamID of the master in turn, then
 * CMD_PREFETCH_CONFIG), arm_smmu_write_cd_entry and arm_smmu_clear_cd, all
 * through the used-bits writer (updateSte / updateCd). After every store and
 * every sync the transition gets a checkpoint, and the entry the SMMU could
 * fetch right then is checked to be the old one, the new one or invalid.
 */
import type { MemoryWrite } from '../../events.ts';
import { CD_BYTES, CD_FIELDS } from '../../hw/smmu/cd-fields.ts';
import { decodeFields, type Words } from '../../hw/smmu/fields.ts';
import { STE_CONFIG, STE_FIELDS } from '../../hw/smmu/ste-fields.ts';
import { readQwords } from '../../hw/smmu/stream-table.ts';
import { classifyIntermediate, type UsedBitsFn, type SafeBitsFn } from '../../hw/smmu/update/index.ts';
import { cdUsedBits, steUpdateSafeBits, steUsedBits } from '../../hw/smmu/update/used-bits.ts';
import type { CallContext } from '../core/context.ts';
import type { ArmSmmuMaster } from '../core/types.ts';
import { issueCommands } from './cmdq.ts';
import { steAddressFor } from './structures.ts';
import { updateCd, updateSte, type ExecutedStep } from './update-entry.ts';

const ZERO_ENTRY: readonly bigint[] = new Array<bigint>(8).fill(0n);

function observer(ctx: CallContext, what: string, address: bigint, before: Words, target: Words, used: UsedBitsFn, safe: SafeBitsFn | null, device: string) {
  return (step: ExecutedStep) => {
    if (step.kind === 'write') {
      const now = readQwords(ctx.smmu.mem, address, 8) ?? ZERO_ENTRY;
      if (classifyIntermediate(now, before, target, used, safe) === 'mixed') {
        ctx.finding({ rule: 'mixed-entry', message: `${what} of ${device} after the store to qword ${step.qword} is neither the old entry, the new one nor invalid`, device });
      }
      ctx.transition.point(`${device}: ${what} qword ${step.qword} stored`);
    } else {
      ctx.transition.point(`${device}: ${what} synced (${step.consumed.map((c) => c.command?.op ?? '?').join(', ')})`);
    }
  };
}

/** arm_smmu_install_ste_for_dev: the same target STE for every StreamID of the master, one after the other. */
export function installSteForDev(ctx: CallContext, master: ArmSmmuMaster, target: readonly bigint[], why: string): void {
  const fields = decodeFields(target, STE_FIELDS);
  master.cdTableInSte = Number(fields.V) === 1 && Number(fields.Config) === STE_CONFIG.s1;
  for (const sid of master.streams) {
    const setup: MemoryWrite[] = [];
    const address = steAddressFor(ctx.smmu, ctx.s.allocator, sid, setup);
    const before = readQwords(ctx.smmu.mem, address, 8) ?? ZERO_ENTRY;
    const update = updateSte(ctx.smmu, ctx.s.allocator, sid, fields, {
      onStep: observer(ctx, `STE 0x${sid.toString(16)}`, address, before, target, steUsedBits, steUpdateSafeBits, master.device),
    });
    ctx.hw.push({ kind: 'ste', device: master.device, sid, why, update });
    // "It's likely that we'll want to use the new STE soon."
    ctx.commands(`CMD_PREFETCH_CONFIG for StreamID ${sid}`, issueCommands(ctx.smmu, [{ op: 'CMD_PREFETCH_CONFIG', fields: { StreamID: BigInt(sid) } }]));
  }
}

/** arm_smmu_write_cd_entry into the master's (linear) CD table; CMD_CFGI_CD goes to every StreamID of the master. */
export function writeCdEntry(ctx: CallContext, master: ArmSmmuMaster, ssid: number, target: readonly bigint[], why: string): void {
  const table = master.cdTable;
  if (!table) throw new Error(`model bug: ${master.device} has no CD table`);
  const address = table.address + BigInt(ssid * CD_BYTES);
  const before = readQwords(ctx.smmu.mem, address, 8) ?? ZERO_ENTRY;
  const update = updateCd(ctx.smmu, ctx.s.allocator, master.streams[0] as number, ssid, decodeFields(target, CD_FIELDS), table.address, {
    streams: master.streams,
    onStep: observer(ctx, `CD ${ssid}`, address, before, target, cdUsedBits, null, master.device),
  });
  const wasValid = (before[0] ?? 0n) & 1n;
  const isValid = (target[0] ?? 0n) & 1n;
  // used_ssids: PASIDs in use, i.e. valid CDs other than the RID's.
  if (ssid !== 0 && wasValid !== isValid) master.usedSsids += isValid ? 1 : -1;
  ctx.hw.push({ kind: 'cd', device: master.device, sid: master.streams[0] as number, ssid, why, update });
}

/** arm_smmu_clear_cd: an all-zero CD (V = 0), if the master has a CD table at all. */
export function clearCd(ctx: CallContext, master: ArmSmmuMaster, ssid: number, why: string): void {
  if (!master.cdTable) return;
  writeCdEntry(ctx, master, ssid, ZERO_ENTRY, why);
}
