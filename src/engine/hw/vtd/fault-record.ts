/**
 * The fault recording registers (VT-d spec, "Primary Fault Logging"; QEMU
 * vtd_report_frcd_fault). A fault is written into the next free record; a
 * second fault from a requester that already has a pending record is
 * collapsed (not recorded); when the next record is still in use the fault
 * is lost and FSTS.PFO (primary fault overflow) is set. Software clears a
 * record by writing 1 to its F bit.
 */
import { faultReason } from './fault-reasons.ts';

export interface FaultRecord {
  /** F: the record holds a fault software has not cleared. */
  readonly f: boolean;
  /** Source identifier: the requester ID (bus << 8 | devfn). */
  readonly sid: number;
  /** FR: the fault reason. */
  readonly reason: number;
  /** FI: the faulting page address (bits 63:12). */
  readonly address: bigint;
  /** T: 0 = write, 1 = read (an execute request is a read here). */
  readonly type: 'read' | 'write';
  /** PP / PV: the request carried a PASID, and which. */
  readonly pasid?: number;
}

export type RecordOutcome =
  | { readonly recorded: true; readonly index: number }
  | { readonly recorded: false; readonly why: string };

export interface FaultLogState {
  records: (FaultRecord | null)[];
  next: number;
  /** FSTS.PFO. */
  overflow: boolean;
}

export function newFaultLog(nfr: number): FaultLogState {
  return { records: new Array<FaultRecord | null>(nfr).fill(null), next: 0, overflow: false };
}

export function cloneFaultLog(s: FaultLogState): FaultLogState {
  return { records: [...s.records], next: s.next, overflow: s.overflow };
}

export function recordFault(s: FaultLogState, r: Omit<FaultRecord, 'f'>): RecordOutcome {
  if (s.overflow) return { recorded: false, why: 'FSTS.PFO is set: primary fault overflow, new faults are lost until software clears it' };
  if (s.records.some((x) => x?.f && x.sid === r.sid)) return { recorded: false, why: `collapsed: a fault from requester 0x${r.sid.toString(16).padStart(4, '0')} is already pending` };
  const index = s.next;
  if (s.records[index]?.f) {
    s.overflow = true;
    return { recorded: false, why: `fault recording register ${index} is still in use: FSTS.PFO set` };
  }
  s.records[index] = { ...r, address: r.address & ~0xfffn, f: true };
  s.next = (index + 1) % s.records.length;
  return { recorded: true, index };
}

/** FSTS.PPF: some record is pending. FSTS.FRI: the index of the first pending record. */
export function pendingIndex(s: FaultLogState): number | null {
  const i = s.records.findIndex((x) => x?.f);
  return i < 0 ? null : i;
}

export function clearRecord(s: FaultLogState, index: number): boolean {
  const r = s.records[index];
  if (!r?.f) return false;
  s.records[index] = { ...r, f: false };
  return true;
}

/** The 128-bit register image (low qword: FI; high: SID 15:0, PP 31, FR 39:32, PV 59:40, T 62, F 63) as QEMU lays it out. */
export function encodeFaultRecord(r: FaultRecord): readonly [bigint, bigint] {
  const hi = BigInt(r.sid) | (r.pasid !== undefined ? 1n << 31n : 0n) | (BigInt(r.reason) << 32n)
    | (BigInt(r.pasid ?? 0) << 40n) | (r.type === 'read' ? 1n << 62n : 0n) | (r.f ? 1n << 63n : 0n);
  return [r.address & ~0xfffn, hi];
}

/** The message Linux's dmar_fault_do_one prints for a record. */
export function linuxFaultMessage(r: FaultRecord): string {
  const bdf = `${(r.sid >> 8).toString(16).padStart(2, '0')}:${((r.sid >> 3) & 0x1f).toString(16).padStart(2, '0')}.${r.sid & 7}`;
  const p = r.pasid === undefined ? 'NO_PASID' : `PASID 0x${r.pasid.toString(16)}`;
  return `[DMA ${r.type === 'read' ? 'Read' : 'Write'} ${p}] Request device [${bdf}] fault addr 0x${r.address.toString(16)} [fault reason 0x${r.reason.toString(16).padStart(2, '0')}] ${faultReason(r.reason).text}`;
}
