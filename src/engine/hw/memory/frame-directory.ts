/**
 * Where each 4KB frame of the heap (every frame outside the table pool) is
 * kept: PA[51:32] -> 4GB region, (region, PA[31:24]) -> a chunk of 4096
 * frame slots (16MB of PA), PA[23:12] -> the slot.
 *
 * Why three small levels, not one 4MB array of slots per 4GB region: the
 * engine's memory is cloned for every snapshot the worker keeps, and a lesson
 * touches a few dozen frames spread over several regions; copying 4MB per
 * region per snapshot cost milliseconds and megabytes. Chunks come into being
 * on first use, and region 0 and chunk 0 are empty placeholders (all slots
 * NO_FRAME) that every unused entry points at, so a lookup is three loads and
 * no branch. `top` (4MB, one entry per possible region) changes only when a
 * new region appears, so clones share it and copy it on that write.
 */
export const NO_FRAME = -1;
/** 4GB regions in a 52-bit physical address space (PA[51:32]). */
export const REGIONS = 1 << 20;
/** Chunks per region (PA[31:24]) and slots per chunk (PA[23:12]). */
const REGION_CHUNKS = 256;
const CHUNK_SLOTS = 4096;

export class FrameDirectory {
  /** PA[51:32] -> region number; 0 = no region (the empty placeholder). */
  top: Int32Array;
  /** region << 8 | PA[31:24] -> index in `slots` of the chunk's first slot; 0 = the empty chunk. */
  dir: Int32Array;
  /** Frame slots: a dense page (>= 0), NO_FRAME, or -2 - sparse frame id (see physical-memory.ts). */
  slots: Int32Array;
  private regions: number;
  private chunks: number;
  /** Whether `top` is shared with a clone and must be copied before it is written. */
  private topShared: boolean;

  constructor(from?: FrameDirectory) {
    if (from) {
      from.topShared = true;
      this.top = from.top;
      this.topShared = true;
      this.regions = from.regions;
      this.chunks = from.chunks;
      this.dir = from.dir.slice(0, from.regions * REGION_CHUNKS);
      this.slots = from.slots.slice(0, from.chunks * CHUNK_SLOTS);
      return;
    }
    this.top = new Int32Array(REGIONS);
    this.topShared = false;
    this.regions = 1;
    this.chunks = 1;
    this.dir = new Int32Array(REGION_CHUNKS * 4);
    this.slots = new Int32Array(CHUNK_SLOTS * 4).fill(NO_FRAME);
  }

  /** The slot of the frame holding hi:lo (hi < 2^20), NO_FRAME if none. Three loads, no branch. */
  lookup(hi: number, lo: number): number {
    return this.slots[(this.dir[((this.top[hi] as number) << 8) | (lo >>> 24)] as number) + ((lo >>> 12) & 0xfff)] as number;
  }

  /** Index in `slots` of the slot for hi:lo, making its region and chunk if needed (`slots` may be replaced). */
  slotIndex(hi: number, lo: number): number {
    let region = this.top[hi] as number;
    if (region === 0) {
      if (this.topShared) {
        this.top = this.top.slice();
        this.topShared = false;
      }
      region = this.regions++;
      this.dir = grown(this.dir, this.regions * REGION_CHUNKS, 0);
      this.top[hi] = region;
    }
    const d = (region << 8) | (lo >>> 24);
    let chunk = this.dir[d] as number;
    if (chunk === 0) {
      chunk = this.chunks++ * CHUNK_SLOTS;
      this.slots = grown(this.slots, this.chunks * CHUNK_SLOTS, NO_FRAME);
      this.dir[d] = chunk;
    }
    return chunk + ((lo >>> 12) & 0xfff);
  }

  clone(): FrameDirectory {
    return new FrameDirectory(this);
  }
}

/** `a`, or a copy at least `length` long (doubling), the new part set to `fill`. */
function grown(a: Int32Array, length: number, fill: number): Int32Array {
  if (length <= a.length) return a;
  let n = Math.max(a.length, 1);
  while (n < length) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
