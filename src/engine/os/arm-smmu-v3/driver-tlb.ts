/**
 * TLB maintenance for paging domains, as arm-smmu-v3 issues it.
 * - After an unmap (arm_smmu_iotlb_sync -> arm_smmu_tlb_inv_range_domain):
 *   one CMD_TLBI_NH_VA (stage 1: the domain's ASID, VMID 0, Leaf) or
 *   CMD_TLBI_S2_IPA (stage 2: its VMID) per unmapped leaf, as without
 *   FEAT_RANGE_INV; a nesting parent adds CMD_TLBI_NH_ALL for the combined
 *   entries. Commands go in batches of CMDQ_BATCH_ENTRIES, the last one
 *   closed by CMD_SYNC.
 * - The whole context (arm_smmu_tlb_inv_context, flush_iotlb_all, and before
 *   a domain's tables are freed): CMD_TLBI_NH_ASID or CMD_TLBI_S12_VMALL.
 * Both are followed by CMD_ATC_INV for the domain's ATS masters (driver-ats.ts).
 */
import type { MappedEntry } from '../../hw/pgtable/io-pgtable.ts';
import type { CallContext } from '../core/context.ts';
import type { IommuDomain } from '../core/types.ts';
import { issueCommands, type CommandRequest } from './cmdq.ts';
import { atcInvDomain } from './driver-ats.ts';

/** CMDQ_BATCH_ENTRIES. */
export const CMDQ_BATCH_ENTRIES = 64;

function issueBatched(ctx: CallContext, why: string, commands: readonly CommandRequest[]): void {
  for (let i = 0; i < commands.length; i += CMDQ_BATCH_ENTRIES) {
    const batch = commands.slice(i, i + CMDQ_BATCH_ENTRIES);
    const last = i + CMDQ_BATCH_ENTRIES >= commands.length;
    ctx.commands(why, issueCommands(ctx.smmu, last ? [...batch, { op: 'CMD_SYNC' }] : batch));
  }
}

export function invalidateUnmapped(ctx: CallContext, d: IommuDomain, entries: readonly MappedEntry[]): void {
  const sd = d.smmu;
  if (!sd || entries.length === 0) return;
  const cmds: CommandRequest[] = sd.stage === 1
    ? entries.map((e) => ({ op: 'CMD_TLBI_NH_VA', fields: { VMID: 0n, ASID: BigInt(sd.asid ?? 0), Leaf: 1n, Address: e.iova } }))
    : entries.map((e) => ({ op: 'CMD_TLBI_S2_IPA', fields: { VMID: BigInt(sd.vmid ?? 0), Leaf: 1n, Address: e.iova } }));
  if (sd.stage === 2 && sd.nestParent) cmds.push({ op: 'CMD_TLBI_NH_ALL', fields: { VMID: BigInt(sd.vmid ?? 0) } });
  issueBatched(ctx, `arm_smmu_iotlb_sync: invalidate what iommu_unmap cleared in ${d.name}`, cmds);
  const start = entries.reduce((a, e) => (e.iova < a ? e.iova : a), entries[0]?.iova ?? 0n);
  const end = entries.reduce((a, e) => (e.iova + e.size > a ? e.iova + e.size : a), 0n);
  atcInvDomain(ctx, d, start, end - start);
}

export function flushDomainTlb(ctx: CallContext, d: IommuDomain, why: string): void {
  const sd = d.smmu;
  if (!sd?.finalised) return;
  const cmd: CommandRequest = sd.stage === 1
    ? { op: 'CMD_TLBI_NH_ASID', fields: { VMID: 0n, ASID: BigInt(sd.asid ?? 0) } }
    : { op: 'CMD_TLBI_S12_VMALL', fields: { VMID: BigInt(sd.vmid ?? 0) } };
  issueBatched(ctx, why, [cmd]);
  atcInvDomain(ctx, d, 0n, 0n);
}
