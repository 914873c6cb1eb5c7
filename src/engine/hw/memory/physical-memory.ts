/**
 * Simulated physical memory: sparse, byte-addressed, 52-bit physical
 * addresses, little-endian like the Arm systems it models.
 *
 * Memory exists in 4KB frames. A frame comes into being when something is
 * first written into it; until then every read of it fails, which the SMMU
 * reports as an external abort on the walk (F_WALK_EABT). Bytes of a written
 * frame that were never stored read as zero, as freshly zeroed pages do.
 *
 * Layout (why not a Map of pages): the walk reads four to twenty-four
 * descriptors per translation, so a lookup must be a few typed-array loads.
 * A PA splits into hi = PA[51:32] and lo = PA[31:0]. `top[hi]` numbers the
 * 4GB region; `frames[region << 20 | lo >>> 12]` is the frame's slot in one
 * flat word store, where its 1024 32-bit words begin at slot * 1024. Both
 * directories are single Int32Arrays (a region adds 4MB), so a lookup is
 * three typed-array loads and allocates nothing.
 */

const FRAME_SHIFT = 12;
const FRAME_WORDS = 1024;
const FRAMES_PER_REGION = 1 << 20;
const REGIONS = 1 << 20;
export const PA_BITS = 52;
const TWO_32 = 0x1_0000_0000;

export class PhysicalMemory {
  /**
   * Region (PA[51:32]) -> region number, or -1. Public for the walk only,
   * which reads these three arrays into locals once per walk (a walk never
   * writes memory); nothing outside this class may write them.
   */
  top: Int32Array;
  /** (region number << 20 | PA[31:12]) -> slot, or -1. */
  frameSlots: Int32Array;
  private regionCount: number;
  /**
   * Every frame's 32-bit words, slot after slot. Int32Array, not Uint32Array:
   * the walk only does bit operations on them, and V8 keeps int32 values in
   * integer registers where uint32 values above 2^31 become doubles.
   */
  words: Int32Array;
  private frameCount: number;

  constructor() {
    this.top = new Int32Array(REGIONS).fill(-1);
    this.frameSlots = new Int32Array(0);
    this.regionCount = 0;
    this.words = new Int32Array(FRAME_WORDS * 64);
    this.frameCount = 0;
  }

  /** Number of 4KB frames that exist (for the UI and tests). */
  get frames(): number {
    return this.frameCount;
  }

  /**
   * Slot of the frame holding PA hi:lo, or -1 when it was never written.
   * The hot path: two typed-array loads.
   */
  slotOf(hi: number, lo: number): number {
    if (hi >>> 0 >= REGIONS) return -1;
    const region = this.top[hi] as number;
    if (region < 0) return -1;
    return this.frameSlots[(region << 20) | (lo >>> FRAME_SHIFT)] as number;
  }

  /** The 32-bit word at index `wordIndex` of the flat store (slot * 1024 + offset / 4), as a signed int32. */
  word(wordIndex: number): number {
    return this.words[wordIndex] as number;
  }

  /** Low and high words of the aligned qword at hi:lo, or false if the frame does not exist. */
  read64Halves(hi: number, lo: number, out: { lo: number; hi: number }): boolean {
    const slot = this.slotOf(hi, lo);
    if (slot < 0) return false;
    const w = slot * FRAME_WORDS + ((lo & 0xff8) >>> 2);
    out.lo = (this.words[w] as number) >>> 0;
    out.hi = (this.words[w + 1] as number) >>> 0;
    return true;
  }

  read64(pa: bigint): bigint | undefined {
    checkPa(pa, 8);
    if ((pa & 7n) !== 0n) return this.readUnaligned(pa, 8);
    const hi = Number(pa >> 32n);
    const lo = Number(pa & 0xffff_ffffn);
    const slot = this.slotOf(hi, lo);
    if (slot < 0) return undefined;
    const w = slot * FRAME_WORDS + ((lo & 0xfff) >>> 2);
    return (BigInt((this.words[w + 1] as number) >>> 0) << 32n) | BigInt((this.words[w] as number) >>> 0);
  }

