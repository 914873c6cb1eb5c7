/**
 * The in-memory structures a VT-d unit reads, as named bit fields (VT-d
 * spec chapter "Translation Structure Formats"; field positions as Linux's
 * drivers/iommu/intel/iommu.h and pasid.h set them and QEMU's
 * intel_iommu_internal.h checks them). One table per structure drives
 * decoding, encoding (the vtd.writeContext / vtd.writePasidEntry steps) and
 * the view. Field names follow Linux where the spec has renamed them since
 * (SLPTPTR for SSPTPTR, FLPTR for FSPTPTR, FLPM for FSPM).
 */
import type { FieldSpec } from '../smmu/fields.ts';

/** Root table: 4 KB, 256 16-byte entries indexed by bus number. */
export const ROOT_ENTRY_BYTES = 16;
/** Legacy context entries are 16 bytes (256 per table), scalable-mode ones 32 bytes (128 per table, two tables per bus). */
export const LEGACY_CONTEXT_BYTES = 16;
export const SM_CONTEXT_BYTES = 32;
export const PASID_DIR_ENTRY_BYTES = 8;
export const PASID_ENTRY_BYTES = 64;
/** PASID[19:6] indexes the directory, PASID[5:0] the 64-entry PASID table (Linux PASID_PDE_SHIFT). */
export const PASID_PDE_SHIFT = 6;

export const LEGACY_ROOT_FIELDS: readonly FieldSpec[] = [
  { name: 'P', qword: 0, msb: 0, lsb: 0, doc: 'Present: the bus has a context table' },
  { name: 'CTP', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'Context-table pointer (4 KB aligned)' },
];

export const SM_ROOT_FIELDS: readonly FieldSpec[] = [
  { name: 'LP', qword: 0, msb: 0, lsb: 0, doc: 'Lower present: devfn 0-127 have a context table' },
  { name: 'LCTP', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'Lower context-table pointer (devfn 0-127)' },
  { name: 'UP', qword: 1, msb: 0, lsb: 0, doc: 'Upper present: devfn 128-255 have a context table' },
  { name: 'UCTP', qword: 1, msb: 63, lsb: 12, kind: 'address', doc: 'Upper context-table pointer (devfn 128-255, indexed by devfn & 0x7f)' },
];

export const LEGACY_CONTEXT_FIELDS: readonly FieldSpec[] = [
  { name: 'P', qword: 0, msb: 0, lsb: 0, doc: 'Present' },
  { name: 'FPD', qword: 0, msb: 1, lsb: 1, doc: 'Fault Processing Disable: qualified faults are not recorded' },
  { name: 'TT', qword: 0, msb: 3, lsb: 2, doc: 'Translation Type', values: { 0: 'untranslated requests only', 1: 'all requests (device-TLB)', 2: 'pass-through' } },
  { name: 'SLPTPTR', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'Second-level page-table pointer' },
  { name: 'AW', qword: 1, msb: 2, lsb: 0, doc: 'Address Width: AW + 2 levels', values: { 1: '39-bit, 3-level', 2: '48-bit, 4-level', 3: '57-bit, 5-level' } },
  { name: 'DID', qword: 1, msb: 23, lsb: 8, doc: 'Domain identifier: tags the IOTLB' },
];

export const SM_CONTEXT_FIELDS: readonly FieldSpec[] = [
  { name: 'P', qword: 0, msb: 0, lsb: 0, doc: 'Present' },
  { name: 'FPD', qword: 0, msb: 1, lsb: 1, doc: 'Fault Processing Disable' },
  { name: 'DTE', qword: 0, msb: 2, lsb: 2, doc: 'Device-TLB enable: translation requests (ATS) allowed' },
  { name: 'PASIDE', qword: 0, msb: 3, lsb: 3, doc: 'PASID enable: requests with PASID allowed' },
  { name: 'PRE', qword: 0, msb: 4, lsb: 4, doc: 'Page request enable' },
  { name: 'PDTS', qword: 0, msb: 11, lsb: 9, doc: 'PASID directory size: 2^(PDTS + 7) entries' },
  { name: 'PASIDDIRPTR', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'PASID directory pointer' },
  { name: 'RID_PASID', qword: 1, msb: 19, lsb: 0, doc: 'The PASID used for requests without PASID (Linux: IOMMU_NO_PASID = 0)' },
];

