/**
 * Command queue entries: 16 bytes, two qwords (SMMUv3 spec, "Commands";
 * opcodes and field positions as in Linux's CMDQ_* and QEMU's CMD_*). Each
 * command has its own field table, so the queue view and the scenario format
 * name the same fields.
 */
import { decodeFields, encodeFields, getField, type FieldSpec, type FieldValues } from './fields.ts';

const OP: FieldSpec = { name: 'Opcode', qword: 0, msb: 7, lsb: 0, doc: 'The command.' };
const SSEC: FieldSpec = { name: 'SSec', qword: 0, msb: 10, lsb: 10, doc: 'Secure stream (Secure command queue only).' };
const SSV: FieldSpec = { name: 'SSV', qword: 0, msb: 11, lsb: 11, doc: 'The SubstreamID field is valid.' };
const SSID: FieldSpec = { name: 'SubstreamID', qword: 0, msb: 31, lsb: 12, doc: 'SubstreamID (PASID).' };
const SID: FieldSpec = { name: 'StreamID', qword: 0, msb: 63, lsb: 32, doc: 'StreamID.' };
const LEAF: FieldSpec = { name: 'Leaf', qword: 1, msb: 0, lsb: 0, doc: 'Only leaf entries (CFGI: only the STE/CD, not the L1 descriptor; TLBI: only last-level entries).' };
const RANGE: FieldSpec = { name: 'Range', qword: 1, msb: 4, lsb: 0, doc: 'Invalidate 2^(Range + 1) StreamIDs around StreamID; 31 = all.' };
const NUM: FieldSpec = { name: 'NUM', qword: 0, msb: 16, lsb: 12, doc: 'Range invalidation: number of pages - 1 (with SCALE).' };
const SCALE: FieldSpec = { name: 'SCALE', qword: 0, msb: 24, lsb: 20, doc: 'Range invalidation scale.' };
const VMID: FieldSpec = { name: 'VMID', qword: 0, msb: 47, lsb: 32, doc: 'Virtual Machine ID.' };
const ASID: FieldSpec = { name: 'ASID', qword: 0, msb: 63, lsb: 48, doc: 'Address Space ID.' };
const TTL: FieldSpec = { name: 'TTL', qword: 1, msb: 9, lsb: 8, doc: 'Level of the leaf entry, a hint (0 = unknown).' };
const TG: FieldSpec = { name: 'TG', qword: 1, msb: 11, lsb: 10, doc: 'Translation granule of a range invalidation (0 = not a range).' };
const VA: FieldSpec = { name: 'Address', qword: 1, msb: 63, lsb: 12, kind: 'address', doc: 'The address (VA) to invalidate.' };
const IPA: FieldSpec = { name: 'Address', qword: 1, msb: 51, lsb: 12, kind: 'address', doc: 'The IPA to invalidate.' };

