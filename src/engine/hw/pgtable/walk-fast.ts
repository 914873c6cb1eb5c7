/**
 * The untraced walk's fast path: the plain case only, as lean as the
 * hardware's own walker — valid table descriptors down to a page or an
 * allowed block, the access flag set, the access allowed, every address
 * within its size. It reads memory exactly as `walkTables` does and gives
 * the same result; anything else (any fault, TTBR1, an input beyond the
 * size) returns false before it has written the caller's record, and the
 * one walk in walk.ts translates the address again from the start and
 * reports what happened. A walk never writes memory, so walking twice is
 * exact. test/unit/engine/walk-fast.test.ts checks that every result and
 * fault equals the traced walk's, on random and corrupted tables of all
 * granules, stage 1, stage 2 and nested; walk-fast-nested.test.ts the same
 * for nested walks whose stage-1 tables stage 2 puts in the heap (W2).
 *
 * This file holds the general loop (any granule, any start level); the
 * commonest shape (4KB, 48-bit, level-0 start) takes the unrolled walks of
 * walk-fast-4k.ts first, and comes back here only for what they leave
 * (a block, a table outside the table pool).
 *
 * Nothing here allocates: results go to `res`, a module-level Int32Array.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { DENSE } from '../memory/table-pool.ts';
import { findEntry } from '../memory/qword-hash.ts';
import type { CompiledTtbr } from './regime.ts';
import type { WalkTables } from './tables.ts';
import { Reason } from './walk-codes.ts';
import { checkStage1Permission, checkStage2Permission } from './walk-permissions.ts';
import { nested4k, OTHER, walk4k, WALKED } from './walk-fast-4k.ts';

/**
 * Output of the last successful fast walk: address halves (int32 patterns),
 * leaf level, log2 of the mapping size, descriptors read, the leaf
 * descriptor and the hierarchical attributes gathered on the way down (bit
 * 3 APTable[1], 2 APTable[0], 1 UXNTable, 0 PXNTable) — what an IOTLB entry
 * needs for its permissions. A nested walk adds the final stage-2 leaf.
 */
export const res = new Int32Array(11);
export const RES_HI = 0;
export const RES_LO = 1;
export const RES_LEVEL = 2;
export const RES_SHIFT = 3;
export const RES_READS = 4;
export const RES_LEAF_LO = 5;
export const RES_LEAF_HI = 6;
export const RES_HIER = 7;
export const RES_S2_LEAF_LO = 8;
export const RES_S2_LEAF_HI = 9;
export const RES_S2_LEVEL = 10;

/** The result of a stage-2 walk inside a nested walk (kept apart from `res`). */
const s2res = new Int32Array(11);

/** Whether hi:lo (int32 patterns) is at or beyond 2^bits, bits in 25..52. */
function beyondBits(hi: number, lo: number, bits: number): boolean {
  if (bits >= 32) return hi >>> (bits - 32) !== 0;
  return hi !== 0 || lo >>> bits !== 0;
}

/**
 * The descent through `t` for input hi:lo; with `s2` every table address is
 * an IPA translated by stage 2 first. True with the output in `out`.
 */
function descend(mem: PhysicalMemory, t: WalkTables, hi: number, lo: number, access: number, s2: WalkTables | null, out: Int32Array): boolean {
  const g = t.geometry;
  const gShift = g.granuleShift;
  const stride = g.stride;
  const start = g.startLevel;
  const oaBits = t.oaBits;
  const granuleMask = (1 << gShift) - 1;
  const lpa = gShift === 16;
  const hierarchical = t.hierarchical;
  let tableHi = t.baseHi;
  let tableLo = t.baseLo;
  if (beyondBits(tableHi, tableLo, oaBits)) return false;
  let hier = 0;
  let reads = 0;
  const pool = mem.pool.words;
  const words = mem.words;
  const hashBase = mem.hashBase;
  const hashShift = mem.hashShift;
  const hashEntries = mem.hashEntries;
  const poolState = mem.pool.state;
  const poolHi = mem.pool.hi;
  const poolLo = mem.pool.lo;
  for (let level = start; level <= 3; level++) {
    const shift = gShift + (3 - level) * stride;
    const mask = (1 << (level === start ? t.startBits : stride)) - 1;
    const index = shift >= 32 ? (hi >>> (shift - 32)) & mask : ((lo >>> shift) | (hi << (32 - shift))) & mask;
    let readHi = tableHi;
    let readLo = (tableLo + index * 8) | 0;
    if (s2 !== null) {
      if (!walkS2(mem, s2, readHi, readLo, 0, s2res)) return false;
      readHi = s2res[RES_HI] as number;
      readLo = s2res[RES_LO] as number;
      reads += s2res[RES_READS] as number;
    }
    reads++;
    let dLo: number;
    let dHi: number;
    const p = (readLo - poolLo) >>> 2;
    if (readHi === poolHi && p < pool.length) {
      if (poolState[p >>> 10] === DENSE) {
        dLo = pool[p] as number;
        dHi = pool[p + 1] as number;
      } else {
        // A sparse table's nonzero qwords are in the hash; a frame that does not exist has none: both read 0 here, and a 0 descriptor sends the walk to the one walk, which tells them apart.
        const e = findEntry(words, hashBase, hashShift, hashEntries, readHi, readLo);
        dLo = e < 0 ? 0 : words[e + 2] as number;
        dHi = e < 0 ? 0 : words[e + 3] as number;
      }
    } else {
      if (!mem.readQ(readHi, readLo, otherQ)) return false;
      dLo = otherQ[0] as number;
      dHi = otherQ[1] as number;
    }
    if ((dLo & 1) === 0) return false;
    let oaHi = dHi & 0xffff;
    if (lpa) oaHi |= ((dLo >>> 12) & 0xf) << 16;
    const oaLo = dLo & ~granuleMask;
    if ((dLo & 2) !== 0 && level < 3) {
      if (beyondBits(oaHi, oaLo, oaBits)) return false;
      if (hierarchical) hier |= (dHi >>> 27) & 0xf; // PXNTable, UXNTable, APTable[0], APTable[1]: bits 59..62
      tableHi = oaHi;
      tableLo = oaLo;
      continue;
    }
    // A page at level 3, or a block where the granule allows one (4KB: levels 1 and 2; 16KB and 64KB: level 2).
    if (level === 3 ? (dLo & 2) === 0 : level !== 2 && !(level === 1 && gShift === 12)) return false;
    // Leaves map at most 1GB (shift <= 30), so the offset is all in the low half.
    const offsetMask = (1 << shift) - 1;
    const outLo = (oaLo & ~offsetMask) | (lo & offsetMask);
    if (beyondBits(oaHi, outLo, oaBits)) return false;
    if (((dLo >>> 10) & 1) === 0 && !t.affd) return false;
    const reason = t.stage === 1
      ? checkStage1Permission(access, dLo, dHi, (hier >>> 3) & 1, (hier >>> 2) & 1, (hier >>> 1) & 1, hier & 1)
      : checkStage2Permission(access, dLo, dHi);
    if (reason !== Reason.None) return false;
    out[RES_HI] = oaHi;
    out[RES_LO] = outLo;
    out[RES_LEVEL] = level;
    out[RES_SHIFT] = shift;
    out[RES_READS] = reads;
    out[RES_LEAF_LO] = dLo;
    out[RES_LEAF_HI] = dHi;
    out[RES_HIER] = hier;
    return true;
  }
  return false;
}

