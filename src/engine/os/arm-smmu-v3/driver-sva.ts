/**
 * arm-smmu-v3-sva.c as of v6.10+ (read at v6.16): an SVA domain is a
 * stage-1 arm_smmu_domain with its own ASID from arm_smmu_asid_xa (not the
 * CPU's: the CD has ASET = 1) and an mmu_notifier on the mm.
 * - set_dev_pasid: arm_smmu_make_sva_cd (TTB0 = the mm's pgd) through
 *   arm_smmu_set_pasid.
 * - the notifier's arch_invalidate_secondary_tlbs: after the CPU changed its
 *   page tables, CMD_TLBI_NH_VA (this ASID, Leaf = 0) per page, or
 *   CMD_TLBI_NH_ASID from CMDQ_MAX_TLBI_OPS pages on (no RANGE_INV here),
 *   CMD_SYNC, then the ATC of every ATS master.
 * - the notifier's release (the process exits): every CD of the domain
 *   becomes the quiet CD (V = 1, EPD0 = 1: every walk faults, silently),
 *   then CMD_TLBI_NH_ASID and the ATCs.
 * - free: CMD_TLBI_NH_ASID, then the ASID is given back.
 */
import { makeSvaCd } from '../../hw/smmu/update/index.ts';
import type { CallContext } from '../core/context.ts';
import { CMDQ_MAX_TLBI_OPS, CPU_ASID_BITS, CPU_PA_BITS, CPU_PARANGE, CPU_VA_BITS, MAIR_EL1, PAGE_SIZE } from '../core/cpu.ts';
import { BLOCKED_DOMAIN } from '../core/domain-alloc.ts';
import { groupById, masterOf } from '../core/state.ts';
import type { Mm } from '../core/sva-types.ts';
import type { ArmSmmuMaster, Errno, IommuDomain, PciDevice } from '../core/types.ts';
import { issueCommands, type CommandRequest } from './cmdq.ts';
import { atcInvDomain } from './driver-ats.ts';
import { armSmmuSetPasid } from './driver-pasid.ts';
import { flushDomainTlb, CMDQ_BATCH_ENTRIES } from './driver-tlb.ts';
import { writeCdEntry } from './driver-write.ts';

/**
 * arm_smmu_sva_supported, which sets ARM_SMMU_FEAT_SVA at probe: the SMMU
 * must walk the CPU's tables (4 KB granule at stage 1, an OAS no smaller
 * than the CPU's PA size) with ASIDs as wide as the CPU's. Coherency is
 * assumed (the model has no non-coherent SMMU).
 */
export function armSmmuSvaSupported(ctx: CallContext): boolean {
  const f = ctx.smmu.features;
  return f.stage1 && f.granules.g4k && f.oasBits >= CPU_PA_BITS && (f.asid16 ? 16 : 8) >= CPU_ASID_BITS;
}

function svaCd(d: IommuDomain, mm: Mm | null): readonly bigint[] {
  return makeSvaCd({ asid: d.smmu?.asid ?? 0, ttb0: mm ? mm.pgd : null, T0SZ: 64 - CPU_VA_BITS, TG0: 0, IPS: CPU_PARANGE, mair: MAIR_EL1 });
}

/** arm_smmu_sva_domain_alloc: a new SVA domain for `mm`, with its own ASID (lowest free, as xa_alloc gives it). */
export function armSmmuSvaDomainAlloc(ctx: CallContext, name: string, mm: Mm): IommuDomain | Errno {
  if (!armSmmuSvaSupported(ctx)) return 'EOPNOTSUPP';
  const max = 2 ** (ctx.smmu.features.asid16 ? 16 : 8) - 1;
  const used = new Set(ctx.linux.asids);
  let asid = 1;
  while (asid <= max && used.has(asid)) asid++;
  if (asid > max) return 'EBUSY';
  ctx.linux.asids = [...ctx.linux.asids, asid].sort((a, b) => a - b);
  return {
    name, type: 'SVA', ops: ['set_dev_pasid', 'free'], isStatic: false, owner: 'arm-smmu-v3',
    // "Choose page_size as the leaf page size for invalidation".
    pgsizeBitmap: PAGE_SIZE, geometry: null, cookie: 'sva', nested: null, mappings: [],
    // No io-pgtable of its own: the table named here is the mm's, so views can show what the SMMU walks.
    smmu: { stage: 1, finalised: true, asid, vmid: null, pgtable: mm.pgtable, pgtableRoot: mm.pgd, nestParent: false, devices: [] },
    sva: { mm: mm.name, users: 0 },
  };
}

