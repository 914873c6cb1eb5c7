/**
 * VMSAv8-64 table walks (Arm ARM D8, "Translation table walks"): stage 1,
 * stage 2, and nested, where every stage-1 table address and the final IPA
 * are themselves translated by stage 2.
 *
 * One implementation, two modes (v86's page walk keeps a side-effects flag
 * the same way): with `trace` null it is the hot path — integer arithmetic on
 * 32-bit halves, no BigInt, no allocation; with a trace array it also records
 * every level for the UI. Both modes take the same branches, so the picture
 * is the translation.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { blockAllowed } from './geometry.ts';
import type { Stage1Regime } from './regime.ts';
import type { WalkTables } from './tables.ts';
import { FaultClass, FaultCode, Reason } from './walk-codes.ts';
import { checkStage1Permission, checkStage2Permission } from './walk-permissions.ts';
import { recordStep, type TraceSink } from './walk-trace.ts';
import { fastStage1, fastStage2, res, RES_HI, RES_LEVEL, RES_LO, RES_READS, RES_SHIFT } from './walk-fast.ts';

/** Access encoding for the hot path: kind in bits 1:0, bit 2 = unprivileged. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;
export const ACCESS_UNPRIVILEGED = 4;

/**
 * Reused result record: the hot path writes into it instead of allocating.
 * Address halves are 32-bit patterns that may be negative int32 values;
 * convert with `>>> 0` (or fromHalves) before arithmetic.
 */
export interface WalkOut {
  /** Output address halves when fault = None. */
  hi: number;
  lo: number;
  fault: FaultCode;
  reason: Reason;
  /** Level of the final descriptor, or of the fault. */
  level: number;
  /** log2 of the size this translation is valid for (the smaller of the stages' blocks or pages). */
  mapShift: number;
  /** Descriptor address of a failed read (external abort). */
  faultHi: number;
  faultLo: number;
  /** 0 or 1: the TTBR region the input fell in (-1 before selection, or for a stage-2-only walk). */
  ttbr: number;
  /** Descriptors read, stage-2 reads of a nested walk included. */
  reads: number;
  /** Stage at which the fault arose. */
  stage: 1 | 2;
  /** For a stage-2 fault of a nested walk: on a stage-1 table address (TT) or on the final IPA (IN). */
  faultClass: FaultClass;
  /** The IPA being translated when a stage-2 fault arose. */
  ipaHi: number;
  ipaLo: number;
}

export function newWalkOut(): WalkOut {
  return {
    hi: 0, lo: 0, fault: FaultCode.None, reason: Reason.None, level: 0, mapShift: 0, faultHi: 0, faultLo: 0,
    ttbr: -1, reads: 0, stage: 1, faultClass: FaultClass.IN, ipaHi: 0, ipaLo: 0,
  };
}

/** The descriptor a walk has just read (low word, high word). */
const qword = new Int32Array(2);

/** Stage-2 results inside a nested walk go here, so they never clobber the caller's record. */
const s2Scratch = newWalkOut();

function fail(out: WalkOut, fault: FaultCode, reason: Reason, level: number): false {
  out.fault = fault;
  out.reason = reason;
  out.level = level;
  return false;
}

/** Whether bits [to:from] of hi:lo are all zeros (ones = false) or all ones. */
function bitsUniform(hi: number, lo: number, from: number, to: number, ones: boolean): boolean {
  if (to >= 32) {
    const low = Math.max(from, 32) - 32;
    const width = to - 32 - low + 1;
    const mask = (width >= 32 ? 0xffff_ffff : ((1 << width) - 1) << low) >>> 0;
    if (((hi & mask) >>> 0) !== (ones ? mask : 0)) return false;
  }
  if (from < 32) {
    const width = Math.min(to, 31) - from + 1;
    const mask = (width >= 32 ? 0xffff_ffff : ((1 << width) - 1) << from) >>> 0;
    if (((lo & mask) >>> 0) !== (ones ? mask : 0)) return false;
  }
  return true;
}