/** A descriptor read by PhysicalMemory.readQ (not from a dense pool table). */
const otherQ = new Int32Array(2);

/** The descent, through the unrolled 4KB walk (walk-fast-4k.ts) when the table has that shape and lies where it reads. */
function descendAny(mem: PhysicalMemory, t: WalkTables, hi: number, lo: number, access: number, s2: WalkTables | null, out: Int32Array): boolean {
  if (s2 === null && t.fast4k === 1) {
    const r = walk4k(mem, t, hi, lo, access, out);
    if (r !== OTHER) return r === WALKED;
  }
  return descend(mem, t, hi, lo, access, s2, out);
}

/** Stage 2 of an IPA (int32 halves): the IPA must be within the stage's input size. */
function walkS2(mem: PhysicalMemory, s2: WalkTables, hi: number, lo: number, access: number, out: Int32Array): boolean {
  if (beyondBits(hi, lo, s2.geometry.inputSize)) return false;
  return descendAny(mem, s2, hi, lo, access, null, out);
}

/**
 * Stage 1 through TTBR0 (VA[55] = 0, the bits above the input size zero, or
 * top byte ignored), nested when `s2` is given. True with `res` set: the
 * output address, and for a nested walk RES_SHIFT already the smaller of the
 * stages' mapping sizes; `ipa` receives the intermediate address.
 */
export function fastStage1(mem: PhysicalMemory, t: CompiledTtbr, hi: number, lo: number, access: number, s2: WalkTables | null, ipa: Int32Array): boolean {
  if (((hi & t.zeroHi) | (lo & t.zeroLo)) !== 0) return false;
  if (s2 === null) {
    // fast4k is 0 for a disabled TTBR (EPDx = 1).
    if (t.fast4k === 1) {
      const r = walk4k(mem, t, hi, lo, access, res);
      if (r !== OTHER) return r === WALKED;
    }
    return t.enabled && descend(mem, t, hi, lo, access, null, res);
  }
  if (t.fast4k === 1 && s2.fast4k === 1) {
    const r = nested4k(mem, t, s2, hi, lo, access, res, ipa);
    if (r !== OTHER) return r === WALKED;
  }
  return t.enabled && fastNested(mem, t, hi, lo, access, s2, ipa);
}

/** The nested part of fastStage1: stage 1 through stage-2-translated tables, then stage 2 of the IPA. */
function fastNested(mem: PhysicalMemory, t: CompiledTtbr, hi: number, lo: number, access: number, s2: WalkTables, ipa: Int32Array): boolean {
  if (!descendAny(mem, t, hi, lo, access, s2, res)) return false;
  const ipaHi = res[RES_HI] as number;
  const ipaLo = res[RES_LO] as number;
  const s1Shift = res[RES_SHIFT] as number;
  const s1Reads = res[RES_READS] as number;
  const s1Level = res[RES_LEVEL] as number;
  if (!walkS2(mem, s2, ipaHi, ipaLo, access, s2res)) return false;
  ipa[0] = ipaHi;
  ipa[1] = ipaLo;
  res[RES_HI] = s2res[RES_HI] as number;
  res[RES_LO] = s2res[RES_LO] as number;
  res[RES_LEVEL] = s1Level;
  res[RES_SHIFT] = Math.min(s1Shift, s2res[RES_SHIFT] as number);
  res[RES_READS] = s1Reads + (s2res[RES_READS] as number);
  res[RES_S2_LEAF_LO] = s2res[RES_LEAF_LO] as number;
  res[RES_S2_LEAF_HI] = s2res[RES_LEAF_HI] as number;
  res[RES_S2_LEVEL] = s2res[RES_LEVEL] as number;
  return true;
}

/** Stage-2-only translation of an IPA. True with `res` set. */
export function fastStage2(mem: PhysicalMemory, s2: WalkTables, hi: number, lo: number, access: number): boolean {
  return walkS2(mem, s2, hi, lo, access, res);
}