/** arm_smmu_sva_set_dev_pasid. `mm` is null when the process has exited (mmget_not_zero fails). */
export function armSmmuSvaSetDevPasid(ctx: CallContext, d: IommuDomain, dev: PciDevice, master: ArmSmmuMaster, pasid: number, old: string | null, mm: Mm | null): 0 | Errno {
  if (!armSmmuSvaSupported(ctx)) return 'EOPNOTSUPP';
  if (!mm) {
    ctx.warn(`arm_smmu_sva_set_dev_pasid: ${d.sva?.mm ?? 'the mm'} has exited (mmget_not_zero failed), -EINVAL`);
    return 'EINVAL';
  }
  return armSmmuSetPasid(ctx, d, dev, master, pasid, svaCd(d, mm), old, `arm_smmu_make_sva_cd: CD ${pasid} of ${dev.name} -> ${mm.name}'s page table at 0x${mm.pgd.toString(16)} (ASID ${d.smmu?.asid}, ASET = 1)`);
}

function issueBatched(ctx: CallContext, why: string, commands: readonly CommandRequest[]): void {
  for (let i = 0; i < commands.length; i += CMDQ_BATCH_ENTRIES) {
    const batch = commands.slice(i, i + CMDQ_BATCH_ENTRIES);
    ctx.commands(why, issueCommands(ctx.smmu, i + CMDQ_BATCH_ENTRIES >= commands.length ? [...batch, { op: 'CMD_SYNC' }] : batch));
  }
}

/** arm_smmu_mm_arch_invalidate_secondary_tlbs: the CPU changed [start, end) of the mm's tables. */
export function armSmmuMmInvalidateSecondaryTlbs(ctx: CallContext, d: IommuDomain, start: bigint, end: bigint): void {
  const asid = BigInt(d.smmu?.asid ?? 0);
  let size = end - start;
  // Without ARM_SMMU_FEAT_RANGE_INV, too many per-page commands would soft-lock the CPU: invalidate the ASID instead.
  if (size >= BigInt(CMDQ_MAX_TLBI_OPS) * PAGE_SIZE) size = 0n;
  if (size === 0n) {
    flushDomainTlb(ctx, d, `mmu notifier: 0x${start.toString(16)}..0x${end.toString(16)} is ${CMDQ_MAX_TLBI_OPS} pages or more, invalidate all of ASID ${asid} (${d.name})`);
  } else {
    const cmds: CommandRequest[] = [];
    for (let va = start; va < start + size; va += PAGE_SIZE) cmds.push({ op: 'CMD_TLBI_NH_VA', fields: { VMID: 0n, ASID: asid, Leaf: 0n, Address: va } });
    issueBatched(ctx, `mmu notifier (arm_smmu_tlb_inv_range_asid): the CPU changed 0x${start.toString(16)}..0x${end.toString(16)} of ${d.sva?.mm}, invalidate ASID ${asid} of ${d.name} page by page`, cmds);
    // (flushDomainTlb does the same for everything.)
    atcInvDomain(ctx, d, start, size);
  }
}

/** arm_smmu_mm_release: the process is exiting while devices still use its PASID. */
export function armSmmuMmRelease(ctx: CallContext, d: IommuDomain): void {
  // TLBI_NH_ASID, then the whole ATC of every ATS master for its PASID (flushDomainTlb ends with arm_smmu_atc_inv_domain).
  const invalidate = () => flushDomainTlb(ctx, d, `arm_smmu_mm_release: invalidate ASID ${d.smmu?.asid} (${d.name})`);
  const entries = [...(d.smmu?.devices ?? [])];
  let invalidated = false;
  entries.forEach(({ master: name, ssid }, i) => {
    const master = masterOf(ctx.linux, name);
    const dev = ctx.linux.devices.find((x) => x.name === name);
    if (!master || dev?.group == null) return;
    // DMA may still be running: keep the CD valid (no C_BAD_CD) but make every translation fail.
    ctx.transition.begin(groupById(ctx.linux, dev.group), d.name, BLOCKED_DOMAIN, ssid);
    try {
      writeCdEntry(ctx, master, ssid, svaCd(d, null), `arm_smmu_mm_release: CD ${ssid} of ${name} becomes the quiet CD (V = 1, EPD0 = 1, R = S = 0): ${d.sva?.mm} is exiting`);
      // Until the ASID is invalidated the IOTLB may still translate; the last device's window shows that too.
      if (i === entries.length - 1) {
        invalidate();
        invalidated = true;
        ctx.transition.point(`${d.name}: ASID ${d.smmu?.asid} invalidated, nothing of ${d.sva?.mm} is cached any more`);
      }
    } finally {
      ctx.transition.end();
    }
  });
  if (!invalidated) invalidate();
}

/** arm_smmu_sva_domain_free: the ASID must be empty in the IOTLB before anyone reuses it. */
export function armSmmuSvaDomainFree(ctx: CallContext, d: IommuDomain): void {
  flushDomainTlb(ctx, d, `arm_smmu_sva_domain_free: invalidate ASID ${d.smmu?.asid} before it is reused`);
  ctx.linux.asids = ctx.linux.asids.filter((a) => a !== d.smmu?.asid);
}
