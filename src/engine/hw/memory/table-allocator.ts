/**
 * Pages for translation tables, handed out from one region of physical
 * memory the way the kernel hands io-pgtable zeroed pages. Freed pages are
 * reused lowest-first so that scenarios stay deterministic and readable.
 */
import { EngineError } from '../../util/assert.ts';
import type { PhysicalMemory } from './physical-memory.ts';

export interface TableAllocatorState {
  readonly base: bigint;
  readonly size: bigint;
  next: bigint;
  /** Released pages, ascending by address, with their size. */
  free: { page: bigint; bytes: bigint }[];
}

export class TableAllocator {
  constructor(private readonly mem: PhysicalMemory, readonly state: TableAllocatorState) {}

  static create(mem: PhysicalMemory, base: bigint, size: bigint): TableAllocator {
    if ((base & 0xffffn) !== 0n) throw new EngineError('tableMemory.base must be 64KB-aligned', 'tableMemory.base');
    if (size <= 0n) throw new EngineError('tableMemory.size must be positive', 'tableMemory.size');
    // The range is the memory's table pool: the tables the walks read sit in one dense array.
    mem.setPool(base, size);
    return new TableAllocator(mem, { base, size, next: base, free: [] });
  }

  /**
   * A zeroed, naturally aligned block of `bytes` (a power of two). Blocks are
   * whole 4KB frames at least, so zeroing one never touches a neighbour.
   * `leafTable`: a last-level translation table, which the memory keeps
   * sparse until it fills (physical-memory.ts); anything else is kept dense.
   */
  alloc(request: bigint, leafTable = false): bigint {
    const bytes = request < 4096n ? 4096n : request;
    const s = this.state;
    const reused = s.free.findIndex((f) => f.bytes === bytes);
    let page: bigint;
    if (reused >= 0) {
      page = (s.free.splice(reused, 1)[0] as { page: bigint }).page;
    } else {
      page = (s.next + bytes - 1n) & ~(bytes - 1n);
      if (page + bytes > s.base + s.size) {
        throw new EngineError(`ENOMEM: table memory [0x${s.base.toString(16)}, +0x${s.size.toString(16)}) is exhausted`, 'tableMemory');
      }
      s.next = page + bytes;
      this.mem.reservePool(s.next);
    }
    for (let off = 0n; off < bytes; off += 4096n) this.mem.zeroFrame(page + off, !leafTable);
    return page;
  }

  release(page: bigint, bytes: bigint): void {
    const s = this.state;
    let i = 0;
    while (i < s.free.length && (s.free[i] as { page: bigint }).page < page) i++;
    s.free.splice(i, 0, { page, bytes });
  }

  cloneState(): TableAllocatorState {
    return { ...this.state, free: [...this.state.free] };
  }
}
