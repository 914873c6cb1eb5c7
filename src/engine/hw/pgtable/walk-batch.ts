/**
 * Many untraced translations at once, for bulk DMA traffic: the walks of a
 * batch advance level by level in lock-step, so their descriptor loads do not
 * depend on each other and the CPU overlaps the cache misses (one walk at a
 * time waits for each miss in turn: a descriptor read is a pointer chase).
 *
 * It is a pre-pass of the one walk, not a second implementation: a lane only
 * completes here when every level is the plain case (a valid table
 * descriptor, then a valid page or block-free leaf with the access flag set
 * and the access allowed). Anything else — a fault of any kind, a block, an
 * input outside TTBR0's range, an address beyond the output size — marks the
 * lane, and the lane is translated again from the start by `walkStage1`,
 * whose answer is the one reported. The walk never writes memory, so doing
 * it again is exact. test/unit/engine/walk-batch.test.ts checks that the
 * batch equals `walkStage1` on random tables, granules, stages and nesting.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { DENSE } from '../memory/table-pool.ts';

/** A descriptor read by PhysicalMemory.readQ (not from a dense pool table). */
const otherQ = new Int32Array(2);
import type { Stage1Regime } from './regime.ts';
import type { WalkTables } from './tables.ts';
import { FaultCode, Reason } from './walk-codes.ts';
import { checkStage1Permission, checkStage2Permission } from './walk-permissions.ts';
import { ACCESS_READ, beyond, indexAt, walkStage1, type WalkOut } from './walk.ts';

/** Lanes per lock-step group: enough independent loads to fill the CPU's miss queue. */
export const BATCH_LANES = 16;

const ACTIVE = 0;
const DONE = 1;
const REDO = 2;
const IDLE = 3;

/** Per-lane state of one stage, reused by every batch (the hot path allocates nothing). */
class Lanes {
  readonly inHi = new Int32Array(BATCH_LANES);
  readonly inLo = new Int32Array(BATCH_LANES);
  readonly tabHi = new Int32Array(BATCH_LANES);
  readonly tabLo = new Int32Array(BATCH_LANES);
  /** Descriptor address to read at the current level (after stage 2 when nested). */
  readonly rdHi = new Int32Array(BATCH_LANES);
  readonly rdLo = new Int32Array(BATCH_LANES);
  /** Hierarchical attributes gathered on the way down: bit 0 APTable[1], 1 APTable[0], 2 UXNTable, 3 PXNTable. */
  readonly hier = new Int32Array(BATCH_LANES);
  readonly state = new Int32Array(BATCH_LANES);
  /** The descriptor each lane read. */
  readonly dLo = new Int32Array(BATCH_LANES);
  readonly dHi = new Int32Array(BATCH_LANES);
  readonly outHi = new Int32Array(BATCH_LANES);
  readonly outLo = new Int32Array(BATCH_LANES);
}

const s1Lanes = new Lanes();
const s2Lanes = new Lanes();

/**
 * Translates through stage 2 the address each lane of `L` holds: rdHi:rdLo
 * of the ACTIVE lanes (a table address), or with `final` outHi:outLo of the
 * DONE lanes (the output IPA).
 */
function throughStage2(mem: PhysicalMemory, s2: WalkTables, L: Lanes, n: number, access: number, final: boolean): void {
  const S = s2Lanes;
  const want = final ? DONE : ACTIVE;
  for (let i = 0; i < n; i++) {
    S.state[i] = L.state[i] === want ? ACTIVE : IDLE;
    S.inHi[i] = final ? (L.outHi[i] as number) : (L.rdHi[i] as number);
    S.inLo[i] = final ? (L.outLo[i] as number) : (L.rdLo[i] as number);
  }
  descend(mem, s2, S, n, access, null);
  for (let i = 0; i < n; i++) {
    if (L.state[i] !== want) continue;
    if (S.state[i] !== DONE) { L.state[i] = REDO; continue; }
    if (final) { L.outHi[i] = S.outHi[i] as number; L.outLo[i] = S.outLo[i] as number; }
    else { L.rdHi[i] = S.outHi[i] as number; L.rdLo[i] = S.outLo[i] as number; }
  }
}

