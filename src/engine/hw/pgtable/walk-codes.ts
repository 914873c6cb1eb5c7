/**
 * Fault and reason codes of the hot path (small integers, so the walk never
 * builds strings), with the words the trace and the UI show for them.
 */
import type { FaultType } from './types.ts';

export const FaultCode = {
  None: 0,
  Translation: 1,
  AccessFlag: 2,
  Permission: 3,
  AddressSize: 4,
  ExternalAbort: 5,
} as const;
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];

export const FAULT_TYPES: Record<Exclude<FaultCode, 0>, FaultType> = {
  1: 'translation',
  2: 'accessFlag',
  3: 'permission',
  4: 'addressSize',
  5: 'externalAbort',
};

export const Reason = {
  None: 0,
  InputOutOfRange: 1,
  Epd0: 2,
  Ttbr1Disabled: 3,
  TtbBeyondIps: 4,
  Invalid: 5,
  ReservedL3: 6,
  BlockNotAllowed: 7,
  TableBeyondIps: 8,
  OutputBeyondIps: 9,
  WalkEabt: 10,
  AccessFlag: 11,
  PermReadOnly: 12,
  PermReadOnlyTable: 13,
  PermUnprivileged: 14,
  PermUnprivilegedTable: 15,
  PermUxn: 16,
  PermUxnTable: 17,
  PermPxn: 18,
  PermPxnTable: 19,
  PermPxnEl0Writable: 20,
  IpaOutOfRange: 21,
  S2ReadDenied: 22,
  S2WriteDenied: 23,
  S2ExecuteNever: 24,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const REASON_TEXT: Record<Reason, string> = {
  0: '',
  1: 'input address outside the TTB0 and TTB1 regions: the bits above the input size (64 - TxSZ) are not all 0s or all 1s',
  2: 'walks through TTB0 are disabled (EPD0 = 1)',
  3: 'the address is in the TTB1 region (VA[55] = 1) and walks through TTB1 are disabled (EPD1 = 1)',
  4: 'the translation table base is beyond the output address size (IPS)',
  5: 'descriptor invalid: bit[0] = 0',
  6: 'reserved descriptor: bits[1:0] = 0b01 at level 3',
  7: 'block descriptor where this granule permits none',
  8: 'next-level table address beyond the output address size (IPS)',
  9: 'output address beyond the output address size (IPS)',
  10: 'descriptor read from physical memory that does not exist (external abort on the walk)',
  11: 'access flag: AF = 0 and access-flag faults are enabled (AFFD = 0)',
  12: 'write to a read-only mapping: AP[2] = 1',
  13: 'write forbidden by APTable[1] = 1 in a table descriptor above',
  14: 'unprivileged access to a privileged-only mapping: AP[1] = 0',
  15: 'unprivileged access forbidden by APTable[0] = 1 in a table descriptor above',
  16: 'unprivileged execute from a mapping with UXN = 1',
  17: 'unprivileged execute forbidden by UXNTable = 1 in a table descriptor above',
  18: 'privileged execute from a mapping with PXN = 1',
  19: 'privileged execute forbidden by PXNTable = 1 in a table descriptor above',
  20: 'privileged execute from memory writable by unprivileged accesses (AP = 0b01)',
  21: 'IPA beyond the stage-2 input size (64 - S2T0SZ bits)',
  22: 'stage 2 denies reads: S2AP[0] (bit 6) = 0',
  23: 'stage 2 denies writes: S2AP[1] (bit 7) = 0',
  24: 'stage 2 execute-never: XN (bit 54) = 1',
};

/** Which access of a nested translation a stage-2 fault arose on (the event record's CLASS field). */
export const FaultClass = { CD: 0, TT: 1, IN: 2 } as const;
export type FaultClass = (typeof FaultClass)[keyof typeof FaultClass];
