/**
 * The batched walk is the one walk advanced in lock-step: for every address
 * it must give exactly what `walkStage1` gives (output, or the fault), on
 * random tables of every granule, with corrupted descriptors (blocks,
 * invalid and reserved entries, AF = 0, read-only, table attributes), alone
 * and nested through stage-2 tables with holes and read-only pages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, hi32, lo32, newWalkOut, walkStage1 } from '../../../src/engine/index.ts';
import { BATCH_LANES, walkStage1Batch } from '../../../src/engine/hw/pgtable/walk-batch.ts';
import { FaultCode } from '../../../src/engine/hw/pgtable/walk-codes.ts';
import { RO, RW } from './helpers.ts';

const GRANULES = [
  { TG0: 0, page: 0x1000n },
  { TG0: 2, page: 0x4000n },
  { TG0: 1, page: 0x1_0000n },
];
const IOVA_BASE = 0x7f_0000_0000n;
const OA_BASE = 0x2_0000_0000n;
const TABLE_BASE = 0x1_0000_0000n;

const scenario = fc.record({
  g: fc.constantFrom(...GRANULES),
  t0sz: fc.constantFrom(16, 20, 25),
  maps: fc.array(fc.record({ page: fc.integer({ min: 0, max: 4095 }), frame: fc.integer({ min: 0, max: 1 << 12 }), ro: fc.boolean() }), { minLength: 1, maxLength: 40 }),
  /**
   * Descriptors on the walk of a mapped address with bits flipped: valid, table/block, AP[2:1], AF, an output
   * address bit above the output size, PXN/UXN, APTable/XNTable, or any pattern.
   */
  corrupt: fc.array(fc.record({
    mapped: fc.nat(),
    level: fc.integer({ min: 0, max: 3 }),
    flip: fc.oneof(fc.constantFrom(1n, 2n, 1n << 6n, 1n << 7n, 1n << 10n, 1n << 47n, 1n << 53n, 1n << 54n, 1n << 59n, 1n << 60n, 1n << 61n, 1n << 62n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  }), { maxLength: 4 }),
  nested: fc.boolean(),
  /** Stage-2 pages left unmapped (by index into the pages stage 1 uses) or mapped read-only. */
  s2Holes: fc.array(fc.nat(), { maxLength: 3 }),
  s2ReadOnly: fc.array(fc.nat(), { maxLength: 3 }),
  probes: fc.array(fc.oneof(
    fc.record({ mapped: fc.nat(), offset: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ raw: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
  ), { minLength: 1, maxLength: 3 * BATCH_LANES + 5 }),
  access: fc.constantFrom(0, 1, 2, 4, 5, 6),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const e = new Engine({ tableMemoryBase: TABLE_BASE, tableMemorySize: 0x1000_0000n });
  const created = e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: s.g.TG0, T0SZ: s.t0sz } })[0];
  const tables: bigint[] = created?.kind === 'pgtable.created' ? [created.root.address] : [];
  const inputLimit = 1n << BigInt(64 - s.t0sz);
  const iovas: bigint[] = [];
  const outputs: bigint[] = [];
  for (const m of s.maps) {
    const iova = (IOVA_BASE + BigInt(m.page) * s.g.page) % inputLimit;
    const paddr = OA_BASE + BigInt(m.frame) * s.g.page;
    const ev = e.apply({ kind: 'pgtable.map', table: 's1', iova, paddr, size: s.g.page, prot: m.ro ? RO : RW })[0];
    if (ev?.kind !== 'pgtable.mapped') continue;
    iovas.push(iova);
    outputs.push(paddr);
    for (const t of ev.tables) tables.push(t.address);
  }
  const corrupted: bigint[] = [];
  for (const c of s.corrupt) {
    if (iovas.length === 0) break;
    const iova = iovas[c.mapped % iovas.length] as bigint;
    corrupted.push(iova + 0x28n);
    const [ev] = e.apply({ kind: 'walk', table: 's1', address: iova, access: { kind: 'read', privileged: true } });
    const steps = ev?.kind === 'walk.completed' ? ev.result.steps : [];
    const step = steps[c.level % Math.max(1, steps.length)];
    if (!step) continue;
    e.memory.write64(step.descriptorAddress, (e.memory.read64(step.descriptorAddress) ?? 0n) ^ c.flip);
  }
  if (!s.nested) return { e, iovas, corrupted, s2: null };
  e.apply({ kind: 'pgtable.create', name: 's2', stage: 2, config: { S2TG: 0, S2T0SZ: 16, S2SL0: 2, S2PS: 5 } });
  // Stage 2 maps every IPA page stage 1 uses to the same PA, but for the holes; a 64KB or 16KB table or page spans several 4KB pages.
  const pages = new Set<bigint>();
  for (const a of [...tables, ...outputs]) for (let p = 0n; p < s.g.page; p += 0x1000n) pages.add(a + p);
  const list = [...pages];
  const holes = new Set(s.s2Holes.map((h) => list[h % list.length]));
  const readOnly = new Set(s.s2ReadOnly.map((h) => list[h % list.length]));
  for (const p of list) {
    if (holes.has(p)) continue;
    e.apply({ kind: 'pgtable.map', table: 's2', iova: p, paddr: p, size: 0x1000n, prot: readOnly.has(p) ? RO : RW });
  }
  return { e, iovas, corrupted, s2: e.stage2Tables('s2') ?? null };
}

