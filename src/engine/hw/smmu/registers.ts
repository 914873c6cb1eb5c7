/**
 * The SMMU's programming interface: register offsets and fields (SMMUv3
 * spec, "Register formats"; offsets as in Linux's ARM_SMMU_*). IDRs are
 * read-only and come from the modelled features.
 */
import type { FieldSpec } from './fields.ts';

export const REGISTERS = {
  IDR0: { offset: 0x0, size: 4, readOnly: true },
  IDR1: { offset: 0x4, size: 4, readOnly: true },
  IDR3: { offset: 0xc, size: 4, readOnly: true },
  IDR5: { offset: 0x14, size: 4, readOnly: true },
  CR0: { offset: 0x20, size: 4, readOnly: false },
  CR0ACK: { offset: 0x24, size: 4, readOnly: true },
  CR1: { offset: 0x28, size: 4, readOnly: false },
  CR2: { offset: 0x2c, size: 4, readOnly: false },
  GBPA: { offset: 0x44, size: 4, readOnly: false },
  GERROR: { offset: 0x60, size: 4, readOnly: true },
  GERRORN: { offset: 0x64, size: 4, readOnly: false },
  STRTAB_BASE: { offset: 0x80, size: 8, readOnly: false },
  STRTAB_BASE_CFG: { offset: 0x88, size: 4, readOnly: false },
  CMDQ_BASE: { offset: 0x90, size: 8, readOnly: false },
  CMDQ_PROD: { offset: 0x98, size: 4, readOnly: false },
  // Software sets CONS (and EVTQ_PROD) only while the queue is disabled, when it initialises the queue.
  CMDQ_CONS: { offset: 0x9c, size: 4, readOnly: false },
  EVTQ_BASE: { offset: 0xa0, size: 8, readOnly: false },
  EVTQ_PROD: { offset: 0x100a8, size: 4, readOnly: false },
  EVTQ_CONS: { offset: 0x100ac, size: 4, readOnly: false },
} as const;

export type RegisterName = keyof typeof REGISTERS;

export const REGISTER_NAMES = Object.keys(REGISTERS) as RegisterName[];

export function registerAt(offset: number): RegisterName | undefined {
  return REGISTER_NAMES.find((n) => REGISTERS[n].offset === offset);
}

/** Field layouts of the registers whose fields the model acts on. */
export const REGISTER_FIELDS: Partial<Record<RegisterName, readonly FieldSpec[]>> = {
  CR0: [
    { name: 'SMMUEN', qword: 0, msb: 0, lsb: 0, doc: 'Translation enabled; while 0, GBPA decides bypass or abort for all traffic.' },
    { name: 'PRIQEN', qword: 0, msb: 1, lsb: 1, doc: 'PRI queue enabled.' },
    { name: 'EVTQEN', qword: 0, msb: 2, lsb: 2, doc: 'Event queue enabled.' },
    { name: 'CMDQEN', qword: 0, msb: 3, lsb: 3, doc: 'Command queue enabled.' },
    { name: 'ATSCHK', qword: 0, msb: 4, lsb: 4, doc: 'ATS translated transactions are checked against the STE.' },
  ],
  CR2: [
    { name: 'E2H', qword: 0, msb: 0, lsb: 0, doc: 'EL2 streams use the EL2-E2H regime.' },
    { name: 'RECINVSID', qword: 0, msb: 1, lsb: 1, doc: 'Record C_BAD_STREAMID for StreamIDs beyond the stream table (otherwise they are terminated silently).' },
    { name: 'PTM', qword: 0, msb: 2, lsb: 2, doc: 'Private TLB maintenance: ignore broadcast TLB invalidation.' },
  ],
  GBPA: [
    { name: 'ABORT', qword: 0, msb: 20, lsb: 20, doc: 'While SMMUEN = 0: abort all incoming transactions (1) or let them bypass (0).' },
    { name: 'UPDATE', qword: 0, msb: 31, lsb: 31, doc: 'Set by software to commit a GBPA update; cleared when done.' },
  ],
  GERROR: [
    { name: 'CMDQ_ERR', qword: 0, msb: 0, lsb: 0, doc: 'The command queue stopped on an error (see CMDQ_CONS.ERR).' },
    { name: 'EVTQ_ABT_ERR', qword: 0, msb: 2, lsb: 2, doc: 'An event queue write aborted.' },
  ],
  STRTAB_BASE: [
    { name: 'ADDR', qword: 0, msb: 51, lsb: 6, kind: 'address', doc: 'Stream table (or L1 stream table) base.' },
    { name: 'RA', qword: 0, msb: 62, lsb: 62, doc: 'Read-allocate hint.' },
  ],
  STRTAB_BASE_CFG: [
    { name: 'LOG2SIZE', qword: 0, msb: 5, lsb: 0, doc: 'The table covers 2^LOG2SIZE StreamIDs.' },
    { name: 'SPLIT', qword: 0, msb: 10, lsb: 6, doc: '2-level: StreamID bits that index an L2 table (Linux uses 8).' },
    { name: 'FMT', qword: 0, msb: 17, lsb: 16, doc: 'Format.', values: { 0: 'linear', 1: '2-level' } },
  ],
  CMDQ_BASE: [
    { name: 'LOG2SIZE', qword: 0, msb: 4, lsb: 0, doc: 'The queue holds 2^LOG2SIZE entries.' },
    { name: 'ADDR', qword: 0, msb: 51, lsb: 5, kind: 'address', doc: 'Queue base address.' },
    { name: 'RA', qword: 0, msb: 62, lsb: 62, doc: 'Read-allocate hint.' },
  ],
  EVTQ_BASE: [
    { name: 'LOG2SIZE', qword: 0, msb: 4, lsb: 0, doc: 'The queue holds 2^LOG2SIZE entries.' },
    { name: 'ADDR', qword: 0, msb: 51, lsb: 5, kind: 'address', doc: 'Queue base address.' },
    { name: 'WA', qword: 0, msb: 62, lsb: 62, doc: 'Write-allocate hint.' },
  ],
  CMDQ_CONS: [
    { name: 'RD', qword: 0, msb: 19, lsb: 0, doc: 'Read index, with the wrap flag in bit LOG2SIZE.' },
    { name: 'ERR', qword: 0, msb: 30, lsb: 24, doc: 'Why the queue stopped.', values: { 0: 'CERROR_NONE', 1: 'CERROR_ILL', 2: 'CERROR_ABT', 3: 'CERROR_ATC_INV_SYNC' } },
  ],
  EVTQ_PROD: [
    { name: 'WR', qword: 0, msb: 19, lsb: 0, doc: 'Write index, with the wrap flag in bit LOG2SIZE.' },
    { name: 'OVFLG', qword: 0, msb: 31, lsb: 31, doc: 'Toggled when the queue overflowed (records were lost) and the previous overflow was acknowledged.' },
  ],
  EVTQ_CONS: [
    { name: 'RD', qword: 0, msb: 19, lsb: 0, doc: 'Read index, with the wrap flag in bit LOG2SIZE.' },
    { name: 'OVACKFLG', qword: 0, msb: 31, lsb: 31, doc: 'Software copies OVFLG here to acknowledge an overflow.' },
  ],
};

/** CMDQ_CONS.ERR values. */
export const CERROR = { NONE: 0, ILL: 1, ABT: 2, ATC_INV_SYNC: 3 } as const;
