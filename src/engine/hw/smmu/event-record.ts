/**
 * Event queue records: 32 bytes, four qwords (SMMUv3 spec, "Event queue
 * records"; event numbers and field positions as in Linux's EVTQ_* and
 * QEMU's EVT_SET_*).
 */
import { encodeFields, type FieldSpec } from './fields.ts';

export const EVENT_IDS = {
  F_UUT: 0x01,
  C_BAD_STREAMID: 0x02,
  F_STE_FETCH: 0x03,
  C_BAD_STE: 0x04,
  F_BAD_ATS_TREQ: 0x05,
  F_STREAM_DISABLED: 0x06,
  F_TRANSL_FORBIDDEN: 0x07,
  C_BAD_SUBSTREAMID: 0x08,
  F_CD_FETCH: 0x09,
  C_BAD_CD: 0x0a,
  F_WALK_EABT: 0x0b,
  F_TRANSLATION: 0x10,
  F_ADDR_SIZE: 0x11,
  F_ACCESS: 0x12,
  F_PERMISSION: 0x13,
  F_TLB_CONFLICT: 0x20,
  F_CFG_CONFLICT: 0x21,
  E_PAGE_REQUEST: 0x24,
} as const;

export type EventName = keyof typeof EVENT_IDS;

export const EVENT_NAMES: Record<number, EventName> = Object.fromEntries(
  Object.entries(EVENT_IDS).map(([name, id]) => [id, name as EventName]),
);

export const EVENT_RECORD_BYTES = 32;

export const EVENT_FIELDS: readonly FieldSpec[] = [
  { name: 'EventID', qword: 0, msb: 7, lsb: 0, doc: 'Which event.' },
  { name: 'SSV', qword: 0, msb: 11, lsb: 11, doc: 'The transaction carried a SubstreamID.' },
  { name: 'SubstreamID', qword: 0, msb: 31, lsb: 12, doc: 'Its SubstreamID, when SSV = 1.' },
  { name: 'StreamID', qword: 0, msb: 63, lsb: 32, doc: 'The StreamID of the transaction.' },
  { name: 'STAG', qword: 1, msb: 15, lsb: 0, doc: 'Stall tag (stalled transactions only).' },
  { name: 'Stall', qword: 1, msb: 31, lsb: 31, doc: 'The transaction is stalled, awaiting CMD_RESUME.' },
  { name: 'PnU', qword: 1, msb: 33, lsb: 33, doc: 'Privileged (1) or unprivileged (0).' },
  { name: 'InD', qword: 1, msb: 34, lsb: 34, doc: 'Instruction (1) or data (0).' },
  { name: 'RnW', qword: 1, msb: 35, lsb: 35, doc: 'Read (1) or write (0).' },
  { name: 'S2', qword: 1, msb: 39, lsb: 39, doc: 'The fault arose at stage 2.' },
  { name: 'CLASS', qword: 1, msb: 41, lsb: 40, doc: 'For a stage-2 fault: the access that faulted.', values: { 0: 'CD fetch', 1: 'translation table walk', 2: 'input address' } },
  { name: 'InputAddr', qword: 2, msb: 63, lsb: 0, doc: 'The input address of the transaction.' },
  { name: 'IPA', qword: 3, msb: 51, lsb: 3, kind: 'address', doc: 'The IPA that faulted at stage 2, or the address of a fetch that failed.' },
];

/** The fields an event carries; absent ones are zero in the record. */
export interface EventRecord {
  readonly name: EventName;
  readonly StreamID: number;
  readonly SubstreamID?: number;
  /** Defaults to whether SubstreamID is given; C_BAD_SUBSTREAMID reports the SubstreamID with SSV RES0. */
  readonly SSV?: boolean;
  readonly RnW?: boolean;
  readonly InD?: boolean;
  readonly PnU?: boolean;
  readonly S2?: boolean;
  readonly CLASS?: 0 | 1 | 2;
  readonly InputAddr?: bigint;
  /** Stage-2 fault IPA, or the fetch address of F_STE_FETCH / F_CD_FETCH / F_WALK_EABT. */
  readonly IPA?: bigint;
  /** Why, in plain words, for the UI and the CLI. */
  readonly reason: string;
}

export function encodeEventRecord(e: EventRecord): bigint[] {
  const flag = (v: boolean | undefined) => (v ? 1n : 0n);
  return encodeFields({
    EventID: BigInt(EVENT_IDS[e.name]),
    SSV: flag(e.SSV ?? e.SubstreamID !== undefined),
    SubstreamID: BigInt(e.SubstreamID ?? 0),
    StreamID: BigInt(e.StreamID),
    PnU: flag(e.PnU),
    InD: flag(e.InD),
    RnW: flag(e.RnW),
    S2: flag(e.S2),
    CLASS: BigInt(e.CLASS ?? 0),
    InputAddr: e.InputAddr ?? 0n,
    IPA: (e.IPA ?? 0n) & ~7n & ((1n << 52n) - 1n),
  }, EVENT_FIELDS, 4);
}