describe('batched walk', () => {
  it('gives what walkStage1 gives for every address, across granules, corrupted tables and nesting', () => {
    const out = newWalkOut();
    const scratch = newWalkOut();
    fc.assert(
      fc.property(scenario, (s) => {
        const { e, iovas, corrupted, s2 } = build(s);
        const regime = e.regime('s1');
        if (!regime) throw new Error('no regime');
        const addresses = [...corrupted, ...s.probes.map((p) => ('raw' in p ? p.raw : iovas.length > 0 ? (iovas[p.mapped % iovas.length] as bigint) + BigInt(p.offset) % s.g.page : BigInt(p.offset)))];
        const n = addresses.length;
        const inHi = Int32Array.from(addresses, (a) => hi32(a) | 0);
        const inLo = Int32Array.from(addresses, (a) => lo32(a) | 0);
        const outHi = new Int32Array(n);
        const outLo = new Int32Array(n);
        const outFault = new Int32Array(n).fill(-1);
        const faults = walkStage1Batch(e.memory, regime, inHi, inLo, s.access, n, outHi, outLo, outFault, scratch, s2);
        let expectedFaults = 0;
        addresses.forEach((a, i) => {
          const ok = walkStage1(e.memory, regime, hi32(a), lo32(a), s.access, out, null, s2);
          if (!ok) expectedFaults++;
          expect(outFault[i]).toBe(out.fault);
          if (ok) expect([outHi[i], outLo[i]]).toEqual([out.hi | 0, out.lo | 0]);
        });
        expect(faults).toBe(expectedFaults);
      }),
      { numRuns: 300 },
    );
  });

  it('translates mapped addresses in the fast lanes, not only through the fallback', () => {
    const e = new Engine();
    e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: 0, T0SZ: 16 } });
    const n = 2 * BATCH_LANES + 3;
    for (let i = 0; i < n; i++) e.apply({ kind: 'pgtable.map', table: 's1', iova: IOVA_BASE + BigInt(i) * 0x20_0000n, paddr: OA_BASE + BigInt(i) * 0x1000n, size: 0x1000n, prot: RW });
    const inHi = new Int32Array(n).fill(hi32(IOVA_BASE));
    const inLo = Int32Array.from({ length: n }, (_, i) => lo32(IOVA_BASE + BigInt(i) * 0x20_0000n + 0x18n) | 0);
    const outHi = new Int32Array(n);
    const outLo = new Int32Array(n);
    const outFault = new Int32Array(n);
    const scratch = newWalkOut();
    scratch.reads = -1; // the fallback walk would overwrite this: it must stay untouched when every lane completes in lock-step
    expect(walkStage1Batch(e.memory, e.regime('s1')!, inHi, inLo, 0, n, outHi, outLo, outFault, scratch)).toBe(0);
    expect(scratch.reads).toBe(-1);
    for (let i = 0; i < n; i++) {
      expect(outFault[i]).toBe(FaultCode.None);
      expect((BigInt(outHi[i]! >>> 0) << 32n) | BigInt(outLo[i]! >>> 0)).toBe(OA_BASE + BigInt(i) * 0x1000n + 0x18n);
    }
  });
});