export const PASID_DIR_FIELDS: readonly FieldSpec[] = [
  { name: 'P', qword: 0, msb: 0, lsb: 0, doc: 'Present' },
  { name: 'FPD', qword: 0, msb: 1, lsb: 1, doc: 'Fault Processing Disable' },
  { name: 'PASIDPTR', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'PASID table pointer: 64 PASID entries, index PASID[5:0]' },
];

export const PGTT = { firstStage: 1, secondStage: 2, nested: 3, passThrough: 4 } as const;
export const PGTT_NAMES: Readonly<Record<number, string>> = { 1: 'first-stage', 2: 'second-stage', 3: 'nested', 4: 'pass-through' };

export const PASID_ENTRY_FIELDS: readonly FieldSpec[] = [
  { name: 'P', qword: 0, msb: 0, lsb: 0, doc: 'Present' },
  { name: 'FPD', qword: 0, msb: 1, lsb: 1, doc: 'Fault Processing Disable' },
  { name: 'AW', qword: 0, msb: 4, lsb: 2, doc: 'Address Width of the second stage: AW + 2 levels', values: { 1: '39-bit, 3-level', 2: '48-bit, 4-level', 3: '57-bit, 5-level' } },
  { name: 'PGTT', qword: 0, msb: 8, lsb: 6, doc: 'PASID Granular Translation Type', values: PGTT_NAMES },
  { name: 'SLPTPTR', qword: 0, msb: 63, lsb: 12, kind: 'address', doc: 'Second-stage page-table pointer (SSPTPTR)' },
  { name: 'DID', qword: 1, msb: 15, lsb: 0, doc: 'Domain identifier: tags the IOTLB and PASID cache' },
  { name: 'PWSNP', qword: 1, msb: 23, lsb: 23, doc: 'Page-walk snoop' },
  { name: 'PGSNP', qword: 1, msb: 24, lsb: 24, doc: 'Page snoop' },
  { name: 'SRE', qword: 2, msb: 0, lsb: 0, doc: 'Supervisor Request Enable' },
  { name: 'ERE', qword: 2, msb: 1, lsb: 1, doc: 'Execute Request Enable' },
  { name: 'FLPM', qword: 2, msb: 3, lsb: 2, doc: 'First-stage paging mode (FSPM)', values: { 0: '4-level', 1: '5-level' } },
  { name: 'WPE', qword: 2, msb: 4, lsb: 4, doc: 'Write Protect Enable (supervisor writes honour R/W)' },
  { name: 'NXE', qword: 2, msb: 5, lsb: 5, doc: 'No-execute enable: XD is honoured' },
  { name: 'FLPTR', qword: 2, msb: 63, lsb: 12, kind: 'address', doc: 'First-stage page-table pointer (FSPTPTR); a GPA when PGTT = nested' },
];

/** Reserved bits that make a present entry faulty (the *_RSVD fault reasons). Bits above the host address width are added by the checker. */
export const RESERVED = {
  legacyRoot: [0xffen, (1n << 64n) - 1n] as const,
  smRoot: [0xffen, 0xffen] as const,
  legacyContext: [0xff0n, 0x80n | (((1n << 40n) - 1n) << 24n)] as const,
  smContext: [0x1e0n, ((1n << 44n) - 1n) << 20n] as const,
  pasidDir: [0xffcn] as const,
  /** val[0] bits 11:10, val[2] bits 11:8, val[4..7]. */
  pasidEntry: [0xc00n, 0n, 0xf00n, 0n, (1n << 64n) - 1n, (1n << 64n) - 1n, (1n << 64n) - 1n, (1n << 64n) - 1n] as const,
};

/** Bits [msb:haw] of an address field that must be zero for a host address width `haw` (bits 63:52 are outside the field). */
export function beyondHaw(haw: number): bigint {
  return haw >= 52 ? 0n : ((1n << 52n) - 1n) & ~((1n << BigInt(haw)) - 1n);
}