export const COMMANDS = {
  CMD_PREFETCH_CONFIG: { opcode: 0x01, fields: [SSV, SSID, SID] },
  CMD_PREFETCH_ADDR: { opcode: 0x02, fields: [SSV, SSID, SID, VA] },
  CMD_CFGI_STE: { opcode: 0x03, fields: [SSEC, SID, LEAF] },
  CMD_CFGI_STE_RANGE: { opcode: 0x04, fields: [SSEC, SID, RANGE] },
  CMD_CFGI_CD: { opcode: 0x05, fields: [SSEC, SSID, SID, LEAF] },
  CMD_CFGI_CD_ALL: { opcode: 0x06, fields: [SSEC, SID] },
  CMD_TLBI_NH_ALL: { opcode: 0x10, fields: [VMID] },
  CMD_TLBI_NH_ASID: { opcode: 0x11, fields: [VMID, ASID] },
  CMD_TLBI_NH_VA: { opcode: 0x12, fields: [NUM, SCALE, VMID, ASID, LEAF, TTL, TG, VA] },
  CMD_TLBI_NH_VAA: { opcode: 0x13, fields: [NUM, SCALE, VMID, LEAF, TTL, TG, VA] },
  CMD_TLBI_EL2_ALL: { opcode: 0x20, fields: [] },
  CMD_TLBI_EL2_ASID: { opcode: 0x21, fields: [ASID] },
  CMD_TLBI_EL2_VA: { opcode: 0x22, fields: [NUM, SCALE, ASID, LEAF, TTL, TG, VA] },
  CMD_TLBI_S12_VMALL: { opcode: 0x28, fields: [VMID] },
  CMD_TLBI_S2_IPA: { opcode: 0x2a, fields: [NUM, SCALE, VMID, LEAF, TTL, TG, IPA] },
  CMD_TLBI_NSNH_ALL: { opcode: 0x30, fields: [] },
  CMD_ATC_INV: {
    opcode: 0x40,
    fields: [SSV, SSID, SID,
      { name: 'Global', qword: 0, msb: 9, lsb: 9, doc: 'Invalidate for all SubstreamIDs.' },
      { name: 'Size', qword: 1, msb: 5, lsb: 0, doc: 'log2 of the number of 4KB pages; 52 invalidates everything.' },
      { name: 'Address', qword: 1, msb: 63, lsb: 12, kind: 'address', doc: 'Start of the range, aligned to its size.' }],
  },
  CMD_PRI_RESP: {
    opcode: 0x41,
    fields: [SSV, SSID, SID,
      { name: 'GRPID', qword: 1, msb: 8, lsb: 0, doc: 'Page Request Group Index being answered.' },
      { name: 'Resp', qword: 1, msb: 13, lsb: 12, doc: 'Response.', values: { 0: 'Invalid Request', 1: 'Response Failure', 2: 'Success' } }],
  },
  CMD_RESUME: { opcode: 0x44, fields: [SID, { name: 'Resp', qword: 0, msb: 13, lsb: 12, doc: 'Retry, abort or terminate.' }, { name: 'STAG', qword: 1, msb: 15, lsb: 0, doc: 'Stall tag.' }] },
  CMD_SYNC: {
    opcode: 0x46,
    fields: [
      { name: 'CS', qword: 0, msb: 13, lsb: 12, doc: 'Completion signal.', values: { 0: 'none', 1: 'IRQ (MSI)', 2: 'SEV', 3: 'reserved' } },
      { name: 'MSH', qword: 0, msb: 23, lsb: 22, doc: 'MSI shareability.' },
      { name: 'MSIAttr', qword: 0, msb: 27, lsb: 24, doc: 'MSI memory attributes.' },
      { name: 'MSIData', qword: 0, msb: 63, lsb: 32, doc: 'Data written to MSIAddr on completion.' },
      { name: 'MSIAddress', qword: 1, msb: 51, lsb: 2, kind: 'address', doc: 'Where the completion MSI is written.' },
    ],
  },
} as const satisfies Record<string, { opcode: number; fields: readonly FieldSpec[] }>;

export type CommandName = keyof typeof COMMANDS;

/** A decoded command: its name and its named fields. CMD_CFGI_ALL is CMD_CFGI_STE_RANGE with Range = 31. */
export interface SmmuCommand {
  readonly op: CommandName;
  readonly fields: Readonly<FieldValues>;
}

const BY_OPCODE = new Map<number, CommandName>(Object.entries(COMMANDS).map(([name, c]) => [c.opcode, name as CommandName]));

export function encodeCommand(cmd: { op: CommandName; fields?: Partial<FieldValues> }): [bigint, bigint] {
  const spec = COMMANDS[cmd.op];
  const words = encodeFields({ ...cmd.fields, Opcode: BigInt(spec.opcode) }, [OP, ...spec.fields], 2);
  return [words[0] as bigint, words[1] as bigint];
}

/** Decodes a queue entry; an opcode the SMMU does not know is undefined (the SMMU raises CERROR_ILL). */
export function decodeCommand(words: readonly [bigint, bigint]): SmmuCommand | undefined {
  const op = BY_OPCODE.get(Number(getField(words, OP)));
  if (!op) return undefined;
  return { op, fields: decodeFields(words, COMMANDS[op].fields) };
}

export function commandFieldSpecs(op: CommandName): readonly FieldSpec[] {
  return [OP, ...COMMANDS[op].fields];
}

export const CMD_BYTES = 16;
