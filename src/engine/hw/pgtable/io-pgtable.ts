/**
 * Building stage-1 tables the way Linux's io-pgtable-arm does
 * (drivers/iommu/io-pgtable-arm.c), writing real descriptors into the
 * simulated memory so the walk, the caches and the UI all read the same bits.
 *
 * - map: the range is cut into the largest sizes the granule supports that
 *   the IOVA, the PA and the remaining length allow (iommu_pgsize), so blocks
 *   are used wherever they fit. Mapping over anything already mapped is
 *   refused with EEXIST before a single entry is written.
 * - unmap: the range is cut the same way. An entry of exactly that size is
 *   cleared; a table entry whose whole span is unmapped is cleared and its
 *   table freed. Unmapping part of a block is refused (nothing unmapped), as
 *   Linux has done since it removed split-on-unmap.
 * - Empty tables left by page unmaps stay in place, as in Linux.
 */
import type { Prot } from '../../commands.ts';
import type { MemoryWrite } from '../../events.ts';
import { EngineError } from '../../util/assert.ts';
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import type { TableAllocator } from '../memory/table-allocator.ts';
import { descriptorType, encodeLeaf, encodeS2Leaf, encodeTable, type LeafAttributes } from './descriptor.ts';
import { blockAllowed, descriptorAddress, levelShift, levelSize, type Geometry } from './geometry.ts';

/** The shape io-pgtable builds: a stage-1 TTBR or a stage-2 configuration (with concatenated start tables). */
export interface PgtableShape {
  readonly stage: 1 | 2;
  readonly g: Geometry;
  /** Index bits at the start level. */
  readonly startBits: number;
}

export interface MappedEntry { readonly iova: bigint; readonly level: number; readonly size: bigint }
export interface TableRef { readonly address: bigint; readonly level: number }

export interface MapOutcome { readonly entries: MappedEntry[]; readonly writes: MemoryWrite[]; readonly tables: TableRef[] }
export interface UnmapOutcome { readonly unmapped: bigint; readonly entries: MappedEntry[]; readonly writes: MemoryWrite[]; readonly tablesFreed: TableRef[] }

export class IoPgtableError extends EngineError {
  constructor(readonly errno: 'EEXIST' | 'EINVAL' | 'ERANGE' | 'ENOMEM', message: string, field?: string) {
    super(`${errno}: ${message}`, field);
  }
}

export function protToAttributes(prot: Prot): LeafAttributes {
  return {
    read: prot.read,
    readOnly: !prot.write,
    unprivileged: !prot.priv,
    pxn: !prot.exec,
    uxn: !prot.exec,
    // Mappings are cacheable (IOMMU_CACHE): MAIR index 1 (WBRWA), inner shareable.
    attrIndx: 1,
    sh: 3,
    nG: true,
  };
}

export class IoPgtable {
  readonly g: Geometry;
  constructor(
    private readonly mem: PhysicalMemory,
    private readonly alloc: TableAllocator,
    readonly shape: PgtableShape,
    readonly root: bigint,
    /** Output address size in bits (IPS, or the stage-2 PS). */
    readonly oaBits: number,
  ) {
    this.g = shape.g;
  }

  /** Index bits at `level`: the start level may hold fewer (a small top table) or more (stage-2 concatenation). */
  private indexBits(level: number): number {
    return level === this.g.startLevel ? this.shape.startBits : this.g.stride;
  }

  /** Sizes a single entry can map, largest first (the pgsize_bitmap). */
  pageSizes(): { level: number; size: bigint }[] {
    const sizes: { level: number; size: bigint }[] = [];
    for (let level = 1; level <= 3; level++) {
      if (level === 3 || blockAllowed(this.g, level)) sizes.push({ level, size: levelSize(this.g, level) });
    }
    return sizes.filter((s) => s.level >= this.g.startLevel);
  }

