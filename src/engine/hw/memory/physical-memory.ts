/**
 * Simulated physical memory: sparse, byte-addressed, 52-bit physical
 * addresses, little-endian like the Arm systems it models.
 *
 * Memory exists in 4KB frames. A frame comes into being when something is
 * first written into it; until then every read of it fails, which the SMMU
 * reports as an external abort on the walk (F_WALK_EABT). Bytes of a written
 * frame that were never stored read as zero, as freshly zeroed pages do.
 *
 * Layout (why not a Map of pages): a walk reads four to twenty-four
 * descriptors per translation, so finding a qword must be a few typed-array
 * loads. Two stores:
 * - the table pool (table-pool.ts): the TableAllocator's range, one dense
 *   array in address order, where the page tables live: a descriptor is one
 *   range check and one load away;
 * - the heap, for everything else (anywhere in the 52-bit space): a frame
 *   directory (frame-directory.ts) gives each frame's slot, and frames live
 *   in one Int32Array of 1024-word pages, `words`:
 *   - a dense frame (slot >= 0) is one page, its qwords in address order;
 *   - a sparse frame (slot <= -2) keeps only its nonzero qwords, in the hash
 *     table of qword-hash.ts that also lives in `words`. Frames start sparse
 *     and become dense once they hold DENSE_AT nonzero qwords, so scattered
 *     structures pack tightly and queues and buffers stay plain arrays.
 *   Page 0 is all zeros: the missing qwords of sparse frames read from it.
 */
import { ABSENT, DENSE, SPARSE, TablePool } from './table-pool.ts';
import { FrameDirectory, NO_FRAME, REGIONS } from './frame-directory.ts';
import { deleteEntry, EMPTY, ENTRY_WORDS, findEntry, insertEntry, rehashInto } from './qword-hash.ts';

const FRAME_WORDS = 1024;
export const PA_BITS = 52;
const TWO_32 = 0x1_0000_0000;
/** A sparse frame with this many nonzero qwords becomes a dense page (1/8 of the frame: 512 bytes of entries vs 4KB). */
const DENSE_AT = 64;
const FIRST_HASH_ENTRIES = 1024;

export class PhysicalMemory {
  /**
   * The table pool and the heap's directory and words. Public for the walks
   * only, which read these fields into locals (a walk never writes memory);
   * nothing outside this class may write them.
   */
  pool: TablePool;
  dirs: FrameDirectory;
  /**
   * Dense frames' pages and the sparse hash table. Int32Array, not
   * Uint32Array: the walk only does bit operations on the words, and V8
   * keeps int32 values in integer registers where uint32 values above 2^31
   * become doubles.
   */
  words: Int32Array;
  /** The hash table of sparse qwords: word index of entry 0, entry count (a power of two) and 32 - log2 of it. */
  hashBase: number;
  hashEntries: number;
  hashShift: number;
  private hashUsed: number;
  /** Pages handed out from `words` (page 0 is the zero page) and pages given back. */
  private pageCount: number;
  private freePages: number[];
  /** Nonzero qwords per sparse frame id, and ids given back. */
  private sparseCounts: Int32Array;
  private sparseIds: number;
  private freeIds: number[];
  /** Frames that exist in the heap (the pool counts its own). */
  private heapFrames: number;

  constructor() {
    this.pool = new TablePool();
    this.dirs = new FrameDirectory();
    this.words = new Int32Array(FRAME_WORDS * 16);
    this.pageCount = 1;
    this.freePages = [];
    this.sparseCounts = new Int32Array(256);
    this.sparseIds = 0;
    this.freeIds = [];
    this.heapFrames = 0;
    this.hashEntries = FIRST_HASH_ENTRIES;
    this.hashShift = 32 - Math.log2(FIRST_HASH_ENTRIES);
    this.hashBase = this.allocRun((FIRST_HASH_ENTRIES * ENTRY_WORDS) / FRAME_WORDS) * FRAME_WORDS;
    this.words.fill(EMPTY, this.hashBase, this.hashBase + FIRST_HASH_ENTRIES * ENTRY_WORDS);
    this.hashUsed = 0;
  }

