/**
 * The sparse half of physical memory: the nonzero qwords of sparsely used
 * frames, in one open-addressing hash table (linear probing) that lives in
 * the memory's word heap.
 *
 * Why: a translation table that maps scattered addresses uses a few
 * descriptors of each of thousands of 4KB tables. Stored as whole frames
 * those few descriptors lie 4KB apart across tens of MB, and every walk
 * pays a cache miss and a data-TLB miss for them; here they pack 16 bytes
 * apart into a table small enough for the CPU's L2 cache and L2 TLB.
 *
 * Entry (4 words): the qword's address PA >> 3 as two words (kLo = PA[34:3],
 * kHi = PA[51:35], never negative), then the value's low and high words.
 * kHi = EMPTY marks a free entry. The key is the address itself, not the
 * frame, so a probe's load depends only on the PA: the CPU can start it
 * before it has looked the frame up. Deletion shifts entries back (no
 * tombstones), so a probe stops at the first empty entry.
 */
export const EMPTY = -1;
/** Entry words: key low, key high, value low, value high. */
export const ENTRY_WORDS = 4;

/** Entry index the probe for the qword at PA hi:lo starts at, in a table of 2^(32 - shift) entries. */
export function homeOf(kLo: number, kHi: number, shift: number): number {
  return Math.imul(kLo ^ Math.imul(kHi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

/** Probes for the qword at PA hi:lo (aligned) in the table of `entries` entries at words[base]; returns the entry's word index or -1. */
export function findEntry(words: Int32Array, base: number, shift: number, entries: number, hi: number, lo: number): number {
  const kLo = (lo >>> 3) | (hi << 29);
  const kHi = hi >>> 3;
  const mask = entries - 1;
  let i = homeOf(kLo, kHi, shift);
  for (;;) {
    // Shifts and ors, not * ENTRY_WORDS and +: int32 arithmetic V8 needs no overflow checks for (an entry's
    // index is a multiple of 4, as the base is, so e | 1 is e + 1). The walks call this once per leaf.
    const e = (base + (i << 2)) | 0;
    const k = words[e | 1] as number;
    if (k === kHi && words[e] === kLo) return e;
    if (k === -1) return -1; // EMPTY
    i = (i + 1) & mask;
  }
}

/** Stores a key with a zero value in a free entry (the key must be absent and the table not full); returns the entry's word index. */
export function insertEntry(words: Int32Array, base: number, shift: number, entries: number, kLo: number, kHi: number): number {
  const mask = entries - 1;
  let i = homeOf(kLo, kHi, shift);
  for (;;) {
    const e = base + i * ENTRY_WORDS;
    if (words[e + 1] === EMPTY) {
      words[e] = kLo;
      words[e + 1] = kHi;
      words[e + 2] = 0;
      words[e + 3] = 0;
      return e;
    }
    i = (i + 1) & mask;
  }
}

/**
 * Removes the entry at word index `at`, moving later entries of the same
 * probe run back so that no probe meets a hole before its key.
 */
export function deleteEntry(words: Int32Array, base: number, shift: number, entries: number, at: number): void {
  const mask = entries - 1;
  let hole = (at - base) / ENTRY_WORDS;
  let j = hole;
  for (;;) {
    j = (j + 1) & mask;
    const e = base + j * ENTRY_WORDS;
    const kHi = words[e + 1] as number;
    if (kHi === EMPTY) break;
    const kLo = words[e] as number;
    const home = homeOf(kLo, kHi, shift);
    // The entry at j may fill the hole only if its home is not cyclically within (hole, j].
    const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
    if (stays) continue;
    const h = base + hole * ENTRY_WORDS;
    words[h] = kLo;
    words[h + 1] = kHi;
    words[h + 2] = words[e + 2] as number;
    words[h + 3] = words[e + 3] as number;
    hole = j;
  }
  words[base + hole * ENTRY_WORDS + 1] = EMPTY;
}

/** Moves every entry of the table at oldBase into the empty table at base (of `entries` entries, 2^(32 - shift)). */
export function rehashInto(words: Int32Array, oldBase: number, oldEntries: number, base: number, shift: number, entries: number): void {
  words.fill(EMPTY, base, base + entries * ENTRY_WORDS);
  for (let i = 0; i < oldEntries; i++) {
    const e = oldBase + i * ENTRY_WORDS;
    const kHi = words[e + 1] as number;
    if (kHi === EMPTY) continue;
    const at = insertEntry(words, base, shift, entries, words[e] as number, kHi);
    words[at + 2] = words[e + 2] as number;
    words[at + 3] = words[e + 3] as number;
  }
}
