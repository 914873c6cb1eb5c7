/**
 * The Context Descriptor: 64 bytes, eight qwords (SMMUv3 spec, "Context
 * Descriptor"; positions as in Linux's arm-smmu-v3.h and QEMU). Qwords 5-7
 * hold implementation-defined and MPAM fields this model does not use.
 */
import type { FieldSpec } from './fields.ts';

export const CD_QWORDS = 8;
export const CD_BYTES = 64;

const RGN = { 0: 'Non-cacheable', 1: 'Write-Back, Read/Write-Allocate', 2: 'Write-Through', 3: 'Write-Back, no Write-Allocate' } as const;
const SH = { 0: 'Non-shareable', 2: 'Outer Shareable', 3: 'Inner Shareable' } as const;
const PS = { 0: '32 bits', 1: '36 bits', 2: '40 bits', 3: '42 bits', 4: '44 bits', 5: '48 bits', 6: '52 bits' } as const;

export const CD_FIELDS: readonly FieldSpec[] = [
  { name: 'T0SZ', qword: 0, msb: 5, lsb: 0, doc: 'Size of the TTB0 region: 64 - T0SZ bits.' },
  { name: 'TG0', qword: 0, msb: 7, lsb: 6, doc: 'TTB0 granule.', values: { 0: '4KB', 1: '64KB', 2: '16KB', 3: 'reserved' } },
  { name: 'IRGN0', qword: 0, msb: 9, lsb: 8, doc: 'Inner cacheability of TTB0 walks.', values: RGN },
  { name: 'ORGN0', qword: 0, msb: 11, lsb: 10, doc: 'Outer cacheability of TTB0 walks.', values: RGN },
  { name: 'SH0', qword: 0, msb: 13, lsb: 12, doc: 'Shareability of TTB0 walks.', values: SH },
  { name: 'EPD0', qword: 0, msb: 14, lsb: 14, doc: 'Disable walks through TTB0: addresses in that region fault.' },
  { name: 'ENDI', qword: 0, msb: 15, lsb: 15, doc: 'Translation tables are big-endian.' },
  { name: 'T1SZ', qword: 0, msb: 21, lsb: 16, doc: 'Size of the TTB1 region: 64 - T1SZ bits.' },
  { name: 'TG1', qword: 0, msb: 23, lsb: 22, doc: 'TTB1 granule (TCR_EL1.TG1 encoding).', values: { 0: 'reserved', 1: '16KB', 2: '4KB', 3: '64KB' } },
  { name: 'IRGN1', qword: 0, msb: 25, lsb: 24, doc: 'Inner cacheability of TTB1 walks.', values: RGN },
  { name: 'ORGN1', qword: 0, msb: 27, lsb: 26, doc: 'Outer cacheability of TTB1 walks.', values: RGN },
  { name: 'SH1', qword: 0, msb: 29, lsb: 28, doc: 'Shareability of TTB1 walks.', values: SH },
  { name: 'EPD1', qword: 0, msb: 30, lsb: 30, doc: 'Disable walks through TTB1 (Linux sets it: no TTB1 for devices).' },
  { name: 'V', qword: 0, msb: 31, lsb: 31, doc: 'Valid. A transaction that selects a CD with V = 0 is terminated with C_BAD_CD.' },
  { name: 'IPS', qword: 0, msb: 34, lsb: 32, doc: 'Stage-1 output (intermediate physical) address size.', values: PS },
  { name: 'AFFD', qword: 0, msb: 35, lsb: 35, doc: 'Access flag fault disable.' },
  { name: 'WXN', qword: 0, msb: 36, lsb: 36, doc: 'Writable implies execute-never.' },
  { name: 'UWXN', qword: 0, msb: 37, lsb: 37, doc: 'Unprivileged-writable implies privileged execute-never.' },
  { name: 'TBI', qword: 0, msb: 39, lsb: 38, doc: 'Top-byte ignore: bit 0 for the TTB0 region, bit 1 for TTB1.' },
  { name: 'PAN', qword: 0, msb: 40, lsb: 40, doc: 'Privileged access never.' },
  { name: 'AA64', qword: 0, msb: 41, lsb: 41, doc: 'The tables are in the AArch64 (VMSAv8-64) format.' },
  { name: 'HD', qword: 0, msb: 42, lsb: 42, doc: 'Hardware update of the dirty state.' },
  { name: 'HA', qword: 0, msb: 43, lsb: 43, doc: 'Hardware update of the access flag.' },
  { name: 'S', qword: 0, msb: 44, lsb: 44, doc: 'Stage-1 faults stall rather than terminate.' },
  { name: 'R', qword: 0, msb: 45, lsb: 45, doc: 'Record stage-1 faults in the event queue.' },
  { name: 'A', qword: 0, msb: 46, lsb: 46, doc: 'A terminated transaction is aborted (1) rather than answered with RAZ/WI (0).' },
  { name: 'ASET', qword: 0, msb: 47, lsb: 47, doc: 'ASID set: 1 = not shared with CPU broadcast invalidation (non-shared set).' },
  { name: 'ASID', qword: 0, msb: 63, lsb: 48, doc: 'Address Space ID: tags this context\'s TLB entries; shared with the CPU for SVA.' },

  { name: 'NSCFG0', qword: 1, msb: 0, lsb: 0, doc: 'TTB0 walks are Non-secure (Secure streams only).' },
  { name: 'HAD0', qword: 1, msb: 1, lsb: 1, doc: 'Hierarchical attribute disable for TTB0: APTable/XNTable ignored.' },
  { name: 'TTB0', qword: 1, msb: 51, lsb: 4, kind: 'address', doc: 'Translation table base 0 (an IPA when stage 2 is enabled).' },

  { name: 'NSCFG1', qword: 2, msb: 0, lsb: 0, doc: 'TTB1 walks are Non-secure (Secure streams only).' },
  { name: 'HAD1', qword: 2, msb: 1, lsb: 1, doc: 'Hierarchical attribute disable for TTB1.' },
  { name: 'TTB1', qword: 2, msb: 51, lsb: 4, kind: 'address', doc: 'Translation table base 1.' },

  { name: 'MAIR0', qword: 3, msb: 31, lsb: 0, doc: 'Memory attribute indirection, attributes 0-3 (MAIR_ELx[31:0]).' },
  { name: 'MAIR1', qword: 3, msb: 63, lsb: 32, doc: 'Memory attribute indirection, attributes 4-7 (MAIR_ELx[63:32]).' },
  { name: 'AMAIR0', qword: 4, msb: 31, lsb: 0, doc: 'Auxiliary memory attributes (IMPLEMENTATION DEFINED).' },
  { name: 'AMAIR1', qword: 4, msb: 63, lsb: 32, doc: 'Auxiliary memory attributes (IMPLEMENTATION DEFINED).' },
];

/** Level-1 CD table descriptor (8 bytes): V and the L2 table pointer. */
export const L1CD_FIELDS: readonly FieldSpec[] = [
  { name: 'V', qword: 0, msb: 0, lsb: 0, doc: 'Valid: the L2 CD table exists.' },
  { name: 'L2Ptr', qword: 0, msb: 51, lsb: 12, kind: 'address', doc: 'Address of the L2 CD table.' },
];
