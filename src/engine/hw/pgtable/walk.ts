/**
 * The VMSAv8-64 stage-1 table walk (Arm ARM D8, "Translation table walks").
 *
 * One implementation, two modes (v86's page walk keeps a side-effects flag
 * the same way): with `trace` null it is the hot path — integer arithmetic on
 * 32-bit halves, no BigInt, no allocation; with a trace array it also records
 * every level for the UI. Both modes take the same branches, so the picture
 * is the translation.
 */
import type { PhysicalMemory } from '../memory/physical-memory.ts';
import { blockAllowed, levelIndexBits, levelShift } from './geometry.ts';
import type { CompiledTtbr, Stage1Regime } from './regime.ts';
import { FaultCode, Reason } from './walk-codes.ts';
import { recordStep, type TraceSink } from './walk-trace.ts';

/** Access encoding for the hot path: kind in bits 1:0, bit 2 = unprivileged. */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;
export const ACCESS_UNPRIVILEGED = 4;

/** Reused result record: the hot path writes into it instead of allocating. */
export interface WalkOut {
  /** Output address halves when fault = NONE. */
  hi: number;
  lo: number;
  fault: FaultCode;
  reason: Reason;
  /** Level of the final descriptor, or of the fault. */
  level: number;
  /** log2 of the mapping size (block or page) on success. */
  mapShift: number;
  /** Descriptor address of a failed read (external abort). */
  faultHi: number;
  faultLo: number;
  /** 0 or 1: the TTBR region the input fell in (-1 before selection). */
  ttbr: number;
  /** Descriptors read (memory accesses of the walk). */
  reads: number;
}

export function newWalkOut(): WalkOut {
  return { hi: 0, lo: 0, fault: FaultCode.None, reason: Reason.None, level: 0, mapShift: 0, faultHi: 0, faultLo: 0, ttbr: -1, reads: 0 };
}

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
    const v = (hi & mask) >>> 0;
    if (v !== (ones ? mask : 0)) return false;
  }
  if (from < 32) {
    const high = Math.min(to, 31);
    const width = high - from + 1;
    const mask = (width >= 32 ? 0xffff_ffff : ((1 << width) - 1) << from) >>> 0;
    const v = (lo & mask) >>> 0;
    if (v !== (ones ? mask : 0)) return false;
  }
  return true;
}

/** Bits [shift + nbits - 1 : shift] of hi:lo (nbits <= 13). */
export function indexAt(hi: number, lo: number, shift: number, nbits: number): number {
  const mask = (1 << nbits) - 1;
  if (shift >= 32) return (hi >>> (shift - 32)) & mask;
  if (shift + nbits <= 32) return (lo >>> shift) & mask;
  return ((lo >>> shift) | (hi << (32 - shift))) & mask;
}

/** Whether hi:lo lies at or beyond 2^bits. */
function beyond(hi: number, lo: number, bits: number): boolean {
  if (bits >= 32) return bits < 64 && hi >>> (bits - 32) !== 0;
  return hi !== 0 || lo >>> bits !== 0;
}

/** Picks TTB0 or TTB1 from VA[55] and checks the bits above the input size (Arm ARM, "VA ranges"). */
function selectTtbr(r: Stage1Regime, vaHi: number, vaLo: number, out: WalkOut): CompiledTtbr | undefined {
  const upper = ((vaHi >>> 23) & 1) === 1;
  out.ttbr = upper ? 1 : 0;
  const t = upper ? r.ttbr1 : r.ttbr0;
  if (t === undefined) {
    fail(out, FaultCode.Translation, Reason.Ttbr1Disabled, 0);
    return undefined;
  }
  if (!bitsUniform(vaHi, vaLo, t.geometry.inputSize, t.tbi ? 55 : 63, upper)) {
    fail(out, FaultCode.Translation, Reason.InputOutOfRange, 0);
    return undefined;
  }
  if (!t.enabled) {
    fail(out, FaultCode.Translation, upper ? Reason.Ttbr1Disabled : Reason.Epd0, 0);
    return undefined;
  }
  return t;
}

/**
 * Translates the input address vaHi:vaLo. Returns true with out.hi:out.lo set,
 * or false with out.fault, out.reason and out.level set.
 */
