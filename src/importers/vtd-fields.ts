/**
 * The VT-d structures the debugfs dumps print, field by field. Names are
 * the VT-d specification's; bit positions come from the project's
 * shared/reference/encodings.md section 7 (from QEMU's intel_iommu_internal.h),
 * and, where marked [Linux], from Linux's drivers/iommu/intel/iommu.h and
 * pasid.h (context_set_sm_dte/pre, context_pdts, pasid_set_*). Self-contained
 * on purpose: the importer decodes text and does not depend on the engine.
 */

export type FieldKind = 'flag' | 'number' | 'address';

export interface FieldSpec {
  readonly name: string;
  /** Index into the entry's words, as the entry's `wordNames` label them. */
  readonly word: number;
  readonly hi: number;
  readonly lo: number;
  readonly kind: FieldKind;
  readonly doc: string;
  readonly meaning?: (value: bigint) => string;
}

export interface DecodedField {
  readonly name: string;
  /** "lo[63:12]", "val[1][15:0]". */
  readonly bits: string;
  /** The field's value; for an address field, the address in place (the word with the low bits cleared). */
  readonly value: bigint;
  readonly kind: FieldKind;
  readonly meaning: string | undefined;
  readonly doc: string;
}

export interface EntryLayout {
  readonly title: string;
  readonly wordNames: readonly string[];
  readonly fields: readonly FieldSpec[];
}

const mask = (width: number) => (1n << BigInt(width)) - 1n;

export function fieldValue(spec: FieldSpec, words: readonly bigint[]): bigint {
  const word = words[spec.word] ?? 0n;
  if (spec.kind === 'address') return word & (mask(spec.hi + 1) ^ mask(spec.lo));
  return (word >> BigInt(spec.lo)) & mask(spec.hi - spec.lo + 1);
}

export function decodeEntry(layout: EntryLayout, words: readonly bigint[]): DecodedField[] {
  return layout.fields.map((f) => {
    const value = fieldValue(f, words);
    const range = f.hi === f.lo ? `${f.hi}` : `${f.hi}:${f.lo}`;
    return { name: f.name, bits: `${layout.wordNames[f.word] ?? `word ${f.word}`}[${range}]`, value, kind: f.kind, meaning: f.meaning?.(value), doc: f.doc };
  });
}

/** Reads one field by name; undefined when the layout has no such field. */
export function field(layout: EntryLayout, words: readonly bigint[], name: string): bigint | undefined {
  const spec = layout.fields.find((f) => f.name === name);
  return spec ? fieldValue(spec, words) : undefined;
}

const present = (v: bigint) => (v === 1n ? 'present' : 'not present');
const fpd = (v: bigint) => (v === 1n ? 'faults from this entry are not recorded' : 'faults are recorded');

/** AW: levels = AW + 2, width = 30 + 9 * AW (encodings.md, legacy context entry). */
export function awMeaning(v: bigint): string {
  if (v >= 1n && v <= 3n) return `${Number(v) + 2}-level table, ${30 + 9 * Number(v)}-bit addresses`;
  return 'reserved value';
}

const TT: Record<string, string> = {
  '0': 'untranslated requests walk the second-stage table at SLPTPTR; Device-TLB not allowed',
  '1': 'as 0, and the device may cache translations in its Device-TLB (ATS)',
  '2': 'pass-through: the DMA address is used as the host physical address',
  '3': 'reserved (fault reason 0xD, CONTEXT_ENTRY_TT)',
};

export const PGTT_NAMES: Record<string, string> = {
  '1': 'first-stage translation only (FLPTR)',
  '2': 'second-stage translation only (SLPTPTR)',
  '3': 'nested: first stage, then second stage',
  '4': 'pass-through',
};

