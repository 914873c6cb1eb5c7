/**
 * The fast path's commonest shape, written out level by level: a 4KB
 * granule, a 48-bit input and a walk that starts at level 0 with a full
 * 512-entry table, for stage 1 or stage 2 alone (`walk4k`) and for a nested
 * walk where both stages have that shape (`nested4k`).
 *
 * Why a separate, unrolled walk: the general loop (walk-fast.ts) picks each
 * level's index with a switch, keeps its state across iterations in stack
 * slots, and is too large for V8 to inline; here every level is a constant
 * shift, a mask, one range check and one load, so the chain of dependent
 * loads is all the CPU waits on, and consecutive walks overlap more.
 *
 * Each function answers WALKED (true, `out` set), NO (the walk may fault:
 * the one walk in walk.ts decides and reports) or OTHER (a block, or a
 * table where this path does not read: the general loop walks instead).
 * Anything unusual may answer NO or OTHER: a walk never writes memory, so
 * walking again from the start is exact.
 *
 * Where tables are read (physical-memory.ts): the upper levels from dense
 * tables of the table pool only. A table descriptor that points outside the
 * pool answers OTHER, which also stands for every output-size check on the
 * way down once the pool itself is within the output size. Only a DENSE
 * pool frame has nonzero words in the pool's array (table-pool.ts), so an
 * upper level reads its descriptor without looking at the frame's state: a
 * sparse or missing table reads 0, not a table descriptor, and answers
 * OTHER. A leaf table is dense or keeps its nonzero qwords in the hash; the
 * leaf looks at the frame's state first, so that a sparse leaf table costs
 * no load from the big array. For a nested walk the stage-1 tables are read
 * wherever stage 2 puts them: pool or heap, dense or sparse.
 *
 * Numbers are literals where the name would be a module constant or an
 * object's field (FaultCode.None): the bench's bundler turns those into
 * variables that V8 loads and checks on every use (docs/performance.md).
 * DENSE is table-pool.ts's 2, NO_FRAME frame-directory.ts's -1.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { findEntry } from '../memory/qword-hash.ts';
import type { WalkTables } from './tables.ts';
import { Reason } from './walk-codes.ts';
import { checkStage1Permission, checkStage2Permission } from './walk-permissions.ts';

export const NO = 0;
export const WALKED = 1;
export const OTHER = -1;

/**
 * One stage (no nesting) of tables with `fast4k` = 1 (tables.ts), input
 * hi:lo already checked against the input size. `out` as walk-fast.ts's
 * `res` (RES_HI .. RES_HIER).
 */