/** The lock-step descent through `t` for every ACTIVE lane; each ends DONE (output in outHi:outLo) or REDO. */
function descend(mem: PhysicalMemory, t: WalkTables, L: Lanes, n: number, access: number, s2: WalkTables | null): void {
  const g = t.geometry;
  const granuleMask = g.granule - 1;
  const oaBits = t.oaBits;
  const stage1 = t.stage === 1;
  const hierarchical = t.hierarchical;
  const baseBeyond = beyond(t.baseHi, t.baseLo, oaBits);
  for (let i = 0; i < n; i++) {
    if (L.state[i] !== ACTIVE) continue;
    if (baseBeyond || beyond(L.inHi[i] as number, L.inLo[i] as number, g.inputSize)) { L.state[i] = REDO; continue; }
    L.tabHi[i] = t.baseHi;
    L.tabLo[i] = t.baseLo;
    L.hier[i] = 0;
  }
  const pool = mem.pool.words;
  const poolState = mem.pool.state;
  const poolHi = mem.pool.hi;
  const poolLo = mem.pool.lo;
  for (let level = g.startLevel; level <= 3; level++) {
    const shift = g.granuleShift + (3 - level) * g.stride;
    const nbits = level === g.startLevel ? t.startBits : g.stride;
    for (let i = 0; i < n; i++) {
      if (L.state[i] !== ACTIVE) continue;
      L.rdHi[i] = L.tabHi[i] as number;
      L.rdLo[i] = ((L.tabLo[i] as number) + indexAt(L.inHi[i] as number, L.inLo[i] as number, shift, nbits) * 8) | 0;
    }
    if (s2 !== null) throughStage2(mem, s2, L, n, ACCESS_READ, false);
    // Nothing but the descriptor loads, independent across lanes: a body this short lets the CPU keep all their misses in flight.
    const state = L.state;
    const loads = L.dLo;
    const loadsHi = L.dHi;
    for (let i = 0; i < n; i++) {
      if (state[i] !== ACTIVE) continue;
      const readHi = L.rdHi[i] as number;
      const readLo = L.rdLo[i] as number;
      const p = (readLo - poolLo) >>> 2;
      if (readHi === poolHi && p < pool.length && poolState[p >>> 10] === DENSE) {
        loads[i] = pool[p] as number;
        loadsHi[i] = pool[p + 1] as number;
        continue;
      }
      if (!mem.readQ(readHi, readLo, otherQ)) { state[i] = REDO; continue; }
      loads[i] = otherQ[0] as number;
      loadsHi[i] = otherQ[1] as number;
    }
    for (let i = 0; i < n; i++) {
      if (L.state[i] !== ACTIVE) continue;
      const dLo = loads[i] as number;
      const dHi = loadsHi[i] as number;
      let oaHi = dHi & 0xffff;
      if (granuleMask === 0xffff) oaHi |= ((dLo >>> 12) & 0xf) << 16;
      const oaLo = dLo & ~granuleMask;
      if (level < 3) {
        if ((dLo & 3) !== 3 || beyond(oaHi, oaLo, oaBits)) { L.state[i] = REDO; continue; }
        if (hierarchical) L.hier[i] = (L.hier[i] as number) | ((dHi >>> 30) & 1) | (((dHi >>> 29) & 1) << 1) | (((dHi >>> 28) & 1) << 2) | (((dHi >>> 27) & 1) << 3);
        L.tabHi[i] = oaHi;
        L.tabLo[i] = oaLo;
        continue;
      }
      const outLo = oaLo | ((L.inLo[i] as number) & granuleMask);
      if ((dLo & 3) !== 3 || beyond(oaHi, outLo, oaBits) || (((dLo >>> 10) & 1) === 0 && !t.affd)) { L.state[i] = REDO; continue; }
      const h = L.hier[i] as number;
      const reason = stage1
        ? checkStage1Permission(access, dLo, dHi, h & 1, (h >>> 1) & 1, (h >>> 2) & 1, (h >>> 3) & 1)
        : checkStage2Permission(access, dLo, dHi);
      if (reason !== Reason.None) { L.state[i] = REDO; continue; }
      L.outHi[i] = oaHi;
      L.outLo[i] = outLo;
      L.state[i] = DONE;
    }
  }
}

/**
 * Stage-1 translation (nested when `s2` is given) of `n` addresses
 * inHi[i]:inLo[i] with the same access. Writes outHi/outLo (int32 patterns)
 * and outFault (FaultCode.None on success); returns the number that faulted.
 * `out` is scratch for the lanes the one walk redoes; it holds the last of
 * them afterwards.
 */
export function walkStage1Batch(
  mem: PhysicalMemory, r: Stage1Regime, inHi: Int32Array, inLo: Int32Array, access: number, n: number,
  outHi: Int32Array, outLo: Int32Array, outFault: Int32Array, out: WalkOut, s2: WalkTables | null = null,
): number {
  const L = s1Lanes;
  const t = r.ttbr0;
  let faults = 0;
  for (let first = 0; first < n; first += BATCH_LANES) {
    const count = Math.min(BATCH_LANES, n - first);
    for (let i = 0; i < count; i++) {
      const hi = inHi[first + i] as number;
      L.inHi[i] = hi;
      L.inLo[i] = inLo[first + i] as number;
      // TTBR0 only (VA[55] = 0): the bits above the input size are then checked by `descend`.
      L.state[i] = t.enabled && ((hi >>> 23) & 1) === 0 ? ACTIVE : REDO;
    }
    descend(mem, t, L, count, access, s2);
    if (s2 !== null) throughStage2(mem, s2, L, count, access, true);
    for (let i = 0; i < count; i++) {
      const k = first + i;
      if (L.state[i] === DONE) {
        outHi[k] = L.outHi[i] as number;
        outLo[k] = L.outLo[i] as number;
        outFault[k] = FaultCode.None;
        continue;
      }
      const ok = walkStage1(mem, r, L.inHi[i] as number, L.inLo[i] as number, access, out, null, s2);
      outHi[k] = out.hi | 0;
      outLo[k] = out.lo | 0;
      outFault[k] = out.fault;
      if (!ok) faults++;
    }
  }
  return faults;
}
