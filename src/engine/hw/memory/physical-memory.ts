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
 * loads. A PA splits into hi = PA[51:32] and lo = PA[31:0]; `top[hi]` numbers
 * the 4GB region and `frameSlots[region << 20 | lo >>> 12]` says where the
 * frame is. Everything lives in one Int32Array of 1024-word pages, `words`:
 * - a dense frame (>= 0) is one page, its qwords in address order;
 * - a sparse frame (<= -2) keeps only its nonzero qwords, in the hash table
 *   of qword-hash.ts that also lives in `words`. Frames start sparse and
 *   become dense once they hold DENSE_AT nonzero qwords, so the scattered
 *   last-level tables of a big mapping pack tightly and full tables, queues
 *   and buffers stay plain arrays.
 * Page 0 is all zeros: the missing qwords of sparse frames read from it.
 */
import { deleteEntry, EMPTY, ENTRY_WORDS, findEntry, insertEntry, rehashInto } from './qword-hash.ts';

const FRAME_SHIFT = 12;
const FRAME_WORDS = 1024;
const FRAMES_PER_REGION = 1 << 20;
const REGIONS = 1 << 20;
export const PA_BITS = 52;
const TWO_32 = 0x1_0000_0000;
/** A sparse frame with this many nonzero qwords becomes a dense page (1/8 of the frame: 512 bytes of entries vs 4KB). */
const DENSE_AT = 64;
const NO_FRAME = -1;
const FIRST_HASH_ENTRIES = 1024;

export class PhysicalMemory {
  /**
   * Region (PA[51:32]) -> region number, or -1. Public for the walks only,
   * which read these fields into locals (a walk never writes memory);
   * nothing outside this class may write them.
   */
  top: Int32Array;
  /** (region << 20 | PA[31:12]) -> dense page (>= 0), NO_FRAME, or -2 - sparse frame id. */
  frameSlots: Int32Array;
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
  private regionCount: number;
  /** Pages handed out from `words` (page 0 is the zero page) and pages given back. */
  private pageCount: number;
  private freePages: number[];
  /** Nonzero qwords per sparse frame id, and ids given back. */
  private sparseCounts: Int32Array;
  private sparseIds: number;
  private freeIds: number[];
  private frameCount: number;

  constructor() {
    this.top = new Int32Array(REGIONS).fill(-1);
    this.frameSlots = new Int32Array(0);
    this.regionCount = 0;
    this.words = new Int32Array(FRAME_WORDS * 64);
    this.pageCount = 1;
    this.freePages = [];
    this.sparseCounts = new Int32Array(256);
    this.sparseIds = 0;
    this.freeIds = [];
    this.frameCount = 0;
    this.hashEntries = FIRST_HASH_ENTRIES;
    this.hashShift = 32 - Math.log2(FIRST_HASH_ENTRIES);
    this.hashBase = this.allocRun((FIRST_HASH_ENTRIES * ENTRY_WORDS) / FRAME_WORDS) * FRAME_WORDS;
    this.words.fill(EMPTY, this.hashBase, this.hashBase + FIRST_HASH_ENTRIES * ENTRY_WORDS);
    this.hashUsed = 0;
  }

  /** Number of 4KB frames that exist (for the UI and tests). */
  get frames(): number {
    return this.frameCount;
  }

