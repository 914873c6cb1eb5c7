/** Permission checks of a leaf descriptor, per stage (Arm ARM D8, "Memory access control"). */
import { Reason } from './walk-codes.ts';

const WRITE = 1;
const EXEC = 2;
const UNPRIVILEGED = 4;

/**
 * Stage 1, in the EL1&0 regime the SMMU applies to a non-EL2 stream
 * (STE.STRW = NS-EL1). AP[2] (bit 7) makes the page read-only; AP[1] (bit 6)
 * grants unprivileged access; PXN (bit 53) and UXN (bit 54) forbid execution.
 * Memory writable by unprivileged software is never executable by privileged
 * software ("Execute-never controls").
 */
export function checkStage1Permission(access: number, dLo: number, dHi: number, noWrite: number, noUnpriv: number, uxnTable: number, pxnTable: number): Reason {
  const kind = access & 3;
  const unprivileged = (access & UNPRIVILEGED) !== 0;
  const readOnly = ((dLo >>> 7) & 1) === 1;
  const el0 = ((dLo >>> 6) & 1) === 1;
  if (unprivileged) {
    if (!el0) return Reason.PermUnprivileged;
    if (noUnpriv) return Reason.PermUnprivilegedTable;
  }
  if (kind === WRITE) {
    if (readOnly) return Reason.PermReadOnly;
    if (noWrite) return Reason.PermReadOnlyTable;
  } else if (kind === EXEC) {
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

/**
 * Stage 2: S2AP[0] (bit 6) allows reads, S2AP[1] (bit 7) allows writes;
 * XN (bit 54) forbids instruction fetches, which also need read permission.
 * Stage-2 descriptors carry no hierarchical attributes.
 */
export function checkStage2Permission(access: number, dLo: number, dHi: number): Reason {
  const kind = access & 3;
  if (kind === WRITE) return ((dLo >>> 7) & 1) === 1 ? Reason.None : Reason.S2WriteDenied;
  if (((dLo >>> 6) & 1) === 0) return Reason.S2ReadDenied;
  if (kind === EXEC && ((dHi >>> 22) & 1) === 1) return Reason.S2ExecuteNever;
  return Reason.None;
}
