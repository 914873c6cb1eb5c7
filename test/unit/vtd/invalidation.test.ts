/**
 * Caches go stale and stay stale until the descriptor that covers them is
 * processed: the IOTLB (by DID and PASID; IOTLB descriptors for second-stage
 * and nested, PASID-based ones for first-stage), the PASID cache and the
 * context cache. A descriptor with the wrong DID or PASID changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { decodeInvDescriptor, encodeInvDescriptor, type InvDescriptor } from '../../../src/engine/hw/vtd/inv-desc.ts';
import { RW, Rig, SID } from './helpers/unit.ts';
import { vtdUnmap } from '../../../src/engine/hw/vtd/pgtable.ts';

const IOVA = 0x40_0000n;
const PA = 0x9000_0000n;

function firstStage(pasid = 0, did = 2) {
  const r = new Rig();
  const fs = r.table('first-stage', 4);
  r.map(fs, IOVA, PA, 0x1000n, RW);
  r.smContext(SID);
  r.pasid(SID, pasid, { P: 1n, PGTT: 1n, FLPTR: fs.root, DID: BigInt(did), AW: 2n });
  return { r, fs };
}

describe('IOTLB staleness', () => {
  it('an unmapped first-stage page still translates until a PASID-based IOTLB invalidation with the right DID and PASID', () => {
    const { r, fs } = firstStage();
    expect(r.dma(SID, IOVA).output).toBe(PA);
    expect(r.unit.caches.iotlb).toHaveLength(1);
    vtdUnmap(r.mem, fs, IOVA, 0x1000n);
    const stale = r.dma(SID, IOVA);
    expect(stale.result).toBe('translated');
    expect(stale.trace.iotlb?.hit).toBe(true);
    // Wrong DID, wrong PASID, and the second-stage IOTLB descriptor: the first-stage entry stays.
    for (const d of [
      { type: 'pasid-iotlb', granularity: 'pasid', did: 3, pasid: 0 },
      { type: 'pasid-iotlb', granularity: 'pasid', did: 2, pasid: 1 },
      { type: 'pasid-iotlb', granularity: 'page', did: 2, pasid: 0, address: IOVA + 0x1000n, am: 0 },
      { type: 'iotlb', granularity: 'domain', did: 2 },
      { type: 'iotlb', granularity: 'page', did: 2, address: IOVA, am: 0 },
    ] satisfies InvDescriptor[]) {
      const res = r.invalidate(d);
      expect(res.consumed[0]?.effect?.invalidated).toBe(0);
      expect(r.dma(SID, IOVA).result).toBe('translated');
    }
    const fix = r.invalidate({ type: 'pasid-iotlb', granularity: 'page', did: 2, pasid: 0, address: IOVA, am: 0 }, { type: 'wait', statusAddress: 0x4100_0000n, statusData: 7 });
    expect(fix.consumed.map((c) => c.effect?.invalidated)).toEqual([1, 0]);
    const after = r.dma(SID, IOVA);
    expect(after.result).toBe('blocked');
    expect(after.fault?.reason).toBe(0x71);
  });

  it('a second-stage translation is dropped by an IOTLB page-selective invalidation (AM = 1 covers two pages), not by a PASID-based one', () => {
    const r = new Rig();
    const ss = r.table('second-stage', 4);
    r.map(ss, IOVA, PA, 0x2000n, RW, true);
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 2n, SLPTPTR: ss.root, DID: 6n, AW: 2n });
    r.dma(SID, IOVA);
    r.dma(SID, IOVA + 0x1000n);
    expect(r.unit.caches.iotlb).toHaveLength(2);
    vtdUnmap(r.mem, ss, IOVA, 0x2000n);
    expect(r.invalidate({ type: 'pasid-iotlb', granularity: 'pasid', did: 6, pasid: 0 }).consumed[0]?.effect?.invalidated).toBe(0);
    expect(r.dma(SID, IOVA + 0x1000n).result).toBe('translated');
    expect(r.invalidate({ type: 'iotlb', granularity: 'page', did: 6, address: IOVA, am: 1 }).consumed[0]?.effect?.invalidated).toBe(2);
    expect(r.dma(SID, IOVA + 0x1000n).fault?.reason).toBe(0x79);
  });

  it('the IOTLB is shared by DID: two devices in one domain hit each other\'s entries', () => {
    const r = new Rig({}, 'legacy');
    const ss = r.table('second-stage', 4);
    r.map(ss, IOVA, PA, 0x1000n);
    r.context(SID, { P: 1n, SLPTPTR: ss.root, AW: 2n, DID: 1n });
    r.context(SID + 1, { P: 1n, SLPTPTR: ss.root, AW: 2n, DID: 1n });
    r.dma(SID, IOVA);
    expect(r.dma(SID + 1, IOVA).trace.iotlb?.hit).toBe(true);
  });

  it('a global IOTLB invalidation drops every translation', () => {
    const { r } = firstStage();
    r.dma(SID, IOVA);
    expect(r.invalidate({ type: 'iotlb', granularity: 'global' }).consumed[0]?.effect?.invalidated).toBe(1);
  });
});

describe('PASID-cache and context-cache staleness', () => {
  it('a PASID entry changed in memory keeps its cached copy until a PASID-cache invalidation of its DID and PASID', () => {
    const { r } = firstStage();
    r.dma(SID, IOVA);
    r.pasid(SID, 0, { P: 1n, PGTT: 4n, DID: 9n, AW: 2n }); // now pass-through, in memory only
    r.invalidate({ type: 'iotlb', granularity: 'global' });
    expect(r.dma(SID, IOVA + 0x5000n).trace.translation).toBe('first-stage');
    expect(r.invalidate({ type: 'pasid-cache', granularity: 'pasid', did: 9, pasid: 0 }).consumed[0]?.effect?.invalidated).toBe(0); // new DID: not what is cached
    expect(r.invalidate({ type: 'pasid-cache', granularity: 'pasid', did: 2, pasid: 1 }).consumed[0]?.effect?.invalidated).toBe(0);
    expect(r.invalidate({ type: 'pasid-cache', granularity: 'pasid', did: 2, pasid: 0 }).consumed[0]?.effect?.invalidated).toBe(1);
    const o = r.dma(SID, IOVA + 0x5000n);
    expect(o.trace.translation).toBe('pass-through');
    expect(o.output).toBe(IOVA + 0x5000n);
  });

  it('a cleared context entry is still used until a device-selective context-cache invalidation for that SID', () => {
    const r = new Rig({}, 'legacy');
    const ctx = r.context(SID, { P: 1n, TT: 2n, AW: 2n, DID: 1n });
    expect(r.dma(SID, 0x1000n).result).toBe('translated');
    r.mem.write64(ctx, 0n);
    expect(r.dma(SID, 0x1000n).result).toBe('translated');
    expect(r.invalidate({ type: 'context-cache', granularity: 'device', sid: SID + 8 }).consumed[0]?.effect?.invalidated).toBe(0);
    expect(r.invalidate({ type: 'context-cache', granularity: 'domain', did: 2 }).consumed[0]?.effect?.invalidated).toBe(0);
    // FM = 3 masks devfn[2:0]: SID 03:00.1 covers every function of 03:00.
    expect(r.invalidate({ type: 'context-cache', granularity: 'device', sid: SID + 1, fm: 3 }).consumed[0]?.effect?.invalidated).toBe(1);
    expect(r.dma(SID, 0x1000n).fault?.reason).toBe(0x2);
  });
});

describe('the invalidation queue', () => {
  it('encodes descriptors as Linux QI_* does and decodes them back', () => {
    const all: InvDescriptor[] = [
      { type: 'context-cache', granularity: 'device', did: 3, sid: 0x0300, fm: 1 },
      { type: 'iotlb', granularity: 'page', did: 5, address: 0x12_3000n, am: 2, ih: true },
      { type: 'pasid-iotlb', granularity: 'page', did: 5, pasid: 0x12345, address: 0x4000n, am: 0, ih: false },
      { type: 'pasid-cache', granularity: 'pasid', did: 7, pasid: 3 },
      { type: 'device-iotlb', sid: 0x0300, address: 0x7000n, size: true, pfsid: 0x0300, qdep: 0 },
      { type: 'wait', statusAddress: 0x4000_1000n, statusData: 0x1234, if: true, fn: false },
    ];
    for (const d of all) {
      const [q0, q1] = encodeInvDescriptor(d);
      const back = decodeInvDescriptor(q0, q1);
      expect(back.ok && back.descriptor).toMatchObject(d);
    }
    // Spot values: IOTLB type 2, granularity 3 (page) in bits 5:4, DID in 31:16.
    expect(encodeInvDescriptor({ type: 'iotlb', granularity: 'page', did: 5, address: 0x12_3000n, am: 2 })[0]).toBe(0x0005_0032n);
    expect(encodeInvDescriptor({ type: 'pasid-cache', granularity: 'pasid', did: 7, pasid: 3 })[0]).toBe(0x3_0007_0017n);
  });

  it('a wait descriptor writes its status data; IF sets ICS.IWC', () => {
    const r = new Rig();
    const res = r.invalidate({ type: 'wait', statusAddress: 0x4100_0010n, statusData: 0xabcd, if: true });
    expect(r.mem.read(0x4100_0010n, 4)).toBe(0xabcdn);
    expect(res.consumed[0]?.effect?.statusWrite?.value).toBe(0xabcdn);
    expect(r.unit.read('ICS')).toBe(1n);
  });

  it('stops at an unknown descriptor type with FSTS.IQE and processes nothing more until software clears it', () => {
    const r = new Rig();
    const q = r.unit.queue;
    const slot = q.base + BigInt(q.tail * q.descBytes);
    r.mem.write64(slot, 0xfn); // type 15
    r.unit.write('IQT', BigInt((q.tail + 1) * q.descBytes));
    expect(r.unit.read('FSTS') & 0x10n).toBe(0x10n);
    expect(r.unit.queue.head).toBe(q.tail);
    const blocked = r.invalidate({ type: 'wait', statusAddress: 0x4100_0020n, statusData: 1 });
    expect(blocked.consumed).toHaveLength(0);
    expect(r.mem.read(0x4100_0020n, 4)).toBeUndefined();
  });
});
