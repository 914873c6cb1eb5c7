/**
 * Each fault reason from the configuration that causes it (VT-d spec fault
 * conditions; numbers as Linux's dmar.c prints them), and how fault records
 * are kept: FPD suppression of qualified faults, collapsing per requester,
 * overflow.
 */
import { describe, expect, it } from 'vitest';
import { RO, RW, Rig, SID } from './helpers/unit.ts';

const IOVA = 0x40_0000n;
const PA = 0x9000_0000n;

/** A scalable-mode device with a 4-level first-stage table mapping IOVA read-write. */
function fsDevice(r = new Rig(), prot = RW) {
  const fs = r.table('first-stage', 4);
  r.map(fs, IOVA, PA, 0x1000n, prot);
  r.smContext(SID);
  r.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPTR: fs.root, DID: 2n, AW: 2n });
  return { r, fs };
}

const reason = (o: ReturnType<Rig['dma']>) => o.fault?.reason;

describe('legacy-mode fault reasons', () => {
  it('0x1 root entry not present, 0x2 context entry not present', () => {
    const r = new Rig({}, 'legacy');
    const o = r.dma(SID, IOVA);
    expect(o.result).toBe('blocked');
    expect(reason(o)).toBe(0x1);
    expect(o.fault?.text).toBe('Present bit in root entry is clear');
    r.context(SID + 1, { P: 1n, TT: 2n, AW: 2n }); // makes the bus's context table present
    expect(reason(r.dma(SID, IOVA))).toBe(0x2);
  });

  it('0xA reserved bits in the root entry, 0xB in the context entry', () => {
    const r = new Rig({}, 'legacy');
    r.context(SID, { P: 1n, TT: 2n, AW: 2n });
    const root = (r.unit.rootTable?.address ?? 0n) + 3n * 16n;
    r.mem.write64(root + 8n, 1n); // the high qword of a legacy root entry is reserved
    expect(reason(r.dma(SID, IOVA))).toBe(0xa);
    r.mem.write64(root + 8n, 0n);
    const ctx = r.context(SID, { P: 1n, TT: 2n, AW: 2n });
    r.mem.write64(ctx, (r.mem.read64(ctx) ?? 0n) | 0x10n); // bit 4 is reserved
    expect(reason(r.dma(SID, IOVA))).toBe(0xb);
  });

  it('0x3 invalid context entry: AW not in SAGAW; TT = 3', () => {
    const r = new Rig({}, 'legacy');
    r.context(SID, { P: 1n, TT: 0n, AW: 1n, SLPTPTR: 0x4000_0000n });
    expect(reason(r.dma(SID, IOVA))).toBe(0x3);
    const r2 = new Rig({}, 'legacy');
    r2.context(SID, { P: 1n, TT: 3n, AW: 2n });
    expect(reason(r2.dma(SID, IOVA))).toBe(0x3);
  });

  it('0x4 beyond MGAW, 0x5 write and 0x6 read permission, 0xC reserved bits in a PTE', () => {
    const r = new Rig({}, 'legacy');
    const ss = r.table('second-stage', 4);
    r.map(ss, IOVA, PA, 0x1000n, RO);
    r.context(SID, { P: 1n, SLPTPTR: ss.root, AW: 2n, DID: 1n });
    expect(reason(r.dma(SID, 1n << 48n))).toBe(0x4);
    expect(reason(r.dma(SID, IOVA, 'write'))).toBe(0x5);
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, IOVA + 0x1000n))).toBe(0x6); // R = W = 0: not present reads as a read fault in legacy mode
    r.unit.clearFault(1);
    const step = r.dma(SID, IOVA).trace.steps?.[3];
    r.mem.write64(step?.entryAddress ?? 0n, (step?.entry ?? 0n) | 0x800n | (1n << 50n)); // bits above HAW
    r.invalidate({ type: 'iotlb', granularity: 'global' });
    expect(reason(r.dma(SID, IOVA))).toBe(0xc);
  });

  it('0xE: a translation into the interrupt address range', () => {
    const r = new Rig({}, 'legacy');
    const ss = r.table('second-stage', 4);
    r.map(ss, IOVA, 0xfee0_0000n, 0x1000n);
    r.context(SID, { P: 1n, SLPTPTR: ss.root, AW: 2n, DID: 1n });
    expect(reason(r.dma(SID, IOVA))).toBe(0xe);
  });

  it('0x31: a request with PASID to a legacy-mode root table', () => {
    const r = new Rig({}, 'legacy');
    expect(reason(r.dma(SID, IOVA, 'read', 5))).toBe(0x31);
  });
});

