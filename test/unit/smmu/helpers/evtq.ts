/**
 * Reading the event queue the way the driver's arm_smmu_evtq_thread does:
 * EVTQ_BASE and EVTQ_PROD from the registers, then the 32-byte record out of
 * memory. The record is decoded here with bit positions written out from
 * the SMMUv3 spec's event record layout (Linux EVTQ_0_* .. EVTQ_3_*, QEMU
 * EVT_SET_*), not with the engine's own field table, so a wrong layout in
 * the engine shows up as a mismatch.
 */
import { expect } from 'vitest';
import type { Engine } from '../../../../src/engine/index.ts';
import type { DmaOutcome } from '../../../../src/engine/hw/smmu/dma-types.ts';
import { dma, reg, type DmaOptions } from './smmu.ts';

const field = (q: bigint, msb: number, lsb: number) => (q >> BigInt(lsb)) & ((1n << BigInt(msb - lsb + 1)) - 1n);

/** Event numbers from the spec's event list (Linux EVT_ID_*, QEMU SMMUEventType). */
export const EVENT_ID = {
  C_BAD_STREAMID: 0x02, F_STE_FETCH: 0x03, C_BAD_STE: 0x04, F_STREAM_DISABLED: 0x06, C_BAD_SUBSTREAMID: 0x08,
  F_CD_FETCH: 0x09, C_BAD_CD: 0x0a, F_WALK_EABT: 0x0b, F_TRANSLATION: 0x10, F_ADDR_SIZE: 0x11, F_ACCESS: 0x12, F_PERMISSION: 0x13,
} as const;

/** Events about the transaction's own translation, which carry its attributes (RnW, InD, PnU, InputAddr). */
const TRANSLATION_CLASS = new Set<string>(['F_WALK_EABT', 'F_TRANSLATION', 'F_ADDR_SIZE', 'F_ACCESS', 'F_PERMISSION']);
const ADDR_MASK = 0x000f_ffff_ffff_fff8n;

export interface RawEvent {
  readonly EventID: number;
  readonly SSV: number;
  readonly SubstreamID: number;
  readonly StreamID: number;
  readonly PnU: number;
  readonly InD: number;
  readonly RnW: number;
  readonly S2: number;
  readonly CLASS: number;
  readonly InputAddr: bigint;
  /** Qword 3, bits [51:3]: the fetch address of F_STE_FETCH/F_CD_FETCH/F_WALK_EABT, or IPA[51:12] of a stage-2 fault. */
  readonly Addr: bigint;
}

export function decodeRecord(w: readonly bigint[]): RawEvent {
  const [q0, q1, q2, q3] = w as [bigint, bigint, bigint, bigint];
  return {
    EventID: Number(field(q0, 7, 0)), SSV: Number(field(q0, 11, 11)), SubstreamID: Number(field(q0, 31, 12)), StreamID: Number(field(q0, 63, 32)),
    PnU: Number(field(q1, 33, 33)), InD: Number(field(q1, 34, 34)), RnW: Number(field(q1, 35, 35)), S2: Number(field(q1, 39, 39)),
    CLASS: Number(field(q1, 41, 40)), InputAddr: q2, Addr: q3 & ADDR_MASK,
  };
}

export interface EvtqState {
  readonly base: bigint;
  readonly log2size: number;
  /** EVTQ_PROD.WR with its wrap bit, and OVFLG. */
  readonly wr: number;
  readonly ovflg: number;
}

export function evtq(e: Engine): EvtqState {
  const base = reg(e, 'EVTQ_BASE');
  const prod = reg(e, 'EVTQ_PROD');
  return { base: base & 0x000f_ffff_ffff_ffe0n, log2size: Number(base & 0x1fn), wr: Number(prod & 0xfffffn), ovflg: Number((prod >> 31n) & 1n) };
}

export function readRecord(e: Engine, index: number): RawEvent {
  const q = evtq(e);
  const at = q.base + BigInt(index * 32);
  const words = [0, 1, 2, 3].map((i) => {
    const w = e.readMemory64(at + BigInt(i * 8));
    if (w === undefined) throw new Error(`no event record at 0x${at.toString(16)}`);
    return w;
  });
  return decodeRecord(words);
}

