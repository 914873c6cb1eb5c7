/**
 * Process address spaces, as model operations (what the CPU side of Linux
 * does, not IOMMU API calls): mm_alloc makes an mm with its own page table
 * in simulated memory (a stage-1 VMSAv8-64 table, 4 KB granule, 48-bit VAs,
 * built by the engine's io-pgtable as the CPU's would be); mm_map and
 * mm_unmap change it as page faults and munmap do; mm_exit is exit_mmap.
 * - Mapping needs no invalidation (nothing cached an invalid PTE).
 * - Unmapping is followed by the CPU's TLB flush, whose
 *   mmu_notifier_arch_invalidate_secondary_tlbs reaches every SVA domain
 *   of the mm (arm-smmu-v3: CMD_TLBI_NH_VA with the domain's ASID).
 * - Exit runs mmu_notifier_release first (the quiet CDs), then tears the
 *   mappings and lower tables down. mm_count keeps the mm_struct, its pgd and
 *   its PASID until the last SVA domain that grabbed it is freed.
 */
import type { Prot } from '../../commands.ts';
import type { MemoryWrite } from '../../events.ts';
import { addStage1 } from '../../handlers/pgtable.ts';
import { descriptorType } from '../../hw/pgtable/descriptor.ts';
import { descriptorAddress } from '../../hw/pgtable/geometry.ts';
import type { IoPgtable, TableRef } from '../../hw/pgtable/io-pgtable.ts';
import { STAGE1_DEFAULTS } from '../../hw/pgtable/regime.ts';
import { EngineError } from '../../util/assert.ts';
import type { CallContext } from './context.ts';
import { CPU_ASID_BITS, CPU_PA_BITS, CPU_PARANGE, CPU_VA_BITS, PAGE_SIZE } from './cpu.ts';
import { freeGlobalPasid } from './global-pasid.ts';
import { addToRecord, overlapsRecord, pagesIn, removeFromRecord } from './mm-record.ts';
import { findDomain } from './state.ts';
import { mmNamed, svaState } from './sva-state.ts';
import type { Mm } from './sva-types.ts';
import type { Ret } from './types.ts';

/** The most one mm_map may map, page by page (a model limit, to keep the event log readable). */
export const MM_MAP_MAX = 0x100_0000n;

const hex = (v: bigint) => `0x${v.toString(16)}`;

function liveMm(ctx: CallContext, name: string): Mm {
  const mm = mmNamed(ctx.linux, name);
  if (!mm.alive) throw new EngineError(`${name} has exited: its address space is gone (only the mm_struct is left, held by an SVA domain)`, 'mm');
  return mm;
}

function pgtableOf(ctx: CallContext, mm: Mm): IoPgtable {
  const t = ctx.s.tables.get(mm.pgtable);
  if (!t) throw new Error(`model bug: ${mm.name} has no page table`);
  return t.pgtable;
}

/** mm_alloc + the first exec: a new process with an empty pgd and a CPU ASID. */
export function mmAlloc(ctx: CallContext, name: string): Ret {
  if (name === '') throw new EngineError('an mm needs a name', 'name');
  const sva = svaState(ctx.linux);
  if (sva.mms.some((m) => m.name === name)) throw new EngineError(`there is already an mm named "${name}"`, 'name');
  const table = `${name}.pgd`;
  if (ctx.s.tables.has(table) || ctx.linux.domains.some((d) => d.name === table)) throw new EngineError(`"${table}" is already the name of a page table or domain`, 'name');
  const used = new Set(sva.mms.map((m) => m.cpuAsid));
  let cpuAsid = 1;
  while (used.has(cpuAsid)) cpuAsid++;
  if (cpuAsid >= 2 ** CPU_ASID_BITS) throw new EngineError('the CPU has no free ASID (the model does not roll over generations)', 'name');
  const pgd = ctx.alloc(`pgd of ${name} (the CPU's level-0 table)`, PAGE_SIZE);
  if (pgd === 'ENOMEM') return 'ENOMEM';
  addStage1(ctx.s, table, { ...STAGE1_DEFAULTS, TTB0: pgd, T0SZ: 64 - CPU_VA_BITS, TG0: 0, IPS: CPU_PARANGE, EPD1: true });
  sva.mms.push({ name, pgtable: table, pgd, cpuAsid, alive: true, mmCount: 1, iommuMm: null, mappings: [] });
  return 0;
}