  /** Number of 4KB frames that exist (for the UI and tests). */
  get frames(): number {
    return this.heapFrames + this.pool.count;
  }

  /**
   * Makes [base, base + size) the table pool (the TableAllocator's range),
   * up to the end of base's 4GB region. Once only: a memory has one pool.
   * The pool covers nothing until reservePool() extends it.
   */
  setPool(base: bigint, size: bigint): void {
    if (this.pool.hi >= 0) return;
    const lo = Number(base & 0xffff_ffffn);
    if (lo % 4096 !== 0) return;
    this.pool.hi = Number(base >> 32n);
    this.pool.lo = lo;
    const room = Math.min(Number(size), TWO_32 - lo);
    this.pool.limit = room - (room % 4096);
  }

  /** Extends the pool to cover up to `end` (the allocator's high-water mark), moving any heap frames it takes over. */
  reservePool(end: bigint): void {
    const p = this.pool;
    if (p.hi < 0) return;
    const need = end - ((BigInt(p.hi) << 32n) | BigInt(p.lo));
    if (need <= 0n) return;
    const { from, to } = p.grow(Number(need < BigInt(p.limit) ? need : BigInt(p.limit)));
    for (let off = from; off < to; off += 4096) this.moveToPool(p.hi, (p.lo + off) | 0, off >>> 2);
  }

  /**
   * The hot path for PAs outside the pool: index in `words` of the low word
   * of the aligned qword at PA hi:lo (its high word follows), or -1 when the
   * frame was never written. Allocates nothing.
   */
  heapIndex(hi: number, lo: number): number {
    if (hi >>> 0 >= REGIONS) return NO_FRAME;
    const v = this.dirs.lookup(hi, lo);
    if (v >= 0) return (v << 10) | ((lo & 0xff8) >>> 2);
    if (v === NO_FRAME) return NO_FRAME;
    return this.sparseIndex(hi, lo);
  }