  map(iova: bigint, paddr: bigint, size: bigint, prot: Prot): MapOutcome {
    this.checkRange(iova, size, 'iova');
    if ((paddr & (BigInt(this.g.granule) - 1n)) !== 0n) throw new IoPgtableError('EINVAL', `paddr 0x${paddr.toString(16)} is not aligned to the ${this.g.granule / 1024}KB granule`, 'paddr');
    if (paddr + size > 1n << BigInt(this.oaBits)) throw new IoPgtableError('ERANGE', `paddr range ends beyond the ${this.oaBits}-bit output address size (IPS)`, 'paddr');
    const out: MapOutcome = { entries: [], writes: [], tables: [] };
    if (!prot.read && !prot.write) return out; // io-pgtable: no access means nothing to map
    const chunks = this.split(iova, paddr, size);
    for (const c of chunks) {
      if (this.anyLeafIn(c.iova, c.size)) {
        throw new IoPgtableError('EEXIST', `IOVA 0x${c.iova.toString(16)} (+0x${c.size.toString(16)}) overlaps an existing mapping; unmap it first`, 'iova');
      }
    }
    const attrs = protToAttributes(prot);
    for (const c of chunks) this.mapOne(c.iova, c.paddr, c.level, attrs, out);
    return out;
  }

  unmap(iova: bigint, size: bigint): UnmapOutcome {
    this.checkRange(iova, size, 'iova');
    const out: UnmapOutcome = { unmapped: 0n, entries: [], writes: [], tablesFreed: [] };
    let done = 0n;
    for (const c of this.split(iova, iova, size)) {
      const n = this.unmapOne(c.iova, c.level, out);
      if (n === 0n) break; // iommu_unmap stops at the first hole or partial block
      done += n;
    }
    return { ...out, unmapped: done };
  }

  /** The PA an IOVA maps to, or undefined (iommu_iova_to_phys returns 0 then). */
  iovaToPhys(iova: bigint): bigint | undefined {
    const leaf = this.findLeaf(iova);
    if (!leaf) return undefined;
    const shift = BigInt(levelShift(this.g, leaf.level));
    return descriptorAddress(leaf.desc, this.g, Number(shift)) | (iova & ((1n << shift) - 1n));
  }

  private checkRange(iova: bigint, size: bigint, field: string): void {
    const gran = BigInt(this.g.granule);
    if (size <= 0n) throw new IoPgtableError('EINVAL', 'size must be positive', 'size');
    if ((iova & (gran - 1n)) !== 0n || (size & (gran - 1n)) !== 0n) {
      throw new IoPgtableError('EINVAL', `${field} and size must be aligned to the ${this.g.granule / 1024}KB granule`, field);
    }
    if (iova + size > 1n << BigInt(this.g.inputSize)) {
      throw new IoPgtableError('ERANGE', `${field} range ends beyond the ${this.g.inputSize}-bit input address size`, field);
    }
  }

  /** iommu_pgsize: at each point the largest entry size that both addresses' alignment and the remaining length allow. */
  private split(iova: bigint, paddr: bigint, size: bigint): { iova: bigint; paddr: bigint; level: number; size: bigint }[] {
    const sizes = this.pageSizes();
    const chunks: { iova: bigint; paddr: bigint; level: number; size: bigint }[] = [];
    let off = 0n;
    while (off < size) {
      const a = iova + off;
      const p = paddr + off;
      const pick = sizes.find((s) => ((a | p) & (s.size - 1n)) === 0n && s.size <= size - off) as { level: number; size: bigint };
      chunks.push({ iova: a, paddr: p, level: pick.level, size: pick.size });
      off += pick.size;
    }
    return chunks;
  }

  private entryAddress(table: bigint, level: number, iova: bigint): bigint {
    const shift = BigInt(levelShift(this.g, level));
    const mask = (1n << BigInt(this.indexBits(level))) - 1n;
    return table + ((iova >> shift) & mask) * 8n;
  }

  private read(addr: bigint): bigint {
    return this.mem.read64(addr) ?? 0n;
  }

  private write(addr: bigint, value: bigint, what: string, writes: MemoryWrite[]): void {
    const old = this.mem.read64(addr);
    this.mem.write64(addr, value);
    writes.push({ address: addr, size: 8, old, value, what });
  }