describe('scalable-mode fault reasons', () => {
  it('0x39 root (lower half) not present, 0x41 context not present', () => {
    const r = new Rig();
    expect(reason(r.dma(SID, IOVA))).toBe(0x39);
    r.smContext(SID + 1);
    expect(reason(r.dma(SID, IOVA))).toBe(0x41);
  });

  it('devfn >= 128 uses the root entry\'s upper half', () => {
    const r = new Rig();
    r.smContext(SID); // devfn 0: lower half only
    const o = r.dma(SID | 0x80, IOVA);
    expect(reason(o)).toBe(0x39);
    expect(o.fault?.why).toContain('upper (UP)');
  });

  it('0x42 reserved bits in the context entry, 0x45 PASIDE clear, 0x46 PASID beyond PDTS', () => {
    const r = new Rig();
    r.smContext(SID, { PASIDE: 0n });
    expect(reason(r.dma(SID, IOVA, 'read', 1))).toBe(0x45);
    const r2 = new Rig();
    r2.smContext(SID, { PDTS: 0n }); // 128 directory entries: PASIDs 0..8191
    expect(reason(r2.dma(SID, IOVA, 'read', 8192))).toBe(0x46);
    const r3 = new Rig();
    const ctx = r3.context(SID, { P: 1n, PDTS: 2n, PASIDDIRPTR: r3.alloc.alloc(4096n) });
    r3.mem.write64(ctx + 16n, 1n); // val[2] is reserved
    expect(reason(r3.dma(SID, IOVA))).toBe(0x42);
  });

  it('0x51 PASID directory entry not present, 0x59 PASID entry not present', () => {
    const r = new Rig();
    r.smContext(SID);
    expect(reason(r.dma(SID, IOVA))).toBe(0x51);
    r.pasid(SID, 1, { P: 1n, PGTT: 4n }); // makes directory entry 0 present, PASID 0 still absent
    const o = r.dma(SID, IOVA);
    expect(reason(o)).toBe(0x59);
    expect(o.fault?.condition).toBe('SPT.2');
  });

  it('0x5A reserved bits in a PASID entry, 0x5B invalid PGTT / AW / FLPM', () => {
    const r = new Rig();
    r.smContext(SID);
    const pe = r.pasid(SID, 0, { P: 1n, PGTT: 4n });
    r.mem.write64(pe + 32n, 1n); // val[4] is reserved
    expect(reason(r.dma(SID, IOVA))).toBe(0x5a);
    for (const fields of [{ PGTT: 0n }, { PGTT: 5n }, { PGTT: 2n, AW: 1n }]) {
      const q = new Rig({ sagaw: 0b00100 });
      q.smContext(SID);
      q.pasid(SID, 0, { P: 1n, SLPTPTR: 0x4000_0000n, ...fields });
      expect(reason(q.dma(SID, IOVA))).toBe(0x5b);
    }
    const q = new Rig({ fl5lp: false });
    q.smContext(SID);
    q.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPM: 1n, FLPTR: 0x4000_0000n });
    expect(reason(q.dma(SID, IOVA))).toBe(0x5b);
  });

  it('0x5C ERE clear for an execute request, 0x5D SRE clear for a supervisor request', () => {
    const { r } = fsDevice();
    r.pasid(SID, 7, { P: 1n, PGTT: 1n, FLPTR: r.table('first-stage', 4).root, DID: 2n, AW: 2n });
    expect(reason(r.dma(SID, IOVA, 'exec', 7))).toBe(0x5c);
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, IOVA, 'read', 7, true))).toBe(0x5d);
  });

  it('first stage: 0x71 not present, 0x85 write to R/W = 0, 0x81 U/S = 0 for a user request, 0x80 non-canonical', () => {
    const { r } = fsDevice(new Rig(), RO);
    const miss = r.dma(SID, IOVA + 0x1000n);
    expect(reason(miss)).toBe(0x71);
    expect(miss.fault?.name).toBe('FS_PAGING_ENTRY_P');
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, IOVA, 'write'))).toBe(0x85);
    r.unit.clearFault(1);
    expect(reason(r.dma(SID, 0x0000_8000_0000_0000n))).toBe(0x80);
    const { r: r2 } = fsDevice(new Rig(), { read: true, write: true, user: false });
    expect(reason(r2.dma(SID, IOVA))).toBe(0x81);
  });

  it('first stage: 0x72 reserved bits (PS in a PML4 entry), 0x73 FLPTR points at no memory, 0x70 a table pointer to no memory', () => {
    const { r, fs } = fsDevice();
    r.mem.write64(fs.root + 0n, (r.mem.read64(fs.root) ?? 0n) | 0x80n);
    expect(reason(r.dma(SID, IOVA))).toBe(0x72);
    const q = new Rig();
    q.smContext(SID);
    q.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPTR: 0x7_0000_0000n, DID: 2n, AW: 2n });
    expect(reason(q.dma(SID, IOVA))).toBe(0x73);
    const { r: r3, fs: fs3 } = fsDevice();
    r3.mem.write64(fs3.root, 0x7_0000_0000n | 0x27n);
    expect(reason(r3.dma(SID, IOVA))).toBe(0x70);
  });

  it('second stage: 0x79 R = W = 0, 0x86 read of a write-only page, 0x7A reserved, 0x84 beyond AGAW, 0x7B bad SLPTPTR', () => {
    const r = new Rig();
    const ss = r.table('second-stage', 4);
    r.map(ss, IOVA, PA, 0x1000n, { read: false, write: true });
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 2n, SLPTPTR: ss.root, DID: 4n, AW: 2n });
    expect(reason(r.dma(SID, IOVA + 0x1000n))).toBe(0x79);
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, IOVA))).toBe(0x86);
    r.unit.clearFault(1);
    expect(reason(r.dma(SID, 1n << 48n))).toBe(0x84);
    r.unit.clearFault(2);
    r.mem.write64(ss.root, (r.mem.read64(ss.root) ?? 0n) | 0x800n); // SNP in a non-leaf entry
    expect(reason(r.dma(SID, IOVA, 'write'))).toBe(0x7a);
    const q = new Rig();
    q.smContext(SID);
    q.pasid(SID, 0, { P: 1n, PGTT: 2n, SLPTPTR: 0x7_0000_0000n, DID: 4n, AW: 2n });
    expect(reason(q.dma(SID, IOVA))).toBe(0x7b);
  });

  it('nested: 0x75 when the second stage does not map the first-stage root table GPA, 0x76 below it', () => {
    const r = new Rig();
    const ss = r.table('second-stage', 4);
    r.map(ss, 0n, 0x2_0000_0000n, 0x20_0000n, RW, true); // GPA [0, 2 MB) only
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 3n, FLPTR: 0x40_0000n, SLPTPTR: ss.root, DID: 3n, AW: 2n });
    const o = r.dma(SID, IOVA);
    expect(reason(o)).toBe(0x75);
    expect(o.trace.steps?.[0]?.s2?.fault?.kind).toBe('ss-not-present');
    // Root table at GPA 0x1000 whose PML4 entry points at an unmapped GPA.
    r.mem.write64(0x2_0000_1000n, 0x80_0000n | 0x27n);
    r.pasid(SID, 1, { P: 1n, PGTT: 3n, FLPTR: 0x1000n, SLPTPTR: ss.root, DID: 3n, AW: 2n });
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, 0x1000n, 'read', 1))).toBe(0x76);
  });

  it('0x83 pass-through beyond the host address width; 0x87 pass-through with PASID into 0xFEEx_xxxx', () => {
    const r = new Rig();
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 4n, DID: 1n });
    r.pasid(SID, 9, { P: 1n, PGTT: 4n, DID: 1n });
    expect(reason(r.dma(SID, 1n << 46n))).toBe(0x83);
    r.unit.clearFault(0);
    expect(reason(r.dma(SID, 0xfee0_1000n, 'write', 9))).toBe(0x87);
  });
});