export function walk4k(mem: PhysicalMemory, t: WalkTables, hi: number, lo: number, access: number, out: Int32Array): number {
  const pool = mem.pool;
  const pw = pool.words;
  const ps = pool.state;
  const pHi = pool.hi;
  const pLo = pool.lo;
  const pLen = pw.length;
  // Bits of PA[51:32] at or above the output size; a descriptor's PA[47:32] is dHi & 0xffff.
  const hiBad = t.oaHiBad;
  if (t.baseHi !== pHi || (pHi & hiBad) !== 0) return OTHER;
  // Level 0 indexes with VA[47:39], 8 bytes an entry: hi[15:7] << 3.
  let p = ((t.baseLo | ((hi >>> 4) & 0xff8)) - pLo) >>> 2;
  if (p >= pLen) return OTHER;
  const d0Lo = pw[p] as number;
  const d0Hi = pw[p + 1] as number;
  if ((d0Lo & 3) !== 3 || (d0Hi & 0xffff) !== pHi) return OTHER;
  // Level 1: VA[38:30].
  p = (((d0Lo & ~0xfff) | (((hi << 5) | (lo >>> 27)) & 0xff8)) - pLo) >>> 2;
  if (p >= pLen) return OTHER;
  const d1Lo = pw[p] as number;
  const d1Hi = pw[p + 1] as number;
  if ((d1Lo & 3) !== 3 || (d1Hi & 0xffff) !== pHi) return OTHER;
  // Level 2: VA[29:21].
  p = (((d1Lo & ~0xfff) | ((lo >>> 18) & 0xff8)) - pLo) >>> 2;
  if (p >= pLen) return OTHER;
  const d2Lo = pw[p] as number;
  const d2Hi = pw[p + 1] as number;
  if ((d2Lo & 3) !== 3 || (d2Hi & 0xffff) !== pHi) return OTHER;
  // Level 3: VA[20:12]; a leaf table is dense in the pool or keeps its nonzero qwords in the hash.
  const aLo = (d2Lo & ~0xfff) | ((lo >>> 9) & 0xff8);
  p = (aLo - pLo) >>> 2;
  if (p >= pLen) return OTHER;
  let dLo: number;
  let dHi: number;
  if (ps[p >>> 10] === 2) {
    dLo = pw[p] as number;
    dHi = pw[p + 1] as number;
  } else {
    // Not there (a zero qword, or a frame that does not exist): NO, and the one walk tells them apart.
    const words = mem.words;
    const e = findEntry(words, mem.hashBase, mem.hashShift, mem.hashEntries, pHi, aLo);
    if (e < 0) return NO;
    dLo = words[e | 2] as number; // an entry's index is a multiple of 4 (qword-hash.ts)
    dHi = words[e | 3] as number;
  }
  // A page: bits[1:0] = 0b11, the access flag set (or AF faults disabled), the output within its size.
  if ((dLo & 3) !== 3 || ((dHi & 0xffff) & hiBad) !== 0) return NO;
  if (((dLo >>> 10) & 1) === 0 && !t.affd) return NO;
  // APTable[1], APTable[0], UXNTable, PXNTable: bits 62..59 of the table descriptors on the way.
  const hier = ((d0Hi | d1Hi | d2Hi) >>> 27) & t.hierMask;
  // A privileged read needs nothing of a stage-1 leaf (Arm ARM: AP[2:1] and XN only restrict writes, EL0 and fetches).
  if (access !== 0 || t.stage !== 1) {
    const reason = t.stage === 1
      ? checkStage1Permission(access, dLo, dHi, (hier >>> 3) & 1, (hier >>> 2) & 1, (hier >>> 1) & 1, hier & 1)
      : checkStage2Permission(access, dLo, dHi);
    if (reason !== Reason.None) return NO;
  }
  out[0] = dHi & 0xffff; // RES_HI
  out[1] = (dLo & ~0xfff) | (lo & 0xfff); // RES_LO
  out[2] = 3; // RES_LEVEL
  out[3] = 12; // RES_SHIFT
  out[4] = 4; // RES_READS
  out[5] = dLo; // RES_LEAF_LO
  out[6] = dHi; // RES_LEAF_HI
  out[7] = hier; // RES_HIER
  return WALKED;
}

/**
 * Stage 1 through stage-2-translated tables, both with `fast4k` = 1, then
 * stage 2 of the IPA: 4 x (4 + 1) + 4 = 24 reads. `out` as `res` with the
 * stage-2 leaf (RES_S2_*); `ipa` receives the intermediate address. The
 * five stage-2 walks are written out here rather than called: a call
 * passes the address through the stack, on the critical path of every read.
 */
