/**
 * The table pool: the PA range the TableAllocator hands translation-table
 * pages out of, with a frame's state found by subtraction
 * (`state[(pa - base) >>> 12]`) instead of through the heap's frame
 * directory (physical-memory.ts), and its dense frames in one Int32Array in
 * address order, so that a walk reads a descriptor of a dense table with a
 * range check, a state load and one load: `words[(pa - base) >>> 2]`.
 *
 * A pool frame is ABSENT until written or zeroed (reads fail, as anywhere),
 * then SPARSE: its nonzero qwords live in the memory's qword hash (keyed by
 * PA, so they need nothing from the pool), and its words here stay zero;
 * once it holds DENSE_AT nonzero qwords it becomes DENSE, its qwords here.
 * Why not every table dense: a mapping of scattered pages leaves thousands
 * of last-level tables with a few descriptors each; as 4KB frames they
 * spread over tens of MB and every walk pays a cache and TLB miss, where
 * the hash packs them 16 bytes apart (measured in docs/performance.md).
 * Tables that fill up (upper levels, contiguous mappings, stage 2) are read
 * straight from the array.
 *
 * The pool covers [base, base + 4 * words.length): it grows (doubling) as
 * the allocator reaches further, never past `limit` (the table memory's
 * size, cut at the end of its 4GB region so that one compare of PA[51:32]
 * decides membership).
 */
export const ABSENT = 0;
export const SPARSE = 1;
export const DENSE = 2;

export class TablePool {
  /** PA[51:32] of the base, or -1 when there is no pool (no PA matches). */
  hi = -1;
  /** PA[31:0] of the base. */
  lo = 0;
  /** Bytes the pool may grow to. */
  limit = 0;
  /** The covered frames' words; only DENSE frames' are nonzero. */
  words = new Int32Array(0);
  /** ABSENT, SPARSE or DENSE per covered frame. */
  state = new Uint8Array(0);
  /** Nonzero qwords (in the hash) per SPARSE frame. */
  counts = new Uint16Array(0);
  /** Frames that exist. */
  count = 0;

  /** Word index (even) of the qword holding hi:lo if the pool covers it, else -1. */
  indexOf(hi: number, lo: number): number {
    const i = (lo - this.lo) >>> 2;
    return hi === this.hi && i < this.words.length ? i & ~1 : -1;
  }

  /** Makes the frame of word index `i` exist (SPARSE and empty) if it does not. */
  touch(i: number): void {
    const f = i >>> 10;
    if (this.state[f] === ABSENT) {
      this.state[f] = SPARSE;
      this.counts[f] = 0;
      this.count++;
    }
  }

  /**
   * Covers at least `bytes` from the base (capped at the limit); returns the
   * previous and new covered sizes in bytes so that the caller can move the
   * heap's frames of the new part in.
   */
  grow(bytes: number): { from: number; to: number } {
    const from = this.words.length * 4;
    if (this.hi < 0 || bytes <= from) return { from, to: from };
    const to = Math.min(this.limit, Math.max(bytes, from * 2, 0x1_0000));
    // Only DENSE frames hold words: copying just those leaves the rest untouched (and uncommitted by the OS).
    const words = new Int32Array(to / 4);
    for (let f = 0; f < this.state.length; f++) if (this.state[f] === DENSE) words.set(this.words.subarray(f << 10, (f + 1) << 10), f << 10);
    const state = new Uint8Array(to / 4096);
    state.set(this.state);
    const counts = new Uint16Array(to / 4096);
    counts.set(this.counts);
    this.words = words;
    this.state = state;
    this.counts = counts;
    return { from, to };
  }

  clone(): TablePool {
    const c = new TablePool();
    c.hi = this.hi;
    c.lo = this.lo;
    c.limit = this.limit;
    c.words = this.words.slice();
    c.state = this.state.slice();
    c.counts = this.counts.slice();
    c.count = this.count;
    return c;
  }
}