describe('fault records', () => {
  it('records SID, reason, page address, type and PASID; Linux prints them', async () => {
    const { r } = fsDevice();
    const o = r.dma(SID, IOVA + 0x234n, 'write');
    expect(o.fault).toBeUndefined();
    const f = r.dma(SID, IOVA + 0x5678n, 'write');
    expect(f.fault?.recorded).toEqual({ recorded: true, index: 0 });
    const rec = r.unit.faultRecords[0];
    expect(rec).toMatchObject({ f: true, sid: SID, reason: 0x71, address: IOVA + 0x5000n, type: 'write', pasid: 0 });
    expect(r.unit.read('FSTS') & 2n).toBe(2n); // PPF
    const { linuxFaultMessage } = await import('../../../src/engine/hw/vtd/fault-record.ts');
    expect(linuxFaultMessage(rec!)).toBe('[DMA Write PASID 0x0] Request device [03:00.0] fault addr 0x405000 [fault reason 0x71] SM: Present bit in first-level paging entry is clear');
  });

  it('FPD suppresses qualified faults only', () => {
    const r = new Rig();
    r.smContext(SID, { FPD: 1n });
    const o = r.dma(SID, IOVA); // PASID directory entry not present: qualified
    expect(o.fault?.reason).toBe(0x51);
    expect(o.fault?.recorded.recorded).toBe(false);
    expect(r.unit.faultRecords.every((x) => x === null)).toBe(true);
    const q = new Rig();
    q.context(SID, { P: 1n, FPD: 1n, PDTS: 2n, PASIDDIRPTR: 0x7_0000_0000n }); // directory not in memory: not qualified
    expect(q.dma(SID, IOVA).fault?.recorded).toEqual({ recorded: true, index: 0 });
  });

  it('a second fault from the same requester is collapsed; a full log overflows (PFO)', () => {
    const r = new Rig({ nfr: 2 });
    expect(r.dma(SID, IOVA).fault?.recorded.recorded).toBe(true);
    expect(r.dma(SID, IOVA + 0x1000n).fault?.recorded).toMatchObject({ recorded: false });
    expect(r.dma(SID + 1, IOVA).fault?.recorded).toEqual({ recorded: true, index: 1 });
    const lost = r.dma(SID + 2, IOVA).fault?.recorded;
    expect(lost?.recorded).toBe(false);
    expect(r.unit.read('FSTS') & 1n).toBe(1n);
    r.unit.write('FSTS', 1n);
    r.unit.clearFault(0);
    expect(r.dma(SID + 2, IOVA).fault?.recorded).toEqual({ recorded: true, index: 0 });
  });
});