export interface Observed {
  readonly outcome: DmaOutcome;
  /** The record written to the event queue by this DMA, or undefined if EVTQ_PROD did not move. */
  readonly record?: RawEvent;
  readonly before: EvtqState;
  readonly after: EvtqState;
}

/** Sends one DMA and reports what it put into the event queue (at most one record). */
export function observe(e: Engine, sid: number, address: bigint, o: DmaOptions = {}): Observed {
  const before = evtq(e);
  const outcome = dma(e, sid, address, o);
  const after = evtq(e);
  if (after.wr === before.wr) return { outcome, before, after };
  const mask = (2 << before.log2size) - 1;
  expect(after.wr, 'EVTQ_PROD advances by exactly one record').toBe((before.wr + 1) & mask);
  return { outcome, record: readRecord(e, before.wr & ((1 << before.log2size) - 1)), before, after };
}

/** A DMA that must be terminated with `name`, recorded in the queue; returns the record read back from memory. */
export function expectRecorded(e: Engine, sid: number, address: bigint, name: keyof typeof EVENT_ID, o: DmaOptions = {}): { outcome: DmaOutcome; record: RawEvent } {
  const r = observe(e, sid, address, o);
  expect(r.outcome.result).toBe('terminated');
  expect(r.outcome.event?.name).toBe(name);
  expect(r.record, `${name} written to the event queue`).toBeDefined();
  const record = r.record as RawEvent;
  expect(record.EventID).toBe(EVENT_ID[name]);
  expect(record.StreamID).toBe(sid);
  const index = r.before.wr & ((1 << r.before.log2size) - 1);
  expect(r.outcome.recorded).toEqual({ index, address: r.before.base + BigInt(index * 32) });
  // Every record names the transaction's stream and, if it had one, its SubstreamID; the outcome says the same.
  expect(r.outcome.event?.StreamID).toBe(sid);
  expect(r.outcome.event?.SubstreamID).toBe(o.ssid);
  // C_BAD_SUBSTREAMID has no SSV bit (its SubstreamID is always valid), so bit 11 is not checked for it.
  if (name !== 'C_BAD_SUBSTREAMID') expect(record.SSV).toBe(o.ssid === undefined ? 0 : 1);
  expect(record.SubstreamID).toBe(o.ssid ?? 0);
  if (TRANSLATION_CLASS.has(name)) {
    // Faults on the transaction itself describe it: read (instruction fetches are reads) or write, data or instruction, privilege.
    const kind = o.kind ?? 'read';
    expect(record).toMatchObject({ RnW: kind === 'write' ? 0 : 1, InD: kind === 'exec' ? 1 : 0, PnU: (o.privileged ?? true) ? 1 : 0, InputAddr: address });
    expect(r.outcome.event).toMatchObject({ RnW: kind !== 'write', InD: kind === 'exec', PnU: o.privileged ?? true, InputAddr: address });
    expect(record.S2).toBe(r.outcome.event?.S2 ? 1 : 0);
    if (record.S2 === 1) {
      expect(record.CLASS).toBe(r.outcome.event?.CLASS);
      expect(record.Addr).toBe((r.outcome.event?.IPA ?? 0n) & ADDR_MASK);
    }
  }
  return { outcome: r.outcome, record };
}

/** A DMA that must be terminated with `name` but leave the event queue untouched. */
export function expectNotRecorded(e: Engine, sid: number, address: bigint, name: keyof typeof EVENT_ID, o: DmaOptions = {}): DmaOutcome {
  const r = observe(e, sid, address, o);
  expect(r.outcome.result).toBe('terminated');
  expect(r.outcome.event?.name).toBe(name);
  expect(r.record).toBeUndefined();
  expect(r.after.wr).toBe(r.before.wr);
  expect(r.outcome.recorded && 'dropped' in r.outcome.recorded).toBe(true);
  return r.outcome;
}
