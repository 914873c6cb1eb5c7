/**
 * arm-smmu-v3 paging domains: arm_smmu_domain_finalise (an io-pgtable, and
 * an ASID from arm_smmu_asid_xa for stage 1 or a VMID for stage 2; no
 * hardware write) and arm_smmu_domain_free_paging (free_io_pgtable_ops
 * invalidates the whole context first: TLBI_NH_ASID or TLBI_S12_VMALL, then
 * the tables and the ASID/VMID are given back).
 */
import { addStage1, addStage2 } from '../../handlers/pgtable.ts';
import { descriptorType } from '../../hw/pgtable/descriptor.ts';
import { descriptorAddress, type Geometry } from '../../hw/pgtable/geometry.ts';
import { STAGE1_DEFAULTS } from '../../hw/pgtable/regime.ts';
import { startTableBytes } from '../../hw/pgtable/tables.ts';
import type { PgtableEntry } from '../../state.ts';
import type { CallContext } from '../core/context.ts';
import type { Errno, IommuDomain } from '../core/types.ts';
import { flushDomainTlb } from './driver-tlb.ts';

/** 4K | 2M | 1G: what io-pgtable-arm supports with a 4 KB granule. */
export const PGSIZE_BITMAP_4K = 0x4020_1000n;
/** io-pgtable-arm's MAIR: index 0 Normal NC, 1 Normal WBRWA (what leaves use), 2 Device-nGnRE, 3 inner NC / outer WBRWA. */
export const IO_PGTABLE_MAIR = 0xf404_ff44n;
/** Stage-1 input size: min(48, VA_BITS) (no FEAT_VAX). */
export const S1_IAS = 48;

const OAS_TO_PS: Readonly<Record<number, number>> = { 32: 0, 36: 1, 40: 2, 42: 3, 44: 4, 48: 5, 52: 6 };

export function oasPs(ctx: CallContext): number {
  return OAS_TO_PS[ctx.smmu.features.oasBits] ?? 5;
}

/** Lowest free value in [1, max]: xa_alloc on arm_smmu_asid_xa, ida_alloc_range on the VMID map. */
function lowestFree(used: readonly number[], max: number): number | undefined {
  for (let v = 1; v <= max; v++) if (!used.includes(v)) return v;
  return undefined;
}

/** An io-pgtable-arm stage-2 shape for an IPA size: 4 KB granule, concatenating at the top when that saves a level. */
export function s2Shape(ias: number): { S2T0SZ: number; S2SL0: number } {
  const levels = Math.ceil((ias - 12) / 9);
  let start = 4 - levels;
  let pgdBits = ias - (12 + 9 * (3 - start));
  if (start === 0 && 2 ** pgdBits <= 16) { start = 1; pgdBits += 9; }
  return { S2T0SZ: 64 - ias, S2SL0: 2 - start };
}

export function armSmmuDomainFinalise(ctx: CallContext, d: IommuDomain): 0 | Errno {
  const sd = d.smmu;
  if (!sd) throw new Error(`model bug: ${d.name} is not a paging domain`);
  const f = ctx.smmu.features;
  const { linux, s } = ctx;
  if (sd.stage === 1) {
    const asid = lowestFree(linux.asids, 2 ** (f.asid16 ? 16 : 8) - 1);
    if (asid === undefined) return 'EBUSY';
    const root = ctx.alloc(`io-pgtable root of ${d.name}`, 4096n);
    if (root === 'ENOMEM') return 'ENOMEM';
    addStage1(s, d.name, { ...STAGE1_DEFAULTS, TTB0: root, T0SZ: 64 - S1_IAS, TG0: 0, IPS: oasPs(ctx), EPD1: true });
    linux.asids.push(asid);
    linux.asids.sort((a, b) => a - b);
    sd.asid = asid;
    sd.pgtableRoot = root;
    d.geometry = { apertureStart: 0n, apertureEnd: (1n << BigInt(S1_IAS)) - 1n, forceAperture: true };
  } else {
    const vmid = lowestFree(linux.vmids, 2 ** (f.vmid16 ? 16 : 8) - 1);
    if (vmid === undefined) return 'ENOSPC';
    const shape = s2Shape(f.oasBits);
    const startBits = f.oasBits - (12 + 9 * (3 - (2 - shape.S2SL0)));
    const root = ctx.alloc(`stage-2 io-pgtable root of ${d.name}`, startTableBytes(startBits) > 4096n ? startTableBytes(startBits) : 4096n);
    if (root === 'ENOMEM') return 'ENOMEM';
    addStage2(s, d.name, { S2TTB: root, ...shape, S2TG: 0, S2PS: oasPs(ctx), S2AFFD: false });
    linux.vmids.push(vmid);
    linux.vmids.sort((a, b) => a - b);
    sd.vmid = vmid;
    sd.pgtableRoot = root;
    d.geometry = { apertureStart: 0n, apertureEnd: (1n << BigInt(f.oasBits)) - 1n, forceAperture: true };
  }
  sd.pgtable = d.name;
  sd.finalised = true;
  d.pgsizeBitmap = PGSIZE_BITMAP_4K;
  return 0;
}

/** Every table page of an io-pgtable, the root first. */
function tablePages(ctx: CallContext, e: PgtableEntry): { address: bigint; bytes: bigint }[] {
  const p = e.pgtable;
  const g: Geometry = p.g;
  const out: { address: bigint; bytes: bigint }[] = [];
  const visit = (table: bigint, level: number, bits: number, bytes: bigint) => {
    out.push({ address: table, bytes });
    if (level >= 3) return;
    for (let i = 0; i < 2 ** bits; i++) {
      const desc = ctx.smmu.mem.read64(table + BigInt(i * 8)) ?? 0n;
      if (descriptorType(desc, g, level) === 'table') visit(descriptorAddress(desc, g, g.granuleShift), level + 1, g.stride, BigInt(g.granule));
    }
  };
  const rootBytes = startTableBytes(p.shape.startBits) > BigInt(g.granule) ? startTableBytes(p.shape.startBits) : BigInt(g.granule);
  visit(p.root, g.startLevel, p.shape.startBits, rootBytes);
  return out;
}

export function armSmmuDomainFreePaging(ctx: CallContext, d: IommuDomain): void {
  const sd = d.smmu;
  if (!sd?.finalised || sd.pgtable === null) return;
  flushDomainTlb(ctx, d, `free_io_pgtable_ops: invalidate everything of ${d.name} before its tables go`);
  const entry = ctx.s.tables.get(sd.pgtable);
  if (entry) {
    for (const page of tablePages(ctx, entry)) ctx.release(`io-pgtable table of ${d.name}`, page.address, page.bytes);
    ctx.s.tables.delete(sd.pgtable);
  }
  if (sd.asid !== null) ctx.linux.asids = ctx.linux.asids.filter((a) => a !== sd.asid);
  if (sd.vmid !== null) ctx.linux.vmids = ctx.linux.vmids.filter((v) => v !== sd.vmid);
}
