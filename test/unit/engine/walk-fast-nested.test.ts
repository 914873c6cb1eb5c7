/**
 * The nested fast walk (walk-fast-4k.ts, nested4k) reads stage-1 tables
 * wherever stage 2 puts them. W2 puts them outside the table pool, at
 * PA = IPA + 2^40, in the heap; this checks that layout against the traced
 * walk: stage 2 maps every stage-1 table page and output page to a copy
 * 2^40 higher, the copies kept sparse (a few qwords each, in the qword hash)
 * or dense (filled with invalid descriptors until the heap keeps them as
 * whole pages), with stage-2 holes, pages stage 2 does not let be read, and
 * descriptors of the copies corrupted. Every field a caller reads must equal
 * the traced walk's; and nested4k itself, called directly (a walk it does not
 * take falls back to the general loop, which would hide its mistakes), must
 * give the traced walk's output whenever it answers, and must answer every
 * walk of a layout with nothing broken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, hi32, lo32, newWalkOut, walkStage1 } from '../../../src/engine/index.ts';
import { nested4k, WALKED } from '../../../src/engine/hw/pgtable/walk-fast-4k.ts';
import { RW } from './helpers.ts';
import { walkFields } from './walk-fields.ts';

const IOVA_BASE = 0x40_0000_0000n;
const OA_BASE = 0x80_0000_0000n;
const SHIFT = 1n << 40n;
const NO_READ = { read: false, write: true, exec: false, priv: true };

const scenario = fc.record({
  maps: fc.array(fc.record({ page: fc.integer({ min: 0, max: (1 << 24) - 1 }), frame: fc.integer({ min: 0, max: 1 << 16 }) }), { minLength: 1, maxLength: 24 }),
  dense: fc.boolean(),
  holes: fc.array(fc.nat(), { maxLength: 2 }),
  noRead: fc.array(fc.nat(), { maxLength: 2 }),
  corrupt: fc.array(fc.record({ page: fc.nat(), index: fc.integer({ min: 0, max: 511 }), flip: fc.constantFrom(1n, 2n, 1n << 10n, 1n << 40n, 1n << 47n, 1n << 61n) }), { maxLength: 3 }),
  probes: fc.array(fc.record({ mapped: fc.nat(), offset: fc.integer({ min: 0, max: 0xfff }) }), { minLength: 1, maxLength: 30 }),
  access: fc.constantFrom(0, 1, 4),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario) {
  const e = new Engine({ tableMemoryBase: 0x1_0000_0000n, tableMemorySize: 0x1000_0000n });
  const created = e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: 0, T0SZ: 16, IPS: 5 } })[0];
  const tables = new Set<bigint>(created?.kind === 'pgtable.created' ? [created.root.address] : []);
  const inputs: bigint[] = [];
  const outputs: bigint[] = [];
  for (const m of s.maps) {
    const iova = IOVA_BASE + BigInt(m.page) * 4096n;
    const ev = e.apply({ kind: 'pgtable.map', table: 's1', iova, paddr: OA_BASE + BigInt(m.frame) * 4096n, size: 4096n, prot: RW })[0];
    if (ev?.kind !== 'pgtable.mapped') continue;
    inputs.push(iova);
    outputs.push(OA_BASE + BigInt(m.frame) * 4096n);
    for (const t of ev.tables) tables.add(t.address);
  }
  e.apply({ kind: 'pgtable.create', name: 's2', stage: 2, config: { S2TG: 0, S2T0SZ: 16, S2SL0: 2, S2PS: 5 } });
  const pages = [...tables, ...new Set(outputs)];
  const holes = new Set(s.holes.map((h) => pages[h % pages.length]));
  const noRead = new Set(s.noRead.map((h) => pages[h % pages.length]));
  for (const page of pages) {
    if (!holes.has(page)) e.apply({ kind: 'pgtable.map', table: 's2', iova: page, paddr: page + SHIFT, size: 4096n, prot: noRead.has(page) ? NO_READ : RW });
  }
  // The stage-1 tables' copies at PA = IPA + 2^40, in the heap.
  for (const page of tables) {
    for (let off = 0n; off < 4096n; off += 8n) {
      const v = e.memory.read64(page + off) ?? 0n;
      // 0x2: an invalid descriptor (bit 0 clear) that still makes the frame dense.
      e.memory.write64(page + SHIFT + off, v === 0n && s.dense ? 0x2n : v);
    }
  }
  const list = [...tables];
  for (const c of s.corrupt) {
    const at = (list[c.page % list.length] as bigint) + SHIFT + BigInt(c.index * 8);
    e.memory.write64(at, (e.memory.read64(at) ?? 0n) ^ c.flip);
  }
  return { e, inputs };
}


describe('nested fast walk with stage-1 tables in the heap (W2 layout)', () => {
  it('answers exactly as the traced walk, and nested4k walks every clean walk itself', () => {
    let walked = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { e, inputs } = build(s);
        const regime = e.regime('s1');
        const s2 = e.stage2Tables('s2');
        if (!regime || !s2) throw new Error('tables missing');
        const clean = s.holes.length === 0 && s.noRead.length === 0 && s.corrupt.length === 0;
        const a = newWalkOut();
        const b = newWalkOut();
        const out = new Int32Array(11);
        const ipa = new Int32Array(2);
        for (const p of s.probes) {
          const address = (inputs[p.mapped % inputs.length] ?? IOVA_BASE) + BigInt(p.offset);
          const okFast = walkStage1(e.memory, regime, hi32(address), lo32(address), s.access, a, null, s2);
          const okTraced = walkStage1(e.memory, regime, hi32(address), lo32(address), s.access, b, [], s2, []);
          expect(walkFields(a, okFast, true)).toEqual(walkFields(b, okTraced, true));
          const r = nested4k(e.memory, regime.ttbr0, s2, hi32(address) | 0, lo32(address) | 0, s.access, out, ipa);
          if (clean && okTraced) expect(r).toBe(WALKED);
          if (r !== WALKED) continue;
          walked++;
          expect(okTraced).toBe(true);
          expect([out[0], out[1], out[2], out[3], out[4], ipa[0], ipa[1]]).toEqual([b.hi | 0, b.lo | 0, b.level, b.mapShift, b.reads, b.ipaHi | 0, b.ipaLo | 0]);
          expect((BigInt(b.hi >>> 0) << 32n) | BigInt(b.lo >>> 0)).toBe(((BigInt(b.ipaHi >>> 0) << 32n) | BigInt(b.ipaLo >>> 0)) + SHIFT);
        }
      }),
      { numRuns: 150 },
    );
    expect(walked).toBeGreaterThan(100);
  });
});
