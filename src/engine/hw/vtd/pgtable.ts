/**
 * Building VT-d page tables the way Linux's intel driver does (first-stage
 * x86-64 format or second-stage VT-d format): map cuts a range into the
 * largest pages the alignment of IOVA and physical address, the length and
 * the unit's large-page support allow (4 KB, 2 MB, 1 GB); tables come zeroed
 * from table memory; overlap is refused before anything is written. Unmap
 * clears leaves and stops at the first hole, refusing to split a large page.
 */
import { EngineError } from '../../util/assert.ts';
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import type { TableAllocator } from '../memory/table-allocator.ts';
import { ADDRESS_MASK, LEVEL_NAMES, encodeLeaf, encodeTable, levelIndex, levelShift, type LargePages, type PagingFormat, type PagingProt } from './paging.ts';

export interface VtdPgtable {
  readonly format: PagingFormat;
  /** 3..5. */
  readonly levels: number;
  readonly root: bigint;
}

export interface TableWrite {
  readonly address: bigint;
  readonly size: 8;
  readonly old?: bigint;
  readonly value: bigint;
  readonly what: string;
}

export interface MapResult {
  readonly entries: readonly { readonly level: number; readonly iova: bigint; readonly size: bigint }[];
  /** Tables allocated, with the level of the table (VT-d numbering). */
  readonly tables: readonly { readonly address: bigint; readonly level: number }[];
  readonly writes: readonly TableWrite[];
}

function present(format: PagingFormat, e: bigint): boolean {
  return format === 'first-stage' ? (e & 1n) === 1n : (e & 3n) !== 0n;
}

function isLeaf(e: bigint, level: number): boolean {
  return level === 1 || (e & 0x80n) !== 0n;
}

const inputBits = (t: VtdPgtable): number => 12 + 9 * t.levels;

function pageSizes(large: LargePages): bigint[] {
  return [...(large.l3 ? [1n << 30n] : []), ...(large.l2 ? [1n << 21n] : []), 1n << 12n];
}

/** The leaf of the page mapping iova, if any: its level, address and entry. */
function findLeaf(mem: PhysicalMemory, t: VtdPgtable, iova: bigint): { level: number; address: bigint; entry: bigint } | undefined {
  let table = t.root;
  for (let level = t.levels; level >= 1; level--) {
    const address = table + BigInt(levelIndex(iova, level) * 8);
    const e = mem.read64(address) ?? 0n;
    if (!present(t.format, e)) return undefined;
    if (isLeaf(e, level)) return { level, address, entry: e };
    table = e & ADDRESS_MASK;
  }
  return undefined;
}

export function vtdMap(mem: PhysicalMemory, alloc: TableAllocator, t: VtdPgtable, iova: bigint, paddr: bigint, size: bigint, prot: PagingProt, large: LargePages): MapResult {
  if (((iova | paddr | size) & 0xfffn) !== 0n || size <= 0n) throw new EngineError('EINVAL: iova, paddr and size must be 4 KB aligned and size positive', 'iova');
  if ((iova + size - 1n) >> BigInt(inputBits(t)) !== 0n) throw new EngineError(`ERANGE: [0x${iova.toString(16)}, +0x${size.toString(16)}) is beyond the ${inputBits(t)}-bit input of a ${t.levels}-level table`, 'iova');
  for (let a = iova; a < iova + size; a += 0x1000n) {
    if (findLeaf(mem, t, a)) throw new EngineError(`EEXIST: 0x${a.toString(16)} is already mapped`, 'iova');
  }
  const entries: { level: number; iova: bigint; size: bigint }[] = [];
  const tables: { address: bigint; level: number }[] = [];
  const writes: TableWrite[] = [];
  const store = (address: bigint, value: bigint, what: string): void => {
    const old = mem.read64(address);
    mem.write64(address, value);
    writes.push({ address, size: 8, ...(old !== undefined ? { old } : {}), value, what });
  };
  let off = 0n;
  while (off < size) {
    const va = iova + off;
    const pa = paddr + off;
    const pg = pageSizes(large).find((s) => ((va | pa) & (s - 1n)) === 0n && size - off >= s) as bigint;
    const leafLevel = pg === 1n << 30n ? 3 : pg === 1n << 21n ? 2 : 1;
    let table = t.root;
    for (let level = t.levels; level > leafLevel; level--) {
      const address = table + BigInt(levelIndex(va, level) * 8);
      const e = mem.read64(address) ?? 0n;
      if (present(t.format, e)) {
        table = e & ADDRESS_MASK;
        continue;
      }
      const next = alloc.alloc(4096n);
      tables.push({ address: next, level: level - 1 });
      store(address, encodeTable(t.format, next), `${LEVEL_NAMES[level]} entry -> ${LEVEL_NAMES[level - 1]} table`);
      table = next;
    }
    store(table + BigInt(levelIndex(va, leafLevel) * 8), encodeLeaf(t.format, leafLevel, pa, prot), `${LEVEL_NAMES[leafLevel]} entry: ${pg >> 10n} KB page`);
    entries.push({ level: leafLevel, iova: va, size: pg });
    off += pg;
  }
  return { entries, tables, writes };
}

export interface UnmapResult {
  readonly unmapped: bigint;
  readonly entries: readonly { readonly level: number; readonly iova: bigint; readonly size: bigint }[];
  readonly writes: readonly TableWrite[];
}

export function vtdUnmap(mem: PhysicalMemory, t: VtdPgtable, iova: bigint, size: bigint): UnmapResult {
  const entries: { level: number; iova: bigint; size: bigint }[] = [];
  const writes: TableWrite[] = [];
  let off = 0n;
  while (off < size) {
    const leaf = findLeaf(mem, t, iova + off);
    if (!leaf) break;
    const bytes = 1n << BigInt(levelShift(leaf.level));
    if (((iova + off) & (bytes - 1n)) !== 0n || size - off < bytes) break; // part of a large page: refused, as on the SMMU side
    mem.write64(leaf.address, 0n);
    writes.push({ address: leaf.address, size: 8, old: leaf.entry, value: 0n, what: `${LEVEL_NAMES[leaf.level]} entry cleared` });
    entries.push({ level: leaf.level, iova: iova + off, size: bytes });
    off += bytes;
  }
  return { unmapped: off, entries, writes };
}

/** iommu_iova_to_phys: the physical address, or 0 when unmapped. */
export function vtdIovaToPhys(mem: PhysicalMemory, t: VtdPgtable, iova: bigint): bigint {
  const leaf = findLeaf(mem, t, iova);
  if (!leaf) return 0n;
  const bytes = 1n << BigInt(levelShift(leaf.level));
  return (leaf.entry & ADDRESS_MASK & ~(bytes - 1n)) | (iova & (bytes - 1n));
}
