import fc from 'fast-check';
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

  /**
   * The store keeps sparse frames' nonzero qwords in a hash table and turns a
   * frame into a plain page once it holds 64 of them; zero stores delete
   * entries, which moves others back. None of that may show: against a plain
   * byte map, every read (aligned or not, any size), every frame's existence,
   * zeroFrame and clone behave as flat memory would.
   */
  it('behaves as a plain byte map through sparse, dense, growing and shrinking frames', () => {
    checkAgainstByteMap(false);
  });

  /**
   * The same with a table pool over the first frames (0x8000_0000 + 24 frames
   * of room, then the heap): frames written before the pool reaches them move
   * in when it grows, tables zeroed dense or sparse switch layouts, frames
   * past the pool's limit stay in the heap, and none of it may show.
   */
  it('behaves as a plain byte map with a table pool that grows over written frames', () => {
    checkAgainstByteMap(true);
  });

  it('reads an unwritten frame of the table pool as absent, a zeroed one as zero', () => {
    const m = new PhysicalMemory();
    m.setPool(0x4000_0000n, 0x10_0000n);
    m.reservePool(0x4000_2000n);
    expect(m.read64(0x4000_1000n)).toBeUndefined();
    expect(m.hasFrame(0x4000_1000n)).toBe(false);
    m.zeroFrame(0x4000_1000n, true);
    expect(m.read64(0x4000_1008n)).toBe(0n);
    m.write64(0x4000_1008n, 0x1234n);
    expect(m.read64(0x4000_1008n)).toBe(0x1234n);
    expect(m.frames).toBe(1);
    // Beyond what the pool covers (and beyond its limit) memory is the heap's, and behaves the same.
    m.write64(0x4020_0000n, 7n);
    expect(m.read64(0x4020_0000n)).toBe(7n);
    expect(m.read64(0x4020_1000n)).toBeUndefined();
    expect(m.frames).toBe(2);
  });
});

function checkAgainstByteMap(withPool: boolean): void {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), frame: fc.integer({ min: 0, max: 11 }), offset: fc.integer({ min: 0, max: 4095 }), size: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const), value: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })) }),
      fc.record({ kind: fc.constant('fill' as const), frame: fc.integer({ min: 0, max: 11 }), from: fc.integer({ min: 0, max: 511 }), n: fc.integer({ min: 1, max: 200 }), zero: fc.boolean() }),
      fc.record({ kind: fc.constant('zeroFrame' as const), frame: fc.integer({ min: 0, max: 11 }), dense: fc.boolean() }),
      fc.record({ kind: fc.constant('clone' as const) }),
      fc.record({ kind: fc.constant('reserve' as const), frames: fc.integer({ min: 1, max: 30 }) }),
    );
    // Frames in two 4GB regions, one of them near the top of the 52-bit space.
    // With the pool: frames 0-4 lie within its 24-frame limit (it covers 16 frames first, then all 24), frame 5 beyond it.
    const frameBase = (f: number) => (f < 6 ? 0x8000_0000n + BigInt(f) * (withPool ? 0x5000n : 0x1000n) : 0xf_ffff_0000_0000n + BigInt(f) * 0x5000n);
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), fc.array(fc.record({ frame: fc.integer({ min: 0, max: 12 }), offset: fc.integer({ min: 0, max: 4095 }), size: fc.constantFrom(1, 2, 4, 8) }), { maxLength: 40 }), (ops, probes) => {
        let m = new PhysicalMemory();
        if (withPool) m.setPool(0x8000_0000n, 0x1_8000n);
        const bytes = new Map<bigint, number>();
        const frames = new Set<bigint>();
        const store = (a: bigint, v: number) => { bytes.set(a, v); frames.add(a & ~0xfffn); };
        for (const o of ops) {
          if (o.kind === 'clone') { m = m.clone(); continue; }
          if (o.kind === 'reserve') { m.reservePool(0x8000_0000n + BigInt(o.frames) * 0x1000n); continue; }
          const base = frameBase(o.frame);
          if (o.kind === 'write') {
            // A write near the end of a frame runs into the next one, which comes into being.
            m.write(base + BigInt(o.offset), o.value & ((1n << BigInt(8 * o.size)) - 1n), o.size);
            for (let i = 0; i < o.size; i++) store(base + BigInt(o.offset + i), Number((o.value >> BigInt(8 * i)) & 0xffn));
          } else if (o.kind === 'fill') {
            for (let q = o.from; q < Math.min(512, o.from + o.n); q++) {
              const v = o.zero ? 0n : BigInt(q + 1) * 0x0101_0101_0000_0001n;
              m.write64(base + BigInt(q * 8), v);
              for (let i = 0; i < 8; i++) store(base + BigInt(q * 8 + i), Number((v >> BigInt(8 * i)) & 0xffn));
            }
          } else {
            m.zeroFrame(base, o.dense);
            frames.add(base);
            for (let i = 0n; i < 4096n; i++) bytes.delete(base + i);
          }
        }
        expect(m.frames).toBe(frames.size);
        const expected = (a: bigint, size: number): bigint | undefined => {
          let v = 0n;
          for (let i = 0; i < size; i++) {
            const b = a + BigInt(i);
            if (!frames.has(b & ~0xfffn)) return undefined;
            v |= BigInt(bytes.get(b) ?? 0) << BigInt(8 * i);
          }
          return v;
        };
        for (const p of probes) {
          const a = frameBase(p.frame) + BigInt(p.offset);
          expect(m.read(a, p.size as 1 | 2 | 4 | 8)).toBe(expected(a, p.size));
          expect(m.read64(a & ~7n)).toBe(expected(a & ~7n, 8));
          expect(m.hasFrame(a)).toBe(frames.has(a & ~0xfffn));
        }
        for (const f of frames) for (let q = 0n; q < 4096n; q += 8n) if (bytes.has(f + q)) expect(m.read64(f + q)).toBe(expected(f + q, 8));
      }),
      { numRuns: 150 },
    );
}

describe('PhysicalMemory at scale', () => {
  it('keeps thousands of sparse frames apart as its hash table grows, and turns a full frame dense', () => {
    const m = new PhysicalMemory();
    for (let i = 0n; i < 5000n; i++) m.write64(0x2_0000_0000n + i * 0x1000n + (i % 512n) * 8n, i + 1n);
    for (let q = 0n; q < 512n; q++) m.write64(0x3_0000_0000n + q * 8n, q ^ 0xffffn);
    for (let i = 0n; i < 5000n; i++) {
      expect(m.read64(0x2_0000_0000n + i * 0x1000n + (i % 512n) * 8n)).toBe(i + 1n);
      expect(m.read64(0x2_0000_0000n + i * 0x1000n + ((i + 1n) % 512n) * 8n)).toBe(0n);
    }
    for (let q = 0n; q < 512n; q++) expect(m.read64(0x3_0000_0000n + q * 8n)).toBe(q ^ 0xffffn);
    expect(m.frames).toBe(5001);
  });
});