  private findLeaf(iova: bigint): { level: number; desc: bigint } | undefined {
    let table = this.root;
    for (let level = this.g.startLevel; level <= 3; level++) {
      const desc = this.read(this.entryAddress(table, level, iova));
      const type = descriptorType(desc, this.g, level);
      if (type === 'table') { table = descriptorAddress(desc, this.g, this.g.granuleShift); continue; }
      return type === 'block' || type === 'page' ? { level, desc } : undefined;
    }
    return undefined;
  }

  /** Whether any block or page maps part of [iova, iova + size). */
  private anyLeafIn(iova: bigint, size: bigint): boolean {
    const visit = (table: bigint, level: number, lo: bigint, hi: bigint): boolean => {
      const span = levelSize(this.g, level);
      for (let a = lo - (lo % span); a < hi; a += span) {
        const desc = this.read(this.entryAddress(table, level, a));
        const type = descriptorType(desc, this.g, level);
        if (type === 'block' || type === 'page') return true;
        if (type === 'table') {
          const next = descriptorAddress(desc, this.g, this.g.granuleShift);
          if (visit(next, level + 1, a > lo ? a : lo, a + span < hi ? a + span : hi)) return true;
        }
      }
      return false;
    };
    return visit(this.root, this.g.startLevel, iova, iova + size);
  }

  private mapOne(iova: bigint, paddr: bigint, target: number, attrs: LeafAttributes, out: MapOutcome): void {
    let table = this.root;
    for (let level = this.g.startLevel; level < target; level++) {
      const slot = this.entryAddress(table, level, iova);
      const desc = this.read(slot);
      if (descriptorType(desc, this.g, level) === 'table') {
        table = descriptorAddress(desc, this.g, this.g.granuleShift);
        continue;
      }
      const next = this.alloc.alloc(BigInt(this.g.granule), level + 1 === 3);
      out.tables.push({ address: next, level: level + 1 });
      this.write(slot, encodeTable(next, this.g), `level ${level} table descriptor -> new level ${level + 1} table`, out.writes);
      table = next;
    }
    const slot = this.entryAddress(table, target, iova);
    const old = this.read(slot);
    if (descriptorType(old, this.g, target) === 'table') {
      // An empty table where a block now goes (anyLeafIn proved it empty): free it, as io-pgtable does.
      this.freeTable(descriptorAddress(old, this.g, this.g.granuleShift), target + 1, out.tables);
    }
    const kind = target === 3 ? 'page' : 'block';
    const leaf = this.shape.stage === 1 ? encodeLeaf(paddr, target, this.g, attrs) : encodeS2Leaf(paddr, target, this.g, attrs);
    this.write(slot, leaf, `level ${target} ${kind} descriptor`, out.writes);
    out.entries.push({ iova, level: target, size: levelSize(this.g, target) });
  }

  private unmapOne(iova: bigint, target: number, out: UnmapOutcome): bigint {
    let table = this.root;
    for (let level = this.g.startLevel; level <= target; level++) {
      const slot = this.entryAddress(table, level, iova);
      const desc = this.read(slot);
      const type = descriptorType(desc, this.g, level);
      if (type === 'invalid' || type === 'reserved') return 0n;
      if (level === target) {
        if (type === 'table') this.freeTable(descriptorAddress(desc, this.g, this.g.granuleShift), level + 1, out.tablesFreed);
        this.write(slot, 0n, `clear level ${level} ${type} descriptor`, out.writes);
        out.entries.push({ iova, level, size: levelSize(this.g, level) });
        return levelSize(this.g, level);
      }
      if (type !== 'table') return 0n; // part of a larger block: refused, nothing changes
      table = descriptorAddress(desc, this.g, this.g.granuleShift);
    }
    return 0n;
  }

  /** Frees a table and every table below it. */
  private freeTable(table: bigint, level: number, freed: TableRef[]): void {
    if (level < 3) {
      const entries = 1 << this.indexBits(level);
      for (let i = 0; i < entries; i++) {
        const desc = this.read(table + BigInt(i * 8));
        if (descriptorType(desc, this.g, level) === 'table') this.freeTable(descriptorAddress(desc, this.g, this.g.granuleShift), level + 1, freed);
      }
    }
    this.alloc.release(table, BigInt(this.g.granule));
    freed.push({ address: table, level });
  }
}