/** Bits [shift + nbits - 1 : shift] of hi:lo (nbits <= 17). */
export function indexAt(hi: number, lo: number, shift: number, nbits: number): number {
  const mask = (1 << nbits) - 1;
  if (shift >= 32) return (hi >>> (shift - 32)) & mask;
  if (shift + nbits <= 32) return (lo >>> shift) & mask;
  return ((lo >>> shift) | (hi << (32 - shift))) & mask;
}

/** Whether hi:lo lies at or beyond 2^bits. */
export function beyond(hi: number, lo: number, bits: number): boolean {
  if (bits >= 32) return bits < 64 && hi >>> (bits - 32) !== 0;
  return hi !== 0 || lo >>> bits !== 0;
}

/** Copies a stage-2 fault from the scratch record into the caller's, naming the IPA and the access class. */
function failStage2(out: WalkOut, cls: FaultClass, ipaHi: number, ipaLo: number): false {
  out.stage = 2;
  out.faultClass = cls;
  out.ipaHi = ipaHi;
  out.ipaLo = ipaLo;
  out.faultHi = s2Scratch.faultHi;
  out.faultLo = s2Scratch.faultLo;
  out.reads += s2Scratch.reads;
  return fail(out, s2Scratch.fault, s2Scratch.reason, s2Scratch.level);
}

/**
 * The descent through one set of tables. With `s2` set (nested), each
 * descriptor address is an IPA that stage 2 translates before the read.
 */
function walkTables(mem: PhysicalMemory, t: WalkTables, vaHi: number, vaLo: number, access: number, out: WalkOut, trace: TraceSink | null, s2: WalkTables | null): boolean {
  const g = t.geometry;
  const granuleMask = g.granule - 1;
  let tableHi = t.baseHi;
  let tableLo = t.baseLo;
  // A table base beyond the output size is an address size fault at level 0 (FSC 0b000000).
  if (beyond(tableHi, tableLo, t.oaBits)) return fail(out, FaultCode.AddressSize, Reason.TtbBeyondIps, 0);
  let noWrite = 0;
  let noUnpriv = 0;
  let uxnTable = 0;
  let pxnTable = 0;

  for (let level = g.startLevel; level <= 3; level++) {
    const shift = g.granuleShift + (3 - level) * g.stride;
    const nbits = level === g.startLevel ? t.startBits : g.stride;
    const index = indexAt(vaHi, vaLo, shift, nbits);
    const descLo32 = (tableLo + index * 8) | 0; // tables are aligned to their size: no carry into hi; int32 keeps V8 on integers
    let readHi = tableHi;
    let readLo = descLo32;
    let sub: TraceSink | null = null;
    if (s2 !== null) {
      if (trace) sub = [];
      // A fresh stage-2 walk of the table address (reset and IPA range check included): nothing of an earlier walk may leak in.
      if (!walkStage2Inner(mem, s2, tableHi, descLo32, ACCESS_READ, s2Scratch, sub)) {
        if (trace) recordStep(trace, g, level, tableHi, tableLo, index, shift, nbits, undefined, undefined, sub, s2Scratch, t.stage);
        return failStage2(out, FaultClass.TT, tableHi, descLo32);
      }
      readHi = s2Scratch.hi;
      readLo = s2Scratch.lo;
      out.reads += s2Scratch.reads;
    }
    out.reads++;
    if (!mem.readQ(readHi, readLo, qword)) {
      out.faultHi = readHi;
      out.faultLo = readLo;
      if (trace) recordStep(trace, g, level, tableHi, tableLo, index, shift, nbits, undefined, undefined, sub, s2 && s2Scratch, t.stage);
      return fail(out, FaultCode.ExternalAbort, Reason.WalkEabt, level);
    }
    const dLo = qword[0] as number;
    const dHi = qword[1] as number;
    if (trace) recordStep(trace, g, level, tableHi, tableLo, index, shift, nbits, dLo, dHi, sub, s2 && s2Scratch, t.stage);

    if ((dLo & 1) === 0) return fail(out, FaultCode.Translation, Reason.Invalid, level);
    // Output or next-table address: bits [47:granule shift], plus OA[51:48] in bits [15:12] with a 64KB granule.
    let oaHi = dHi & 0xffff;
    if (g.granule === 65536) oaHi |= ((dLo >>> 12) & 0xf) << 16;
    const oaLo = dLo & ~granuleMask;

    if ((dLo & 2) !== 0 && level < 3) {
      if (beyond(oaHi, oaLo, t.oaBits)) return fail(out, FaultCode.AddressSize, Reason.TableBeyondIps, level);
      if (t.hierarchical) {
        noWrite |= (dHi >>> 30) & 1; // APTable[1], bit 62
        noUnpriv |= (dHi >>> 29) & 1; // APTable[0], bit 61
        uxnTable |= (dHi >>> 28) & 1; // UXNTable, bit 60
        pxnTable |= (dHi >>> 27) & 1; // PXNTable, bit 59
      }
      tableHi = oaHi;
      tableLo = oaLo;
      continue;
    }
    // Bits[1:0] = 0b01: a block at levels that allow one; reserved at level 3.
    if (level === 3 && (dLo & 2) === 0) return fail(out, FaultCode.Translation, Reason.ReservedL3, level);
    if (level < 3 && !blockAllowed(g, level)) return fail(out, FaultCode.Translation, Reason.BlockNotAllowed, level);

    const offsetMask = shift >= 32 ? 0xffff_ffff : (1 << shift) - 1;
    const outLo = (oaLo & ~offsetMask) | (vaLo & offsetMask);
    if (beyond(oaHi, outLo, t.oaBits)) return fail(out, FaultCode.AddressSize, Reason.OutputBeyondIps, level);
    // The access flag is checked before permissions: an access flag fault has priority.
    if (((dLo >>> 10) & 1) === 0 && !t.affd) return fail(out, FaultCode.AccessFlag, Reason.AccessFlag, level);
    const reason = t.stage === 1
      ? checkStage1Permission(access, dLo, dHi, noWrite, noUnpriv, uxnTable, pxnTable)
      : checkStage2Permission(access, dLo, dHi);
    if (reason !== Reason.None) return fail(out, FaultCode.Permission, reason, level);

    out.hi = oaHi;
    out.lo = outLo;
    out.level = level;
    out.mapShift = shift;
    return true;
  }
  return fail(out, FaultCode.Translation, Reason.Invalid, 3); // unreachable: level 3 always ends the walk
}