export function walkStage1(mem: PhysicalMemory, r: Stage1Regime, vaHi: number, vaLo: number, access: number, out: WalkOut, trace: TraceSink | null): boolean {
  out.fault = FaultCode.None;
  out.reason = Reason.None;
  out.reads = 0;
  const t = selectTtbr(r, vaHi, vaLo, out);
  if (t === undefined) return false;
  const g = t.geometry;
  const granuleMask = g.granule - 1;
  let tableHi = t.baseHi;
  let tableLo = t.baseLo;
  // A TTB beyond the OA size is reported as an address size fault at level 0 (FSC 0b000000).
  if (beyond(tableHi, tableLo, r.oaBits)) return fail(out, FaultCode.AddressSize, Reason.TtbBeyondIps, 0);

  // Hierarchical permissions gathered from APTable/XNTable on the way down.
  let noWrite = 0;
  let noUnpriv = 0;
  let uxnTable = 0;
  let pxnTable = 0;

  for (let level = g.startLevel; level <= 3; level++) {
    const shift = levelShift(g, level);
    const nbits = levelIndexBits(g, level);
    const index = indexAt(vaHi, vaLo, shift, nbits);
    const descLo32 = (tableLo + index * 8) >>> 0; // tables are aligned to their size: no carry into hi
    out.reads++;
    const slot = mem.slotOf(tableHi, descLo32);
    if (slot < 0) {
      out.faultHi = tableHi;
      out.faultLo = descLo32;
      if (trace) recordStep(trace, g, level, tableHi, tableLo, index, shift, nbits, undefined, undefined);
      return fail(out, FaultCode.ExternalAbort, Reason.WalkEabt, level);
    }
    const w = slot * 1024 + ((descLo32 & 0xfff) >>> 2);
    const dLo = mem.word(w);
    const dHi = mem.word(w + 1);
    if (trace) recordStep(trace, g, level, tableHi, tableLo, index, shift, nbits, dLo, dHi);

    if ((dLo & 1) === 0) return fail(out, FaultCode.Translation, Reason.Invalid, level);
    // Output or next-table address: bits [47:granule shift], plus OA[51:48] in bits [15:12] with a 64KB granule.
    let oaHi = dHi & 0xffff;
    if (g.granule === 65536) oaHi |= ((dLo >>> 12) & 0xf) << 16;
    const oaLo = (dLo & ~granuleMask) >>> 0;

    const isTable = (dLo & 2) !== 0 && level < 3;
    if (isTable) {
      if (beyond(oaHi, oaLo, r.oaBits)) return fail(out, FaultCode.AddressSize, Reason.TableBeyondIps, level);
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
    const outLo = ((oaLo & ~offsetMask) | (vaLo & offsetMask)) >>> 0;
    if (beyond(oaHi, outLo, r.oaBits)) return fail(out, FaultCode.AddressSize, Reason.OutputBeyondIps, level);
    // The access flag is checked before permissions: an AF fault has priority.
    if (((dLo >>> 10) & 1) === 0 && !r.affd) return fail(out, FaultCode.AccessFlag, Reason.AccessFlag, level);
    const reason = checkPermission(access, dLo, dHi, noWrite, noUnpriv, uxnTable, pxnTable);
    if (reason !== Reason.None) return fail(out, FaultCode.Permission, reason, level);

    out.hi = oaHi;
    out.lo = outLo;
    out.level = level;
    out.mapShift = shift;
    return true;
  }
  // Unreachable: level 3 always ends the walk; kept as a translation fault for safety.
  return fail(out, FaultCode.Translation, Reason.Invalid, 3);
}

/**
 * Stage-1 permission check for the EL1&0 regime the SMMU applies to a
 * non-EL2 stream (STE.STRW = NS-EL1). AP[2] (bit 7) makes the page read-only;
 * AP[1] (bit 6) grants unprivileged access; PXN (bit 53) and UXN (bit 54)
 * forbid execution. Memory writable by unprivileged software is never
 * executable by privileged software (Arm ARM, "Execute-never controls").
 */
function checkPermission(access: number, dLo: number, dHi: number, noWrite: number, noUnpriv: number, uxnTable: number, pxnTable: number): Reason {
  const kind = access & 3;
  const unprivileged = (access & ACCESS_UNPRIVILEGED) !== 0;
  const readOnly = ((dLo >>> 7) & 1) === 1;
  const el0 = ((dLo >>> 6) & 1) === 1;
  if (unprivileged) {
    if (!el0) return Reason.PermUnprivileged;
    if (noUnpriv) return Reason.PermUnprivilegedTable;
  }
  if (kind === ACCESS_WRITE) {
    if (readOnly) return Reason.PermReadOnly;
    if (noWrite) return Reason.PermReadOnlyTable;
  } else if (kind === ACCESS_EXEC) {
    if (unprivileged) {
      if ((dHi >>> 22) & 1) return Reason.PermUxn;
      if (uxnTable) return Reason.PermUxnTable;
    } else {
      if ((dHi >>> 21) & 1) return Reason.PermPxn;
      if (pxnTable) return Reason.PermPxnTable;
      if (el0 && !readOnly) return Reason.PermPxnEl0Writable;
    }
  }
  return Reason.None;
}
