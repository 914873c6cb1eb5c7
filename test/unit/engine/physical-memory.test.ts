import { describe, expect, it } from 'vitest';
import { PhysicalMemory } from '../../../src/engine/index.ts';

describe('PhysicalMemory', () => {
  it('reports memory that was never written as absent, not as zero', () => {
    const m = new PhysicalMemory();
    expect(m.read64(0x8000_0000n)).toBeUndefined();
    m.write64(0x8000_0000n, 0x1122_3344_5566_7788n);
    expect(m.read64(0x8000_0000n)).toBe(0x1122_3344_5566_7788n);
    // The rest of a written 4KB frame reads as zero; the next frame does not exist.
    expect(m.read64(0x8000_0ff8n)).toBe(0n);
    expect(m.read64(0x8000_1000n)).toBeUndefined();
  });

  it('is little-endian and byte-addressed, including accesses that cross a frame', () => {
    const m = new PhysicalMemory();
    m.write64(0x1000n, 0x0807_0605_0403_0201n);
    expect(m.read(0x1000n, 1)).toBe(0x01n);
    expect(m.read(0x1003n, 2)).toBe(0x0504n);
    expect(m.read(0x1004n, 4)).toBe(0x0807_0605n);
    m.write(0x1ffcn, 0xaabb_ccdd_eeff_0011n, 8);
    expect(m.read64(0x1ffcn)).toBe(0xaabb_ccdd_eeff_0011n);
    expect(m.read(0x2000n, 4)).toBe(0xaabb_ccddn);
  });

  it('holds 52-bit physical addresses and refuses anything beyond', () => {
    const m = new PhysicalMemory();
    const top = (1n << 52n) - 8n;
    m.write64(top, 0xdead_beefn);
    expect(m.read64(top)).toBe(0xdead_beefn);
    expect(m.read64(top - 0x1_0000_0000n)).toBeUndefined();
    expect(() => m.write64(1n << 52n, 1n)).toThrow(/52-bit/);
  });

  it('clones independently', () => {
    const m = new PhysicalMemory();
    m.write64(0x4000n, 1n);
    const c = m.clone();
    m.write64(0x4000n, 2n);
    c.write64(0x9000n, 3n);
    expect(c.read64(0x4000n)).toBe(1n);
    expect(m.read64(0x9000n)).toBeUndefined();
    expect(c.frames).toBe(2);
  });

  it('keeps many frames apart (the word store grows)', () => {
    const m = new PhysicalMemory();
    for (let i = 0n; i < 300n; i++) m.write64(0x10_0000_0000n + i * 0x1000n, i);
    for (let i = 0n; i < 300n; i++) expect(m.read64(0x10_0000_0000n + i * 0x1000n)).toBe(i);
    expect(m.frames).toBe(300);
  });
});