/** The CPU maps pages (a page fault, or mmap with MAP_POPULATE), one 4 KB PTE each. */
export function mmMap(ctx: CallContext, name: string, va: bigint, paddr: bigint, size: bigint, prot: Prot): Ret {
  const mm = liveMm(ctx, name);
  if (((va | paddr | size) & (PAGE_SIZE - 1n)) !== 0n || size === 0n) return 'EINVAL';
  if (size > MM_MAP_MAX) throw new EngineError(`mm_map maps at most ${hex(MM_MAP_MAX)} bytes at a time (page by page)`, 'size');
  if (va + size > 1n << BigInt(CPU_VA_BITS)) return 'ENOMEM';
  if (paddr + size > 1n << BigInt(CPU_PA_BITS) || (!prot.read && !prot.write)) return 'EINVAL';
  // MAP_FIXED_NOREPLACE: the model does not replace a live PTE (that would need break-before-make and a flush).
  if (overlapsRecord(mm.mappings, va, size)) return 'EEXIST';
  const pt = pgtableOf(ctx, mm);
  const writes: MemoryWrite[] = [];
  const tables: TableRef[] = [];
  let done = 0n;
  try {
    for (; done < size; done += PAGE_SIZE) {
      const r = pt.map(va + done, paddr + done, PAGE_SIZE, prot);
      writes.push(...r.writes);
      tables.push(...r.tables);
    }
  } catch (e) {
    if (!(e instanceof EngineError && e.message.startsWith('ENOMEM'))) throw e;
    for (let off = 0n; off < done; off += PAGE_SIZE) writes.push(...pt.unmap(va + off, PAGE_SIZE).writes);
    ctx.hw.push({ kind: 'memory', why: `CPU: ${name} ran out of page-table memory; what was mapped is undone`, writes });
    return 'ENOMEM';
  }
  for (const t of tables) ctx.hw.push({ kind: 'alloc', what: `level ${t.level} table of ${name}`, address: t.address, bytes: PAGE_SIZE });
  ctx.hw.push({ kind: 'memory', why: `CPU: ${name} maps ${hex(va)}..${hex(va + size)} -> ${hex(paddr)} (${size / PAGE_SIZE} PTEs); a PTE that was invalid needs no invalidation`, writes });
  mm.mappings = addToRecord(mm.mappings, { iova: va, paddr, size, prot });
  return 0;
}

/** flush_tlb_range's secondary-TLB hook: every SVA domain of the mm hears about [start, end). */
function notifySecondaryTlbs(ctx: CallContext, mm: Mm, start: bigint, end: bigint, invalidate: boolean): void {
  for (const name of mm.iommuMm?.svaDomains ?? []) {
    const d = findDomain(ctx.linux, name);
    if (!d) continue;
    if (!invalidate) {
      ctx.warn(`model switch: mmu_notifier_arch_invalidate_secondary_tlbs skipped for ${name}; the SMMU may keep translations of ${hex(start)}..${hex(end)}`);
      continue;
    }
    ctx.ops.mmInvalidate(ctx, d, start, end);
  }
}