  read(pa: bigint, size: 1 | 2 | 4 | 8): bigint | undefined {
    if (size === 8) return this.read64(pa);
    checkPa(pa, size);
    return this.readUnaligned(pa, size);
  }

  write64(pa: bigint, value: bigint): void {
    this.write(pa, value, 8);
  }

  write(pa: bigint, value: bigint, size: 1 | 2 | 4 | 8): void {
    checkPa(pa, size);
    for (let i = 0; i < size; i++) {
      const a = pa + BigInt(i);
      const slot = this.ensureFrame(Number(a >> 32n), Number(a & 0xffff_ffffn));
      this.storeByte(slot, Number(a & 0xfffn), Number((value >> BigInt(8 * i)) & 0xffn));
    }
  }

  /** Creates the frame at pa (zero-filled) if it does not exist; table allocation uses this. */
  zeroFrame(pa: bigint): void {
    const hi = Number(pa >> 32n);
    const lo = Number(pa & 0xffff_ffffn);
    const slot = this.ensureFrame(hi, lo);
    this.words.fill(0, slot * FRAME_WORDS, (slot + 1) * FRAME_WORDS);
  }

  /** Whether the 4KB frame containing pa exists. */
  hasFrame(pa: bigint): boolean {
    return this.slotOf(Number(pa >> 32n), Number(pa & 0xffff_ffffn)) >= 0;
  }

  /** An independent copy (for the replay cache). */
  clone(): PhysicalMemory {
    const copy = Object.create(PhysicalMemory.prototype) as PhysicalMemory;
    copy.top = this.top.slice();
    copy.frameSlots = this.frameSlots.slice();
    copy.regionCount = this.regionCount;
    copy.words = this.words.slice(0, Math.max(FRAME_WORDS, this.frameCount * FRAME_WORDS));
    copy.frameCount = this.frameCount;
    return copy;
  }

  private readUnaligned(pa: bigint, size: number): bigint | undefined {
    let value = 0n;
    for (let i = 0; i < size; i++) {
      const a = pa + BigInt(i);
      const slot = this.slotOf(Number(a >> 32n), Number(a & 0xffff_ffffn));
      if (slot < 0) return undefined;
      value |= BigInt(this.loadByte(slot, Number(a & 0xfffn))) << BigInt(8 * i);
    }
    return value;
  }

  private loadByte(slot: number, offset: number): number {
    const w = this.words[slot * FRAME_WORDS + (offset >>> 2)] as number;
    return (w >>> ((offset & 3) * 8)) & 0xff;
  }

  private storeByte(slot: number, offset: number, byte: number): void {
    const i = slot * FRAME_WORDS + (offset >>> 2);
    const shift = (offset & 3) * 8;
    this.words[i] = ((this.words[i] as number) & ~(0xff << shift)) | (byte << shift);
  }

  private ensureFrame(hi: number, lo: number): number {
    let region = this.top[hi] as number;
    if (region < 0) {
      region = this.regionCount++;
      const bigger = new Int32Array(this.regionCount * FRAMES_PER_REGION).fill(-1);
      bigger.set(this.frameSlots);
      this.frameSlots = bigger;
      this.top[hi] = region;
    }
    const index = (region << 20) | (lo >>> FRAME_SHIFT);
    let slot = this.frameSlots[index] as number;
    if (slot < 0) {
      slot = this.frameCount++;
      this.growTo(this.frameCount * FRAME_WORDS);
      this.frameSlots[index] = slot;
    }
    return slot;
  }

  private growTo(wordsNeeded: number): void {
    if (wordsNeeded <= this.words.length) return;
    let length = this.words.length;
    while (length < wordsNeeded) length *= 2;
    const bigger = new Int32Array(length);
    bigger.set(this.words);
    this.words = bigger;
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
