import { describe, expect, it } from 'vitest';
import { ACCESS_READ, newWalkOut, walkStage1 } from '../../../src/engine/index.ts';
import { buildNested, buildStage1, iovaHiOf, iovaLoOf, lowbias32, N, pageIndex, type Workload } from '../../../src/bench/workloads.ts';
import { walkStage1Batch } from '../../../src/engine/hw/pgtable/walk-batch.ts';

// The expected addresses are the workload file's formulas, computed here with BigInt, not by the engine.
const IOVA = (i: number) => 0x40_0000_0000n + BigInt((BigInt(i) * 2654435761n) % (1n << 24n)) * 4096n;
const OA = (i: number) => 0x80_0000_0000n + BigInt(i) * 4096n;

/** The batched walk (W1's path, and W2's variant) gives the formula's address for queries 0..999, in order. */
function expectBatch(w: Workload, plus: bigint) {
  const n = 1000;
  const inHi = new Int32Array(n);
  const inLo = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const k = lowbias32(j) & (N - 1);
    inHi[j] = w.iovaHi[k] as number;
    inLo[j] = (w.iovaLo[k] as number) + ((j & 0x3ff) << 2);
  }
  const outHi = new Int32Array(n);
  const outLo = new Int32Array(n);
  const outFault = new Int32Array(n);
  expect(walkStage1Batch(w.mem, w.regime, inHi, inLo, ACCESS_READ, n, outHi, outLo, outFault, newWalkOut(), w.s2)).toBe(0);
  for (let j = 0; j < n; j += 37) {
    const k = lowbias32(j) & (N - 1);
    expect((BigInt(outHi[j]! >>> 0) << 32n) | BigInt(outLo[j]! >>> 0)).toBe(OA(k) + BigInt((j & 0x3ff) << 2) + plus);
  }
}

describe('benchmark workloads (shared/bench/WORKLOADS.md)', () => {
  it('p_i matches the definition and is distinct for i < 2^16', () => {
    const seen = new Set<number>();
    for (let i = 0; i < N; i++) {
      const p = pageIndex(i);
      if (i % 997 === 0) expect(BigInt(p)).toBe((BigInt(i) * 2654435761n) % (1n << 24n));
      seen.add(p);
    }
    expect(seen.size).toBe(N);
  });

  it('the measured loops\' IOVA_k halves (computed) equal the formula for every k', () => {
    for (let k = 0; k < N; k++) {
      const iova = IOVA(k);
      expect(iovaHiOf(k) >>> 0).toBe(Number(iova >> 32n));
      expect(iovaLoOf(k) >>> 0).toBe(Number(iova & 0xffff_ffffn));
    }
  });

  it('W1 walks each sampled query to OA_k + off with four descriptor reads', () => {
    const w = buildStage1();
    const out = newWalkOut();
    for (let j = 0; j < 4096; j += 7) {
      const k = lowbias32(j) & (N - 1);
      const off = (j & 0x3ff) << 2;
      const address = IOVA(k) + BigInt(off);
      expect(w.iovaHi[k]).toBe(Number(IOVA(k) >> 32n));
      const ok = walkStage1(w.mem, w.regime, Number(address >> 32n), Number(address & 0xffff_ffffn), ACCESS_READ, out, null, null);
      expect(ok).toBe(true);
      expect((BigInt(out.hi) << 32n) | BigInt(out.lo >>> 0)).toBe(OA(k) + BigInt(off));
      expect(out.reads).toBe(4);
    }
    expectBatch(w, 0n);
  }, 30_000);

  it('W2 walks each sampled query to OA_k + off + 2^40 with 24 descriptor reads', () => {
    const w = buildNested();
    const out = newWalkOut();
    for (let j = 0; j < 2048; j += 11) {
      const k = lowbias32(j) & (N - 1);
      const off = (j & 0x3ff) << 2;
      const address = IOVA(k) + BigInt(off);
      const ok = walkStage1(w.mem, w.regime, Number(address >> 32n), Number(address & 0xffff_ffffn), ACCESS_READ, out, null, w.s2);
      expect(ok).toBe(true);
      expect((BigInt(out.hi) << 32n) | BigInt(out.lo >>> 0)).toBe(OA(k) + BigInt(off) + (1n << 40n));
      expect(out.reads).toBe(24);
    }
    // The stage-1 tables live only at PA = IPA + 2^40: where the engine built them (PA = IPA) reads zero.
    const root = (BigInt(w.regime.ttbr0.baseHi) << 32n) | BigInt(w.regime.ttbr0.baseLo >>> 0);
    const entry = root + ((IOVA(0) >> 39n) & 511n) * 8n;
    expect(w.mem.read64(entry)).toBe(0n);
    expect(w.mem.read64(entry + (1n << 40n))).not.toBe(0n);
    expectBatch(w, 1n << 40n);
  }, 60_000);
});