  /**
   * The hot path: index in `words` of the low word of the aligned qword at
   * PA hi:lo (its high word follows), or -1 when the frame was never
   * written. Allocates nothing.
   */
  wordIndex(hi: number, lo: number): number {
    if (hi >>> 0 >= REGIONS) return NO_FRAME;
    const region = this.top[hi] as number;
    if (region < 0) return NO_FRAME;
    const v = this.frameSlots[(region << 20) | (lo >>> FRAME_SHIFT)] as number;
    if (v >= 0) return (v << 10) | ((lo & 0xff8) >>> 2);
    if (v === NO_FRAME) return NO_FRAME;
    const e = findEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, hi, lo & ~7);
    return e < 0 ? 0 : e + 2;
  }

  /** Low and high words of the aligned qword at hi:lo, or false if the frame does not exist. */
  read64Halves(hi: number, lo: number, out: { lo: number; hi: number }): boolean {
    const w = this.wordIndex(hi, lo);
    if (w < 0) return false;
    out.lo = (this.words[w] as number) >>> 0;
    out.hi = (this.words[w + 1] as number) >>> 0;
    return true;
  }

  read64(pa: bigint): bigint | undefined {
    checkPa(pa, 8);
    if ((pa & 7n) !== 0n) return this.readUnaligned(pa, 8);
    const w = this.wordIndex(Number(pa >> 32n), Number(pa & 0xffff_ffffn));
    if (w < 0) return undefined;
    return (BigInt((this.words[w + 1] as number) >>> 0) << 32n) | BigInt((this.words[w] as number) >>> 0);
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
      this.ensureFrame(hi, lo);
      const w = this.wordIndex(hi, q);
      const half = (lo >>> 2) & 1;
      const shift = (lo & 3) * 8;
      const byte = Number((value >> BigInt(8 * i)) & 0xffn);
      let wLo = this.words[w] as number;
      let wHi = this.words[w + 1] as number;
      if (half === 0) wLo = (wLo & ~(0xff << shift)) | (byte << shift);
      else wHi = (wHi & ~(0xff << shift)) | (byte << shift);
      this.storeQword(hi, q, wLo, wHi);
    }
  }

  /** Creates the frame at pa (zero-filled) if it does not exist, or zeroes it; table allocation uses this. */
  zeroFrame(pa: bigint): void {
    const hi = Number(pa >> 32n);
    const lo = Number(pa & 0xffff_ffffn) & ~0xfff;
    const index = this.ensureFrame(hi, lo);
    const v = this.frameSlots[index] as number;
    if (v >= 0) {
      this.words.fill(0, v * FRAME_WORDS, (v + 1) * FRAME_WORDS);
      return;
    }
    for (let q = 0; q < 512 && (this.sparseCounts[-2 - v] as number) > 0; q++) this.storeQword(hi, lo + q * 8, 0, 0);
  }

  /** Whether the 4KB frame containing pa exists. */
  hasFrame(pa: bigint): boolean {
    return this.wordIndex(Number(pa >> 32n), Number(pa & 0xffff_ffffn)) >= 0;
  }

  /** An independent copy (for the replay cache). */
  clone(): PhysicalMemory {
    const copy = Object.create(PhysicalMemory.prototype) as PhysicalMemory;
    Object.assign(copy, this, {
      top: this.top.slice(),
      frameSlots: this.frameSlots.slice(),
      words: this.words.slice(0, this.pageCount * FRAME_WORDS),
      freePages: [...this.freePages],
      sparseCounts: this.sparseCounts.slice(),
      freeIds: [...this.freeIds],
    });
    return copy;
  }

  /** Writes the aligned qword at hi:lo (the frame is created if needed), keeping sparse frames to their nonzero qwords. */
  private storeQword(hi: number, lo: number, vLo: number, vHi: number): void {
    const index = this.ensureFrame(hi, lo);
    let v = this.frameSlots[index] as number;
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

  private addSparse(id: number, hi: number, lo: number): number {
    if ((this.hashUsed + 1) * 10 > this.hashEntries * 6) this.rehash(this.hashEntries * 2);
    this.hashUsed++;
    this.sparseCounts[id] = (this.sparseCounts[id] as number) + 1;
    return insertEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, (lo >>> 3) | (hi << 29), hi >>> 3);
  }

  private removeSparse(id: number, at: number): void {
    deleteEntry(this.words, this.hashBase, this.hashShift, this.hashEntries, at);
    this.hashUsed--;
    this.sparseCounts[id] = (this.sparseCounts[id] as number) - 1;
  }

  /** Moves a sparse frame's qwords to a page of its own. */
  private makeDense(index: number, hi: number, frameLo: number): number {
    const id = -2 - (this.frameSlots[index] as number);
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
    this.frameSlots[index] = page;
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
      const w = this.wordIndex(Number(a >> 32n), lo);
      if (w < 0) return undefined;
      const word = this.words[w + ((lo >>> 2) & 1)] as number;
      value |= BigInt((word >>> ((lo & 3) * 8)) & 0xff) << BigInt(8 * i);
    }
    return value;
  }

  /** Index in frameSlots of the frame holding hi:lo, created (sparse, empty) if it does not exist. */
  private ensureFrame(hi: number, lo: number): number {
    let region = this.top[hi] as number;
    if (region < 0) {
      region = this.regionCount++;
      const bigger = new Int32Array(this.regionCount * FRAMES_PER_REGION).fill(NO_FRAME);
      bigger.set(this.frameSlots);
      this.frameSlots = bigger;
      this.top[hi] = region;
    }
    const index = (region << 20) | (lo >>> FRAME_SHIFT);
    if (this.frameSlots[index] === NO_FRAME) {
      const id = this.freeIds.pop() ?? this.sparseIds++;
      if (id >= this.sparseCounts.length) {
        const bigger = new Int32Array(this.sparseCounts.length * 2);
        bigger.set(this.sparseCounts);
        this.sparseCounts = bigger;
      }
      this.sparseCounts[id] = 0;
      this.frameSlots[index] = -2 - id;
      this.frameCount++;
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

function checkPa(pa: bigint, size: number): void {
  if (pa < 0n || pa + BigInt(size) > 1n << BigInt(PA_BITS)) {
    throw new RangeError(`physical address 0x${pa.toString(16)} is outside the 52-bit physical address space`);
  }
}

/** PA as a double (exact below 2^53) from its halves; for the hot path's address arithmetic. */
export function paFromHalves(hi: number, lo: number): number {
  return hi * TWO_32 + (lo >>> 0);
}