/** munmap: the PTEs are cleared, then the CPU's TLB flush runs the mmu notifier for the range it cleared. */
export function mmUnmap(ctx: CallContext, name: string, va: bigint, size: bigint, invalidate = true): Ret {
  const mm = liveMm(ctx, name);
  if (((va | size) & (PAGE_SIZE - 1n)) !== 0n || size === 0n || va + size > 1n << BigInt(CPU_VA_BITS)) return 'EINVAL';
  const pages = pagesIn(mm.mappings, va, size, PAGE_SIZE);
  if (pages.length === 0) return 0;
  const pt = pgtableOf(ctx, mm);
  const writes = pages.flatMap((p) => pt.unmap(p, PAGE_SIZE).writes);
  ctx.hw.push({ kind: 'memory', why: `CPU: ${name} unmaps ${hex(va)}..${hex(va + size)} (${pages.length} PTEs cleared)`, writes });
  mm.mappings = removeFromRecord(mm.mappings, va, size);
  // The mmu_gather covers the cleared PTEs only: from the first to the end of the last.
  notifySecondaryTlbs(ctx, mm, pages[0] as bigint, (pages.at(-1) as bigint) + PAGE_SIZE, invalidate);
  return 0;
}

/** free_pgtables: every table below the pgd is given back and the pgd entries cleared; the pgd itself waits for mmdrop. */
function freeLowerTables(ctx: CallContext, mm: Mm): void {
  const pt = pgtableOf(ctx, mm);
  const g = pt.g;
  const writes: MemoryWrite[] = [];
  const free = (table: bigint, level: number) => {
    if (level < 3) {
      for (let i = 0; i < 512; i++) {
        const desc = ctx.s.mem.read64(table + BigInt(i * 8)) ?? 0n;
        if (descriptorType(desc, g, level) === 'table') free(descriptorAddress(desc, g, g.granuleShift), level + 1);
      }
    }
    ctx.release(`level ${level} table of ${mm.name}`, table, PAGE_SIZE);
  };
  for (let i = 0; i < 512; i++) {
    const slot = mm.pgd + BigInt(i * 8);
    const desc = ctx.s.mem.read64(slot) ?? 0n;
    if (descriptorType(desc, g, g.startLevel) !== 'table') continue;
    free(descriptorAddress(desc, g, g.granuleShift), g.startLevel + 1);
    ctx.s.mem.write64(slot, 0n);
    writes.push({ address: slot, size: 8, old: desc, value: 0n, what: `pgd entry ${i} of ${mm.name} cleared` });
  }
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: `free_pgtables: ${mm.name}'s lower tables are freed`, writes });
}

/** mmdrop: at mm_count 0 (__mmdrop) the pgd is freed and mm_pasid_drop gives the PASID back. */
export function mmdrop(ctx: CallContext, mm: Mm): void {
  mm.mmCount--;
  if (mm.mmCount > 0) return;
  ctx.release(`pgd of ${mm.name}`, mm.pgd, PAGE_SIZE);
  ctx.s.tables.delete(mm.pgtable);
  if (mm.iommuMm) freeGlobalPasid(ctx.linux, mm.iommuMm.pasid);
  const sva = svaState(ctx.linux);
  sva.mms = sva.mms.filter((m) => m !== mm);
}

/** exit_mmap at process exit, then the process's own mmdrop. */
export function mmExit(ctx: CallContext, name: string): Ret {
  const mm = liveMm(ctx, name);
  // mmu_notifier_release comes first: devices may still be doing DMA into this address space.
  for (const d of mm.iommuMm?.svaDomains ?? []) {
    const domain = findDomain(ctx.linux, d);
    if (domain) ctx.ops.mmRelease(ctx, domain);
  }
  const pt = pgtableOf(ctx, mm);
  const pages = pagesIn(mm.mappings, 0n, 1n << BigInt(CPU_VA_BITS), PAGE_SIZE);
  const writes = pages.flatMap((p) => pt.unmap(p, PAGE_SIZE).writes);
  if (writes.length > 0) ctx.hw.push({ kind: 'memory', why: `exit_mmap: ${name}'s ${pages.length} PTEs are zapped`, writes });
  freeLowerTables(ctx, mm);
  mm.mappings = [];
  mm.alive = false;
  mmdrop(ctx, mm);
  return 0;
}
