/**
 * An SMMU event record as rows of the spec's fields (SMMUv3 spec, "Event
 * records"), each with its value and what it means. Works for a record a DMA
 * raised (the engine's EventRecord) and for one read back from the event
 * queue (its decoded 32 bytes), so both places read the same.
 */
import type { EventRecord } from '../../engine/hw/smmu/event-record.ts';
import { EVENT_IDS } from '../../engine/hw/smmu/event-record.ts';
import { hexGrouped } from '../format.ts';

export interface RecordRow {
  readonly name: string;
  readonly value: string;
  readonly meaning: string;
}

const CLASS_MEANING: Record<number, string> = { 0: 'CD fetch', 1: 'translation table walk', 2: 'input address' };

/** The fields present in an event record of this name: configuration errors carry the StreamID and SubstreamID only. */
const CONFIG_ERRORS = new Set(['C_BAD_STREAMID', 'F_STE_FETCH', 'C_BAD_STE', 'C_BAD_SUBSTREAMID', 'F_CD_FETCH', 'C_BAD_CD', 'F_STREAM_DISABLED']);
const FETCHES = new Set(['F_STE_FETCH', 'F_CD_FETCH', 'F_WALK_EABT']);

function bitRow(name: string, v: bigint, one: string, zero: string): RecordRow {
  return { name, value: String(v), meaning: v === 1n ? one : zero };
}

/** Rows for the spec's fields of a record, from the named field values of its 32 bytes. */
export function recordRows(name: string, f: Readonly<Record<string, bigint>>): RecordRow[] {
  const id = f.EventID ?? BigInt(EVENT_IDS[name as keyof typeof EVENT_IDS] ?? 0);
  const rows: RecordRow[] = [
    { name: 'EventID', value: `0x${id.toString(16).padStart(2, '0')}`, meaning: name },
    { name: 'StreamID', value: String(f.StreamID ?? 0n), meaning: 'the device' },
    bitRow('SSV', f.SSV ?? 0n, 'the transaction had a SubstreamID', name === 'C_BAD_SUBSTREAMID' ? 'RES0 in this record' : 'no SubstreamID'),
  ];
  if ((f.SSV ?? 0n) === 1n || name === 'C_BAD_SUBSTREAMID') rows.push({ name: 'SubstreamID', value: String(f.SubstreamID ?? 0n), meaning: 'its SubstreamID (PASID)' });
  if (CONFIG_ERRORS.has(name)) {
    if (FETCHES.has(name) && (f.IPA ?? 0n) !== 0n) rows.push({ name: 'FetchAddr', value: hexGrouped(f.IPA ?? 0n), meaning: 'the address whose read failed' });
    return rows;
  }
  rows.push(
    bitRow('RnW', f.RnW ?? 0n, 'read', 'write'),
    bitRow('InD', f.InD ?? 0n, 'instruction fetch', 'data'),
    bitRow('PnU', f.PnU ?? 0n, 'privileged', 'unprivileged'),
    bitRow('S2', f.S2 ?? 0n, 'the fault arose at stage 2', 'stage 1'),
    { name: 'CLASS', value: String(f.CLASS ?? 0n), meaning: CLASS_MEANING[Number(f.CLASS ?? 0n)] ?? 'reserved' },
    { name: 'InputAddr', value: hexGrouped(f.InputAddr ?? 0n, 16), meaning: 'the address the device used' },
  );
  const ipa = f.IPA ?? 0n;
  if (ipa !== 0n || (f.S2 ?? 0n) === 1n) {
    rows.push({ name: name === 'F_WALK_EABT' ? 'FetchAddr' : 'IPA', value: hexGrouped(ipa), meaning: name === 'F_WALK_EABT' ? 'the descriptor whose read failed' : 'the IPA stage 2 could not translate' });
  }
  return rows;
}

/** The same rows for a record the engine raised (before or without it being written). */
export function outcomeRecordRows(e: EventRecord): RecordRow[] {
  const b = (v: boolean | undefined) => (v ? 1n : 0n);
  return recordRows(e.name, {
    EventID: BigInt(EVENT_IDS[e.name]),
    StreamID: BigInt(e.StreamID),
    SSV: b(e.SSV ?? e.SubstreamID !== undefined),
    SubstreamID: BigInt(e.SubstreamID ?? 0),
    RnW: b(e.RnW), InD: b(e.InD), PnU: b(e.PnU), S2: b(e.S2),
    CLASS: BigInt(e.CLASS ?? 0),
    InputAddr: e.InputAddr ?? 0n,
    IPA: e.IPA ?? 0n,
  });
}
