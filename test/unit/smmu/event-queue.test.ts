/**
 * The event queue as a circular queue in memory (SMMUv3 spec, "Event queue"
 * and 7.4 "Event queue overflow"): records go to EVTQ_BASE + 32 * index,
 * EVTQ_PROD.WR carries a wrap bit above the index, nothing is written (and
 * nothing overflows) while CR0.EVTQEN = 0, and a record that finds the queue
 * full is lost and toggles EVTQ_PROD.OVFLG.
 */
import { describe, expect, it } from 'vitest';
import { EVENT_ID, evtq, observe, readRecord } from './helpers/evtq.ts';
import { probe, reg, writeReg, writeSte } from './helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

/** SIDs 1..n get V = 0 STEs: each DMA from one of them is a C_BAD_STE. */
function withBadStes(n: number, evtqLog2?: number): Engine {
  const e = probe(evtqLog2 === undefined ? {} : { evtqLog2 });
  for (let sid = 1; sid <= n; sid++) writeSte(e, sid, {});
  return e;
}

describe('event queue', () => {
  it('writes consecutive records at consecutive 32-byte slots and advances EVTQ_PROD', () => {
    const e = withBadStes(3);
    const start = evtq(e);
    expect(start.wr).toBe(0);
    for (const sid of [3, 1, 2]) observe(e, sid, 0x1000n);
    expect(evtq(e).wr).toBe(3);
    expect([0, 1, 2].map((i) => readRecord(e, i).StreamID)).toEqual([3, 1, 2]);
    expect([0, 1, 2].map((i) => readRecord(e, i).EventID)).toEqual([EVENT_ID.C_BAD_STE, EVENT_ID.C_BAD_STE, EVENT_ID.C_BAD_STE]);
    // Slot 1 is at EVTQ_BASE + 32: its first qword holds StreamID 1 in bits [63:32] and the event number in [7:0].
    expect(e.readMemory64(start.base + 32n)).toBe((1n << 32n) | BigInt(EVENT_ID.C_BAD_STE));
  });

  it('drops every event while CR0.EVTQEN = 0, and records again once it is set', () => {
    const e = withBadStes(2);
    observe(e, 1, 0x1000n);
    writeReg(e, 'CR0', 0b1001n); // SMMUEN | CMDQEN: the event queue is off
    const r = observe(e, 2, 0x1000n);
    expect(r.outcome.result).toBe('terminated');
    expect(r.outcome.event?.name).toBe('C_BAD_STE');
    expect(r.outcome.recorded && 'dropped' in r.outcome.recorded).toBe(true);
    expect(r.after.wr).toBe(1);
    expect(r.after.ovflg).toBe(0); // a discarded record with the queue disabled is not an overflow
    expect(e.readMemory64(r.before.base + 32n)).toBe(0n); // slot 1 untouched (the queue memory is zeroed at probe)

    writeReg(e, 'CR0', 0b1101n);
    const again = observe(e, 2, 0x1000n);
    expect(again.record?.StreamID).toBe(2);
    expect(again.after.wr).toBe(2);
  });

  it('wraps: EVTQ_PROD.WR counts 0, 1, then 2 = index 0 with the wrap bit, once software has consumed', () => {
    const e = withBadStes(4, 1); // a 2-entry queue
    observe(e, 1, 0x1000n);
    writeReg(e, 'EVTQ_CONS', 1n);
    observe(e, 2, 0x1000n);
    expect(evtq(e).wr).toBe(0b10); // index 0, wrap 1
    writeReg(e, 'EVTQ_CONS', 0b10n);
    const third = observe(e, 3, 0x1000n);
    expect(third.record?.StreamID).toBe(3);
    expect(third.outcome.recorded).toEqual({ index: 0, address: third.before.base });
    expect(evtq(e).wr).toBe(0b11);
  });

  it('when full, loses the record, leaves the queue as it was and toggles EVTQ_PROD.OVFLG', () => {
    const e = withBadStes(4, 1);
    observe(e, 1, 0x1000n);
    observe(e, 2, 0x1000n);
    const full = evtq(e);
    expect(full.wr).toBe(0b10); // PROD index = CONS index, wrap bits differ: full
    expect(Number(reg(e, 'EVTQ_CONS'))).toBe(0);
    expect(full.ovflg).toBe(0);

    const lost = observe(e, 3, 0x1000n);
    expect(lost.outcome.event?.name).toBe('C_BAD_STE');
    expect(lost.outcome.recorded && 'dropped' in lost.outcome.recorded).toBe(true);
    expect(lost.after.wr).toBe(0b10);
    expect(lost.after.ovflg).toBe(1);
    expect([readRecord(e, 0).StreamID, readRecord(e, 1).StreamID]).toEqual([1, 2]);

    // Software drains the queue; the next record goes in and OVFLG keeps its value until the next overflow.
    writeReg(e, 'EVTQ_CONS', 0b10n);
    const next = observe(e, 4, 0x1000n);
    expect(next.record?.StreamID).toBe(4);
    expect(next.after.wr).toBe(0b11);
    expect(next.after.ovflg).toBe(1);
  });
});