/** The intermediate address of a fast nested walk. */
const ipaHalves = new Int32Array(2);

/** A successful fast walk's result, in the fields the one walk sets on success. */
function fastResult(out: WalkOut, stage: 1 | 2, ttbr: number): void {
  // One load of the module's `res`, and literals for FaultCode.None and Reason.None: in the bench's bundle each
  // module-level name is a variable V8 loads (and checks) at every use, on every walk.
  const r = res;
  out.fault = 0;
  out.reason = 0;
  out.stage = stage;
  out.ttbr = ttbr;
  out.hi = r[RES_HI] as number;
  out.lo = r[RES_LO] as number;
  out.level = r[RES_LEVEL] as number;
  out.mapShift = r[RES_SHIFT] as number;
  out.reads = r[RES_READS] as number;
}

function reset(out: WalkOut): void {
  out.fault = FaultCode.None;
  out.reason = Reason.None;
  out.reads = 0;
  out.stage = 1;
  out.ttbr = -1;
}

/** Picks TTB0 or TTB1 from VA[55] and checks the bits above the input size (Arm ARM, "VA ranges"). */
function selectTtbr(r: Stage1Regime, vaHi: number, vaLo: number, out: WalkOut) {
  const upper = ((vaHi >>> 23) & 1) === 1;
  out.ttbr = upper ? 1 : 0;
  const t = upper ? r.ttbr1 : r.ttbr0;
  if (t === undefined) return fail(out, FaultCode.Translation, Reason.Ttbr1Disabled, 0) || undefined;
  if (!bitsUniform(vaHi, vaLo, t.geometry.inputSize, t.tbi ? 55 : 63, upper)) return fail(out, FaultCode.Translation, Reason.InputOutOfRange, 0) || undefined;
  if (!t.enabled) return fail(out, FaultCode.Translation, upper ? Reason.Ttbr1Disabled : Reason.Epd0, 0) || undefined;
  return t;
}

