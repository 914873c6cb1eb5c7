/**
 * The IOTLB's probe compares packed tags (VMID:ASID, and shift plus "no
 * ASID" with validity): entries that differ only in VMID, ASID, the absence
 * of an ASID, page size or validity must never answer for each other.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_READ, ACCESS_WRITE } from '../../../src/engine/index.ts';
import { Iotlb, permBit, TlbStage } from '../../../src/engine/hw/smmu/iotlb.ts';

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

  it('keeps each stage\'s allowed accesses with the entry: a hit tells which stage denies an access', () => {
    const tlb = new Iotlb();
    const readOnly1 = tlb.insert({ vmid: 0, asid: 1, stage: TlbStage.S1, hi: 0, lo: 0x1000, shift: 12, outHi: 0, outLo: 0x9000, ipaHi: 0, ipaLo: 0, perms1: permBit(ACCESS_READ), perms2: 0x3f, level1: 3, level2: 0 });
    const readOnly2 = tlb.insert({ vmid: 2, asid: 1, stage: TlbStage.Nested, hi: 0, lo: 0x1000, shift: 21, outHi: 0x7, outLo: 0x20_0000, ipaHi: 0, ipaLo: 0, perms1: 0x3f, perms2: permBit(ACCESS_READ), level1: 2, level2: 3 });
    expect([tlb.deniedBy(readOnly1, ACCESS_READ), tlb.deniedBy(readOnly1, ACCESS_WRITE)]).toEqual([0, 1]);
    expect([tlb.deniedBy(readOnly2, ACCESS_READ), tlb.deniedBy(readOnly2, ACCESS_WRITE)]).toEqual([0, 2]);
    // The 2MB entry's high offset bits are none: the output's high half is the entry's.
    expect(tlb.outputHi(readOnly2, 0)).toBe(0x7);
    expect(tlb.entries().map((e) => e.perms)).toEqual([permBit(ACCESS_READ), permBit(ACCESS_READ)]);
  });
});