export function nested4k(mem: PhysicalMemory, t: WalkTables, s2: WalkTables, hi: number, lo: number, access: number, out: Int32Array, ipa: Int32Array): number {
  const pool = mem.pool;
  const pw = pool.words;
  const ps = pool.state;
  const pHi = pool.hi;
  const pLo = pool.lo;
  const pLen = pw.length;
  const s1Bad = t.oaHiBad;
  const s2Bad = s2.oaHiBad;
  // Stage 2's tables are read from the pool, which must lie within its output size.
  if (s2.baseHi !== pHi || (pHi & s2Bad) !== 0) return OTHER;
  const s2Base = s2.baseLo;
  // The IPA stage 2 translates: each stage-1 table entry in turn, then the output.
  let aHi = t.baseHi;
  let aLo = t.baseLo;
  if ((aHi & s1Bad) !== 0) return NO;
  let hierAll = 0;
  let dLo = 0;
  let dHi = 0;
  for (let step = 0; step < 5; step++) {
    // VA[47:39], [38:30], [29:21], [20:12], 8 bytes an entry; step 4 is the output, offset included.
    if (step < 4) aLo |= step === 0 ? (hi >>> 4) & 0xff8 : step === 1 ? ((hi << 5) | (lo >>> 27)) & 0xff8 : step === 2 ? (lo >>> 18) & 0xff8 : (lo >>> 9) & 0xff8;
    // Stage 2 of aHi:aLo, within its 48-bit input: IPA[47:39], [38:30], [29:21] through the pool's dense tables.
    if (aHi >>> 16 !== 0) return NO;
    let p = ((s2Base | ((aHi >>> 4) & 0xff8)) - pLo) >>> 2;
    if (p >= pLen) return OTHER;
    let eLo = pw[p] as number;
    let eHi = pw[p + 1] as number;
    if ((eLo & 3) !== 3 || (eHi & 0xffff) !== pHi) return OTHER;
    p = (((eLo & ~0xfff) | (((aHi << 5) | (aLo >>> 27)) & 0xff8)) - pLo) >>> 2;
    if (p >= pLen) return OTHER;
    eLo = pw[p] as number;
    eHi = pw[p + 1] as number;
    if ((eLo & 3) !== 3 || (eHi & 0xffff) !== pHi) return OTHER;
    p = (((eLo & ~0xfff) | ((aLo >>> 18) & 0xff8)) - pLo) >>> 2;
    if (p >= pLen) return OTHER;
    eLo = pw[p] as number;
    eHi = pw[p + 1] as number;
    if ((eLo & 3) !== 3 || (eHi & 0xffff) !== pHi) return OTHER;
    // IPA[20:12]: the stage-2 leaf, dense or in the hash.
    const leafLo = (eLo & ~0xfff) | ((aLo >>> 9) & 0xff8);
    p = (leafLo - pLo) >>> 2;
    if (p >= pLen) return OTHER;
    if (ps[p >>> 10] === 2) {
      eLo = pw[p] as number;
      eHi = pw[p + 1] as number;
    } else {
      const e = findEntry(mem.words, mem.hashBase, mem.hashShift, mem.hashEntries, pHi, leafLo);
      if (e < 0) return NO;
      eLo = mem.words[e | 2] as number;
      eHi = mem.words[e | 3] as number;
    }
    if ((eLo & 3) !== 3 || ((eHi & 0xffff) & s2Bad) !== 0) return NO;
    if (((eLo >>> 10) & 1) === 0 && !s2.affd) return NO;
    const oHi = eHi & 0xffff;
    const oLo = (eLo & ~0xfff) | (aLo & 0xfff);
    if (step === 4) {
      if (checkStage2Permission(access, eLo, eHi) !== Reason.None) return NO;
      ipa[0] = aHi;
      ipa[1] = aLo;
      out[0] = oHi; // RES_HI
      out[1] = oLo; // RES_LO
      out[2] = 3; // RES_LEVEL (stage 1's)
      out[3] = 12; // RES_SHIFT: both stages map 4KB here
      out[4] = 24; // RES_READS
      out[5] = dLo; // RES_LEAF_LO
      out[6] = dHi; // RES_LEAF_HI
      out[7] = (hierAll >>> 27) & t.hierMask; // RES_HIER
      out[8] = eLo; // RES_S2_LEAF_LO
      out[9] = eHi; // RES_S2_LEAF_HI
      out[10] = 3; // RES_S2_LEVEL
      return WALKED;
    }
    // A stage-1 table is read at a PA: S2AP[0] (bit 6) must allow reads.
    if (((eLo >>> 6) & 1) === 0) return NO;
    // The stage-1 descriptor at oHi:oLo, wherever stage 2 put its table: a dense pool table, else the heap or the hash.
    p = (oLo - pLo) >>> 2;
    const inPool = oHi === pHi && p < pLen;
    // The heap's frame slot (FrameDirectory.lookup; oHi is a descriptor's PA[47:32], within its 2^20 regions): a dense page >= 0, -1 none, else sparse.
    const dirs = mem.dirs;
    const v = inPool ? (ps[p >>> 10] === 2 ? 0 : -2) : dirs.slots[(dirs.dir[((dirs.top[oHi] as number) << 8) | (oLo >>> 24)] as number) + ((oLo >>> 12) & 0xfff)] as number;
    if (inPool && v === 0) {
      dLo = pw[p] as number;
      dHi = pw[p + 1] as number;
    } else if (v >= 0) {
      const w = (v << 10) | ((oLo & 0xff8) >>> 2);
      dLo = mem.words[w] as number;
      dHi = mem.words[w | 1] as number;
    } else {
      // A sparse frame, in the pool or the heap, keeps its nonzero qwords in the hash.
      if (v === -1) return NO;
      const e = findEntry(mem.words, mem.hashBase, mem.hashShift, mem.hashEntries, oHi, oLo);
      if (e < 0) return NO;
      dLo = mem.words[e | 2] as number;
      dHi = mem.words[e | 3] as number;
    }
    if ((dLo & 3) !== 3) return NO;
    aHi = dHi & 0xffff;
    aLo = dLo & ~0xfff;
    if ((aHi & s1Bad) !== 0) return NO;
    if (step < 3) {
      hierAll |= dHi;
    } else {
      // The stage-1 page: access flag, permissions, and the IPA with the page offset.
      if (((dLo >>> 10) & 1) === 0 && !t.affd) return NO;
      const hier = (hierAll >>> 27) & t.hierMask;
      if (access !== 0 && checkStage1Permission(access, dLo, dHi, (hier >>> 3) & 1, (hier >>> 2) & 1, (hier >>> 1) & 1, hier & 1) !== Reason.None) return NO;
      aLo |= lo & 0xfff;
    }
  }
  return NO;
}