/**
 * Stage-1 translation of vaHi:vaLo; nested when `s2` is given. Returns true
 * with out.hi:out.lo set, or false with the fault, its level and stage.
 * `finalTrace` receives the stage-2 walk of the output IPA (nested only).
 */
export function walkStage1(mem: PhysicalMemory, r: Stage1Regime, vaHi: number, vaLo: number, access: number, out: WalkOut, trace: TraceSink | null, s2: WalkTables | null = null, finalTrace: TraceSink | null = null): boolean {
  // `| 0`: callers may pass uint32 halves; the fast path keeps int32 patterns, which V8 holds in integer registers.
  if (trace === null && finalTrace === null && fastStage1(mem, r.ttbr0, vaHi | 0, vaLo | 0, access, s2, ipaHalves)) {
    fastResult(out, 1, 0);
    if (s2 !== null) {
      out.ipaHi = ipaHalves[0] as number;
      out.ipaLo = ipaHalves[1] as number;
    }
    return true;
  }
  return walkStage1Slow(mem, r, vaHi, vaLo, access, out, trace, s2, finalTrace);
}

/** The one walk for stage 1: everything the fast path leaves (traces, faults, other shapes). Apart so that walkStage1 stays small enough for V8 to inline. */
function walkStage1Slow(mem: PhysicalMemory, r: Stage1Regime, vaHi: number, vaLo: number, access: number, out: WalkOut, trace: TraceSink | null, s2: WalkTables | null, finalTrace: TraceSink | null): boolean {
  reset(out);
  const t = selectTtbr(r, vaHi, vaLo, out);
  if (t === undefined) return false;
  if (!walkTables(mem, t, vaHi, vaLo, access, out, trace, s2)) return false;
  if (s2 === null) return true;
  const s1Shift = out.mapShift;
  const ipaHi = out.hi;
  const ipaLo = out.lo;
  if (!walkStage2Inner(mem, s2, ipaHi, ipaLo, access, s2Scratch, finalTrace)) return failStage2(out, FaultClass.IN, ipaHi, ipaLo);
  out.reads += s2Scratch.reads;
  out.hi = s2Scratch.hi;
  out.lo = s2Scratch.lo;
  out.ipaHi = ipaHi; // the intermediate address, for the IOTLB and stage-2 fault records
  out.ipaLo = ipaLo;
  out.mapShift = Math.min(s1Shift, s2Scratch.mapShift);
  return true;
}

function walkStage2Inner(mem: PhysicalMemory, s2: WalkTables, ipaHi: number, ipaLo: number, access: number, out: WalkOut, trace: TraceSink | null): boolean {
  reset(out);
  out.stage = 2;
  if (beyond(ipaHi, ipaLo, s2.geometry.inputSize)) return fail(out, FaultCode.Translation, Reason.IpaOutOfRange, 0);
  return walkTables(mem, s2, ipaHi, ipaLo, access, out, trace, null);
}

/** Stage-2-only translation of an IPA (STE.Config = stage 1 bypass, stage 2 translate). */
export function walkStage2(mem: PhysicalMemory, s2: WalkTables, ipaHi: number, ipaLo: number, access: number, out: WalkOut, trace: TraceSink | null): boolean {
  if (trace === null && fastStage2(mem, s2, ipaHi | 0, ipaLo | 0, access)) {
    fastResult(out, 2, -1);
    return true;
  }
  const ok = walkStage2Inner(mem, s2, ipaHi, ipaLo, access, out, trace);
  if (!ok) {
    out.faultClass = FaultClass.IN;
    out.ipaHi = ipaHi;
    out.ipaLo = ipaLo;
  }
  return ok;
}