export const ROOT_LEGACY: EntryLayout = {
  title: 'Root entry (legacy)',
  wordNames: ['lo', 'hi'],
  fields: [
    { name: 'P', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Present', meaning: present },
    { name: 'CTP', word: 0, hi: 63, lo: 12, kind: 'address', doc: 'Context-table Pointer: the bus\'s 256 context entries, indexed by devfn' },
  ],
};

export const ROOT_SCALABLE: EntryLayout = {
  title: 'Root entry (scalable mode)',
  wordNames: ['lo', 'hi'],
  fields: [
    { name: 'LP', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Lower Present', meaning: present },
    { name: 'LCTP', word: 0, hi: 63, lo: 12, kind: 'address', doc: 'Lower Context Table Pointer: devfn 0x00-0x7f' },
    { name: 'UP', word: 1, hi: 0, lo: 0, kind: 'flag', doc: 'Upper Present', meaning: present },
    { name: 'UCTP', word: 1, hi: 63, lo: 12, kind: 'address', doc: 'Upper Context Table Pointer: devfn 0x80-0xff, indexed by devfn & 0x7f' },
  ],
};

export const CONTEXT_LEGACY: EntryLayout = {
  title: 'Context entry (legacy)',
  wordNames: ['lo', 'hi'],
  fields: [
    { name: 'P', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Present', meaning: present },
    { name: 'FPD', word: 0, hi: 1, lo: 1, kind: 'flag', doc: 'Fault Processing Disable', meaning: fpd },
    { name: 'TT', word: 0, hi: 3, lo: 2, kind: 'number', doc: 'Translation Type', meaning: (v) => TT[v.toString()] ?? '' },
    { name: 'SLPTPTR', word: 0, hi: 63, lo: 12, kind: 'address', doc: 'Second Level Page Translation Pointer: the root of the domain\'s page table' },
    { name: 'AW', word: 1, hi: 2, lo: 0, kind: 'number', doc: 'Address Width', meaning: awMeaning },
    { name: 'DID', word: 1, hi: 23, lo: 8, kind: 'number', doc: 'Domain Identifier: IOTLB entries are tagged with it', meaning: (v) => `domain ${v}` },
  ],
};

export const CONTEXT_SCALABLE: EntryLayout = {
  title: 'Context entry (scalable mode, low 128 bits as printed)',
  wordNames: ['lo', 'hi'],
  fields: [
    { name: 'P', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Present', meaning: present },
    { name: 'FPD', word: 0, hi: 1, lo: 1, kind: 'flag', doc: 'Fault Processing Disable', meaning: fpd },
    { name: 'DTE', word: 0, hi: 2, lo: 2, kind: 'flag', doc: 'Device-TLB Enable [Linux]', meaning: (v) => (v === 1n ? 'the device may use ATS' : 'no Device-TLB') },
    { name: 'PRE', word: 0, hi: 4, lo: 4, kind: 'flag', doc: 'Page Request Enable [Linux]', meaning: (v) => (v === 1n ? 'the device may send page requests (PRI)' : 'no page requests') },
    {
      name: 'PDTS', word: 0, hi: 11, lo: 9, kind: 'number', doc: 'PASID Directory Table Size [Linux context_pdts]',
      meaning: (v) => `${2 ** (Number(v) + 7)} directory entries: PASIDs 0 to ${2 ** (Number(v) + 13) - 1}`,
    },
    { name: 'PASIDDIRPTR', word: 0, hi: 63, lo: 12, kind: 'address', doc: 'PASID Directory Pointer: indexed by PASID[19:6]' },
    { name: 'RID_PASID', word: 1, hi: 19, lo: 0, kind: 'number', doc: 'the PASID used for requests that carry none [Linux]', meaning: (v) => `PASID ${v}` },
  ],
};

export const PASID_ENTRY: EntryLayout = {
  title: 'PASID table entry (low 192 bits as printed)',
  wordNames: ['val[0]', 'val[1]', 'val[2]'],
  fields: [
    { name: 'P', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Present', meaning: present },
    { name: 'FPD', word: 0, hi: 1, lo: 1, kind: 'flag', doc: 'Fault Processing Disable', meaning: fpd },
    { name: 'AW', word: 0, hi: 4, lo: 2, kind: 'number', doc: 'Address Width of the second stage', meaning: awMeaning },
    { name: 'PGTT', word: 0, hi: 8, lo: 6, kind: 'number', doc: 'PASID Granular Translation Type', meaning: (v) => PGTT_NAMES[v.toString()] ?? 'reserved (fault)' },
    { name: 'SLPTPTR', word: 0, hi: 63, lo: 12, kind: 'address', doc: 'Second Level Page Table Pointer' },
    { name: 'DID', word: 1, hi: 15, lo: 0, kind: 'number', doc: 'Domain Identifier', meaning: (v) => `domain ${v}` },
    { name: 'PWSNP', word: 1, hi: 23, lo: 23, kind: 'flag', doc: 'Page-Walk Snoop [Linux]', meaning: (v) => (v === 1n ? 'table walks snoop CPU caches' : 'walks do not snoop') },
    { name: 'PGSNP', word: 1, hi: 24, lo: 24, kind: 'flag', doc: 'Page Snoop [Linux]', meaning: (v) => (v === 1n ? 'every access snoops, whatever the device asks' : 'the request decides') },
    { name: 'SRE', word: 2, hi: 0, lo: 0, kind: 'flag', doc: 'Supervisor Request Enable [Linux]', meaning: (v) => (v === 1n ? 'supervisor requests allowed' : 'user requests only') },
    { name: 'FLPM', word: 2, hi: 3, lo: 2, kind: 'number', doc: 'First Level Paging Mode', meaning: (v) => (v === 0n ? '4-level paging' : v === 1n ? '5-level paging' : 'reserved') },
    { name: 'WPE', word: 2, hi: 4, lo: 4, kind: 'flag', doc: 'Write Protect Enable [Linux]' },
    { name: 'NXE', word: 2, hi: 5, lo: 5, kind: 'flag', doc: 'No Execute Enable [Linux]' },
    { name: 'EAFE', word: 2, hi: 7, lo: 7, kind: 'flag', doc: 'Extended Accessed Flag Enable [Linux]' },
    { name: 'FLPTR', word: 2, hi: 63, lo: 12, kind: 'address', doc: 'First Level Page Table Pointer: an x86-64 page table, a process\'s own for SVA' },
  ],
};

/** Second-stage paging entry (encodings.md "Paging entries"). The address stops at bit 51, the widest host address. */
export const PTE_SECOND_STAGE: EntryLayout = {
  title: 'Second-stage paging entry',
  wordNames: ['entry'],
  fields: [
    { name: 'R', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Read' },
    { name: 'W', word: 0, hi: 1, lo: 1, kind: 'flag', doc: 'Write' },
    { name: 'PS', word: 0, hi: 7, lo: 7, kind: 'flag', doc: 'Page Size: a leaf above the last level (2MB, 1GB)' },
    { name: 'SNP', word: 0, hi: 11, lo: 11, kind: 'flag', doc: 'Snoop' },
    { name: 'TM', word: 0, hi: 62, lo: 62, kind: 'flag', doc: 'Transient Mapping' },
    { name: 'ADDR', word: 0, hi: 51, lo: 12, kind: 'address', doc: 'the next table, or the page' },
  ],
};

/** First-stage entries are x86-64 paging entries. */
export const PTE_FIRST_STAGE: EntryLayout = {
  title: 'First-stage paging entry (x86-64 format)',
  wordNames: ['entry'],
  fields: [
    { name: 'P', word: 0, hi: 0, lo: 0, kind: 'flag', doc: 'Present' },
    { name: 'R/W', word: 0, hi: 1, lo: 1, kind: 'flag', doc: 'Read/Write: 1 allows writes' },
    { name: 'U/S', word: 0, hi: 2, lo: 2, kind: 'flag', doc: 'User/Supervisor' },
    { name: 'A', word: 0, hi: 5, lo: 5, kind: 'flag', doc: 'Accessed' },
    { name: 'D', word: 0, hi: 6, lo: 6, kind: 'flag', doc: 'Dirty (leaf only)' },
    { name: 'PS', word: 0, hi: 7, lo: 7, kind: 'flag', doc: 'Page Size: a leaf above the last level' },
    { name: 'XD', word: 0, hi: 63, lo: 63, kind: 'flag', doc: 'Execute Disable' },
    { name: 'ADDR', word: 0, hi: 51, lo: 12, kind: 'address', doc: 'the next table, or the page' },
  ],
};

/** Bits Linux never sets and the hardware rejects: a hint that the row was mistyped or from a corrupted table. */
export function reservedNotes(layout: EntryLayout, words: readonly bigint[]): string[] {
  const notes: string[] = [];
  const [lo = 0n, hi = 0n] = words;
  if (layout === ROOT_LEGACY) {
    if ((lo & 0xffen) !== 0n || hi !== 0n) notes.push('reserved bits are set (the hardware would report fault reason 0xA, ROOT_ENTRY_RSVD)');
  } else if (layout === CONTEXT_LEGACY) {
    if ((lo & 0xff0n) !== 0n || (hi & ~0xffff7fn) !== 0n) notes.push('reserved bits are set (the hardware would report fault reason 0xB, CONTEXT_ENTRY_RSVD)');
  }
  return notes;
}