  /** Index in `words` of the qword at hi:lo of a sparse frame: its hash entry's value, or the zero page. */
  sparseIndex(hi: number, lo: number): number {
    const e = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, lo & ~7);
    return e < 0 ? 0 : e + 2;
  }

  /** The aligned qword holding PA hi:lo into q[0] (low word) and q[1]; false if its frame does not exist. */
  readQ(hi: number, lo: number, q: Int32Array): boolean {
    const p = this.pool.indexOf(hi, lo);
    if (p >= 0) {
      const state = this.pool.state[p >>> 10];
      if (state === ABSENT) return false;
      if (state === DENSE) {
        q[0] = this.pool.words[p] as number;
        q[1] = this.pool.words[p + 1] as number;
        return true;
      }
    }
    const w = p >= 0 ? this.sparseIndex(hi, lo) : this.heapIndex(hi, lo);
    if (w < 0) return false;
    q[0] = this.words[w] as number;
    q[1] = this.words[w + 1] as number;
    return true;
  }

  /** Low and high words (uint32) of the aligned qword at hi:lo, or false if the frame does not exist. */
  read64Halves(hi: number, lo: number, out: { lo: number; hi: number }): boolean {
    if (!this.readQ(hi, lo, scratch)) return false;
    out.lo = (scratch[0] as number) >>> 0;
    out.hi = (scratch[1] as number) >>> 0;
    return true;
  }

  read64(pa: bigint): bigint | undefined {
    checkPa(pa, 8);
    if ((pa & 7n) !== 0n) return this.readUnaligned(pa, 8);
    if (!this.readQ(Number(pa >> 32n), Number(pa & 0xffff_ffffn), scratch)) return undefined;
    return (BigInt((scratch[1] as number) >>> 0) << 32n) | BigInt((scratch[0] as number) >>> 0);
  }

  read(pa: bigint, size: 1 | 2 | 4 | 8): bigint | undefined {
    if (size === 8) return this.read64(pa);
    checkPa(pa, size);
    return this.readUnaligned(pa, size);
  }

  write64(pa: bigint, value: bigint): void {
    if ((pa & 7n) !== 0n) return this.write(pa, value, 8);
    checkPa(pa, 8);
    this.storeQword(Number(pa >> 32n), Number(pa & 0xffff_ffffn), Number(value & 0xffff_ffffn) | 0, Number((value >> 32n) & 0xffff_ffffn) | 0);
  }

  write(pa: bigint, value: bigint, size: 1 | 2 | 4 | 8): void {
    checkPa(pa, size);
    for (let i = 0; i < size; i++) {
      const a = pa + BigInt(i);
      const hi = Number(a >> 32n);
      const lo = Number(a & 0xffff_ffffn);
      const q = lo & ~7;
      let wLo = 0;
      let wHi = 0;
      if (this.readQ(hi, q, scratch)) {
        wLo = scratch[0] as number;
        wHi = scratch[1] as number;
      }
      const shift = (lo & 3) * 8;
      const byte = Number((value >> BigInt(8 * i)) & 0xffn);
      if (((lo >>> 2) & 1) === 0) wLo = (wLo & ~(0xff << shift)) | (byte << shift);
      else wHi = (wHi & ~(0xff << shift)) | (byte << shift);
      this.storeQword(hi, q, wLo, wHi);
    }
  }

  /**
   * Creates the frame at pa (zero-filled) if it does not exist, or zeroes it;
   * table allocation uses this. `dense` (table pool only): keep the frame as a
   * plain array from the start — for tables most walks read (upper levels,
   * roots, queues); a last-level table of a scattered mapping is better
   * sparse (table-pool.ts). The contents read the same either way.
   */
  zeroFrame(pa: bigint, dense = false): void {
    const hi = Number(pa >> 32n);
    const lo = Number(pa & 0xffff_ffffn) & ~0xfff;
    const p = this.pool.indexOf(hi, lo);
    if (p >= 0) {
      const f = p >>> 10;
      this.pool.touch(p);
      if (this.pool.state[f] === DENSE) this.pool.words.fill(0, p, p + FRAME_WORDS);
      else for (let q = 0; q < 512 && (this.pool.counts[f] as number) > 0; q++) this.storeQword(hi, lo + q * 8, 0, 0);
      this.pool.state[f] = dense ? DENSE : SPARSE;
      return;
    }
    const index = this.ensureFrame(hi, lo);
    const v = this.dirs.slots[index] as number;
    if (v >= 0) {
      this.words.fill(0, v * FRAME_WORDS, (v + 1) * FRAME_WORDS);
      return;
    }
    for (let q = 0; q < 512 && (this.sparseCounts[-2 - v] as number) > 0; q++) this.storeQword(hi, lo + q * 8, 0, 0);
  }

  /** Whether the 4KB frame containing pa exists. */
  hasFrame(pa: bigint): boolean {
    return this.readQ(Number(pa >> 32n), Number(pa & 0xffff_ffffn), scratch);
  }

  /** An independent copy (for snapshots): a few typed-array copies. */
  clone(): PhysicalMemory {
    const copy = Object.create(PhysicalMemory.prototype) as PhysicalMemory;
    Object.assign(copy, this, {
      pool: this.pool.clone(),
      dirs: this.dirs.clone(),
      words: this.words.slice(0, this.pageCount * FRAME_WORDS),
      freePages: [...this.freePages],
      sparseCounts: this.sparseCounts.slice(),
      freeIds: [...this.freeIds],
    });
    return copy;
  }

  /** Writes the aligned qword at hi:lo (the frame is created if needed), keeping sparse frames to their nonzero qwords. */
  private storeQword(hi: number, lo: number, vLo: number, vHi: number): void {
    const p = this.pool.indexOf(hi, lo);
    if (p >= 0) {
      this.storePool(p, hi, lo, vLo, vHi);
      return;
    }
    const index = this.ensureFrame(hi, lo);
    let v = this.dirs.slots[index] as number;
    if (v < 0) {
      const id = -2 - v;
      const e = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, lo);
      if (vLo === 0 && vHi === 0) {
        if (e >= 0) this.removeSparse(id, e);
        return;
      }
      if (e >= 0 || (this.sparseCounts[id] as number) < DENSE_AT - 1) {
        const at = e >= 0 ? e : this.addSparse(id, hi, lo);
        this.words[at + 2] = vLo;
        this.words[at + 3] = vHi;
        return;
      }
      v = this.makeDense(index, hi, lo & ~0xfff);
    }
    const w = v * FRAME_WORDS + ((lo & 0xff8) >>> 2);
    this.words[w] = vLo;
    this.words[w + 1] = vHi;
  }

  /** storeQword for the pool's word index p: a SPARSE frame keeps its nonzero qwords in the hash until it has DENSE_AT. */
  private storePool(p: number, hi: number, lo: number, vLo: number, vHi: number): void {
    const pool = this.pool;
    const f = p >>> 10;
    pool.touch(p);
    if (pool.state[f] === SPARSE) {
      const e = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, lo);
      if (vLo === 0 && vHi === 0) {
        if (e >= 0) {
          this.hashDelete(e);
          pool.counts[f] = (pool.counts[f] as number) - 1;
        }
        return;
      }
      if (e >= 0 || (pool.counts[f] as number) < DENSE_AT - 1) {
        const at = e >= 0 ? e : this.hashInsert(hi, lo);
        if (e < 0) pool.counts[f] = (pool.counts[f] as number) + 1;
        this.words[at + 2] = vLo;
        this.words[at + 3] = vHi;
        return;
      }
      // The frame's qwords move from the hash to the pool's array.
      const base = f << 10;
      const frameLo = lo & ~0xfff;
      for (let q = 0; q < 512 && (pool.counts[f] as number) > 0; q++) {
        const at = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, frameLo + q * 8);
        if (at < 0) continue;
        pool.words[base + q * 2] = this.words[at + 2] as number;
        pool.words[base + q * 2 + 1] = this.words[at + 3] as number;
        this.hashDelete(at);
        pool.counts[f] = (pool.counts[f] as number) - 1;
      }
      pool.state[f] = DENSE;
    }
    pool.words[p] = vLo;
    pool.words[p + 1] = vHi;
  }

  /** Moves the heap frame at hi:frameLo (if it exists) to the pool's words from word index `at`, which the pool now covers. */
  private moveToPool(hi: number, frameLo: number, at: number): void {
    const v = this.dirs.lookup(hi, frameLo);
    if (v === NO_FRAME) return;
    const pool = this.pool;
    pool.touch(at);
    if (v >= 0) {
      pool.words.set(this.words.subarray(v * FRAME_WORDS, (v + 1) * FRAME_WORDS), at);
      pool.state[at >>> 10] = DENSE;
      this.freePages.push(v);
    } else {
      // Its hash entries are keyed by PA: they stay where they are.
      const id = -2 - v;
      pool.counts[at >>> 10] = this.sparseCounts[id] as number;
      this.freeIds.push(id);
    }
    this.dirs.slots[this.dirs.slotIndex(hi, frameLo)] = NO_FRAME;
    this.heapFrames--;
  }

  private addSparse(id: number, hi: number, lo: number): number {
    this.sparseCounts[id] = (this.sparseCounts[id] as number) + 1;
    return this.hashInsert(hi, lo);
  }

  private removeSparse(id: number, at: number): void {
    this.hashDelete(at);
    this.sparseCounts[id] = (this.sparseCounts[id] as number) - 1;
  }

  /** A new entry (value zero) for the absent qword at hi:lo; returns its word index. */
  private hashInsert(hi: number, lo: number): number {
    if ((this.hashUsed + 1) * 10 > this.hashEntries * 6) this.rehash(this.hashEntries * 2);
    this.hashUsed++;
    return insertEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, (lo >>> 3) | (hi << 29), hi >>> 3);
  }

  private hashDelete(at: number): void {
    deleteEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, at);
    this.hashUsed--;
  }

  /** Moves a sparse frame's qwords to a page of its own. */
  private makeDense(index: number, hi: number, frameLo: number): number {
    const id = -2 - (this.dirs.slots[index] as number);
    const page = this.allocPage();
    const base = page * FRAME_WORDS;
    for (let q = 0; q < 512; q++) {
      const e = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, frameLo + q * 8);
      if (e < 0) continue;
      this.words[base + q * 2] = this.words[e + 2] as number;
      this.words[base + q * 2 + 1] = this.words[e + 3] as number;
      this.removeSparse(id, e);
    }
    this.freeIds.push(id);
    this.dirs.slots[index] = page;
    return page;
  }

  private rehash(entries: number): void {
    const oldBase = this.hashBase;
    const oldEntries = this.hashEntries;
    const pages = (entries * ENTRY_WORDS) / FRAME_WORDS;
    const base = this.allocRun(pages) * FRAME_WORDS;
    const shift = 32 - Math.log2(entries);
    rehashInto(this.words, oldBase, oldEntries, base, shift, entries);
    for (let p = oldBase / FRAME_WORDS; p < (oldBase + oldEntries * ENTRY_WORDS) / FRAME_WORDS; p++) this.freePages.push(p);
    this.hashBase = base;
    this.hashEntries = entries;
    this.hashShift = shift;
  }

  private readUnaligned(pa: bigint, size: number): bigint | undefined {
    let value = 0n;
    for (let i = 0; i < size; i++) {
      const a = pa + BigInt(i);
      const lo = Number(a & 0xffff_ffffn);
      if (!this.readQ(Number(a >> 32n), lo, scratch)) return undefined;
      const word = scratch[(lo >>> 2) & 1] as number;
      value |= BigInt((word >>> ((lo & 3) * 8)) & 0xff) << BigInt(8 * i);
    }
    return value;
  }

  /** Index in the directory's slots of the heap frame holding hi:lo, created (sparse, empty) if it does not exist. */
  private ensureFrame(hi: number, lo: number): number {
    const index = this.dirs.slotIndex(hi, lo);
    if (this.dirs.slots[index] === NO_FRAME) {
      const id = this.freeIds.pop() ?? this.sparseIds++;
      if (id >= this.sparseCounts.length) {
        const bigger = new Int32Array(this.sparseCounts.length * 2);
        bigger.set(this.sparseCounts);
        this.sparseCounts = bigger;
      }
      this.sparseCounts[id] = 0;
      this.dirs.slots[index] = -2 - id;
      this.heapFrames++;
    }
    return index;
  }

  private allocPage(): number {
    const page = this.freePages.pop();
    if (page !== undefined) {
      this.words.fill(0, page * FRAME_WORDS, (page + 1) * FRAME_WORDS);
      return page;
    }
    return this.allocRun(1);
  }

  /** `n` consecutive new pages at the end of the heap. */
  private allocRun(n: number): number {
    const first = this.pageCount;
    this.pageCount += n;
    const needed = this.pageCount * FRAME_WORDS;
    if (needed > this.words.length) {
      let length = this.words.length;
      while (length < needed) length *= 2;
      const bigger = new Int32Array(length);
      bigger.set(this.words);
      this.words = bigger;
    }
    return first;
  }
}

/** Scratch for the qword reads of the API methods (never the walks'). */
const scratch = new Int32Array(2);

function checkPa(pa: bigint, size: number): void {
  if (pa < 0n || pa + BigInt(size) > 1n << BigInt(PA_BITS)) {
    throw new RangeError(`physical address 0x${pa.toString(16)} is outside the 52-bit physical address space`);
  }
}

/** PA as a double (exact below 2^53) from its halves; for the hot path's address arithmetic. */
export function paFromHalves(hi: number, lo: number): number {
  return hi * TWO_32 + (lo >>> 0);
}
