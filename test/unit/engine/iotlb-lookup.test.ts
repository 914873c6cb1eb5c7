/**
 * The IOTLB's probe compares packed tags (VMID:ASID, and shift plus "no
 * ASID" with validity): entries that differ only in VMID, ASID, the absence
 * of an ASID, page size or validity must never answer for each other.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_READ, ACCESS_WRITE } from '../../../src/engine/index.ts';
import { Iotlb, permBit, TLB_DENIED, TLB_MISS, TlbStage } from '../../../src/engine/hw/smmu/iotlb.ts';

function fill(tlb: Iotlb, vmid: number, asid: number, shift: number, hi: number, lo: number, outLo: number) {
  return tlb.insert({ vmid, asid, stage: asid < 0 ? TlbStage.S2 : TlbStage.S1, hi, lo, shift, outHi: 0x80, outLo, ipaHi: 0, ipaLo: 0, perms1: 0x3f, perms2: 0x3f, level1: 3, level2: 3 });
}

describe('IOTLB lookup', () => {
  it('tells apart VMID, ASID, a missing ASID and the top of the ASID range', () => {
    const tlb = new Iotlb();
    const hi = 0x40;
    const lo = 0x8765_4000 | 0;
    const a = fill(tlb, 1, 0xffff, 12, hi, lo, 0x1000);
    const b = fill(tlb, 1, -1, 12, hi, lo, 0x2000);
    const c = fill(tlb, 2, 0xffff, 12, hi, lo, 0x3000);
    expect(tlb.lookup(1, 0xffff, hi, lo + 0x18)).toBe(a);
    expect(tlb.lookup(1, -1, hi, lo)).toBe(b);
    expect(tlb.lookup(2, 0xffff, hi, lo)).toBe(c);
    expect(tlb.lookup(3, 0xffff, hi, lo)).toBe(-1);
    expect(tlb.lookup(1, 0xfffe, hi, lo)).toBe(-1);
    expect(tlb.outputLo(a, 0x8765_4018)).toBe(0x1018);
    expect(tlb.entries().map((e) => e.input)).toEqual(expect.arrayContaining([(0x40n << 32n) | 0x8765_4000n]));
  });

  it('matches a page number with bit 31 set, a block by its size, and nothing once invalidated', () => {
    const tlb = new Iotlb();
    const page = fill(tlb, 0, 5, 12, 0x7fff, 0xffff_f000 | 0, 0x5000);
    expect(tlb.lookup(0, 5, 0x7fff, 0xffff_fabc | 0)).toBe(page);
    const block = fill(tlb, 0, 5, 21, 0x12, 0x4020_0000, 0x60_0000);
    expect(tlb.lookup(0, 5, 0x12, 0x403f_fff8)).toBe(block);
    expect(tlb.outputLo(block, 0x403f_fff8)).toBe(0x7f_fff8);
    expect(tlb.lookup(0, 5, 0x12, 0x4040_0000)).toBe(-1);
    expect(tlb.invalidate((e) => e.asid === 5 && e.size === 0x1000n)).toBe(1);
    expect(tlb.lookup(0, 5, 0x7fff, 0xffff_f000 | 0)).toBe(-1);
    expect(tlb.lookup(0, 5, 0x12, 0x4020_0000)).toBe(block);
  });

  it('hitFor() answers as lookup() and the output halves do, counts the same hits, and leaves misses and denials to the caller', () => {
    const a = new Iotlb();
    const b = new Iotlb();
    const entries: [number, number, number, number, number][] = [
      [0, 5, 12, 0x7fff, 0xffff_f000 | 0],
      [0, 5, 21, 0x12, 0x4020_0000],
      [3, -1, 30, 0x1, 0x8000_0000 | 0],
      [3, 7, 39, 0x80, 0],
    ];
    for (const [vmid, asid, shift, hi, lo] of entries) {
      fill(a, vmid, asid, shift, hi, lo, 0x4000_0000);
      fill(b, vmid, asid, shift, hi, lo, 0x4000_0000);
    }
    const out = new Int32Array(2);
    const queries: [number, number, number, number][] = [
      [0, 5, 0x7fff, 0xffff_fabc | 0], [0, 5, 0x12, 0x403f_fff8], [0, 5, 0x12, 0x4040_0000], [3, -1, 0x1, 0xbfff_fff0 | 0],
      [3, 7, 0xff, 0x1234_5678], [3, 8, 0xff, 0x1234_5678], [1, 5, 0x7fff, 0xffff_f000 | 0],
    ];
    for (const [vmid, asid, hi, lo] of queries) {
      const slot = a.lookup(vmid, asid, hi, lo);
      expect(b.hitFor(vmid, asid, hi, lo, ACCESS_READ, out)).toBe(slot < 0 ? TLB_MISS : slot);
      if (slot >= 0) expect([out[0]! >>> 0, out[1]! >>> 0]).toEqual([a.outputLo(slot, lo), a.outputHi(slot, hi)]);
    }
    expect(b.hitTotal).toBe(a.hitTotal);
    expect(b.missTotal).toBe(0);
    // An entry that allows reads only: a write is denied, and not counted as a hit.
    const ro = new Iotlb();
    const slot = ro.insert({ vmid: 0, asid: 1, stage: TlbStage.S1, hi: 0, lo: 0x1000, shift: 12, outHi: 0, outLo: 0x9000, ipaHi: 0, ipaLo: 0, perms1: permBit(ACCESS_READ), perms2: 0x3f, level1: 3, level2: 0 });
    expect(ro.hitFor(0, 1, 0, 0x1008, ACCESS_WRITE, out)).toBe(TLB_DENIED);
    expect(ro.hitTotal).toBe(0);
    expect(ro.hitFor(0, 1, 0, 0x1008, ACCESS_READ, out)).toBe(slot);
    expect([ro.hitTotal, out[0]]).toEqual([1, 0x9008]);
    expect(b.entries().map((e) => e.hits)).toEqual(a.entries().map((e) => e.hits));
  });
});
