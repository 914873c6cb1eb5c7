/**
 * The untraced walk takes a fast path (walk-fast.ts) for the plain case and
 * falls back to the one walk for everything else. Whatever it takes, its
 * answer must be the traced walk's: the same output, leaf level, mapping
 * size, descriptor count, TTBR, stage and intermediate address — or the same
 * fault, reason, level, stage and class. Checked here on random tables of all
 * three granules (pages and blocks), with descriptors corrupted on the walked
 * path, stage 1 alone, stage 2 alone, and nested through stage-2 tables of any
 * granule with holes and read-only pages; and in each of the places memory
 * keeps tables (physical-memory.ts): the table pool with sparse leaf tables
 * (the engine's default), the pool with every table dense or every table
 * sparse, and the heap.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Engine, hi32, lo32, newWalkOut, walkStage1 } from '../../../src/engine/index.ts';
import { walkStage2 } from '../../../src/engine/hw/pgtable/walk.ts';
import { res, RES_READS } from '../../../src/engine/hw/pgtable/walk-fast.ts';
import { walk4k, WALKED } from '../../../src/engine/hw/pgtable/walk-fast-4k.ts';
import { RO, RW } from './helpers.ts';
import { PhysicalMemory } from '../../../src/engine/hw/memory/physical-memory.ts';
import { TableAllocator } from '../../../src/engine/hw/memory/table-allocator.ts';
import { walkFields } from './walk-fields.ts';

const GRANULES = [
  { TG0: 0, page: 0x1000n, block: 0x20_0000n },
  { TG0: 2, page: 0x4000n, block: 0x200_0000n },
  { TG0: 1, page: 0x1_0000n, block: 0x2000_0000n },
];
const S2 = [
  { S2TG: 0, S2SL0: 2, page: 0x1000n },
  { S2TG: 2, S2SL0: 2, page: 0x4000n },
  { S2TG: 1, S2SL0: 2, page: 0x1_0000n },
];
const IOVA_BASE = 0x40_0000_0000n;
const OA_BASE = 0x2_0000_0000n;

const scenario = fc.record({
  g: fc.constantFrom(...GRANULES),
  t0sz: fc.constantFrom(16, 20, 25, 33),
  tbi: fc.constantFrom(0, 1),
  had: fc.boolean(),
  maps: fc.array(fc.record({ page: fc.integer({ min: 0, max: 2047 }), frame: fc.integer({ min: 0, max: 1 << 12 }), ro: fc.boolean(), block: fc.boolean() }), { minLength: 1, maxLength: 30 }),
  corrupt: fc.array(fc.record({
    mapped: fc.nat(),
    level: fc.integer({ min: 0, max: 3 }),
    flip: fc.oneof(fc.constantFrom(1n, 2n, 1n << 6n, 1n << 7n, 1n << 10n, 1n << 47n, 1n << 53n, 1n << 54n, 1n << 59n, 1n << 60n, 1n << 61n, 1n << 62n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  }), { maxLength: 4 }),
  mode: fc.constantFrom('s1', 's2', 'nested'),
  s2g: fc.constantFrom(...S2),
  s2Holes: fc.array(fc.nat(), { maxLength: 3 }),
  s2ReadOnly: fc.array(fc.nat(), { maxLength: 3 }),
  probes: fc.array(fc.oneof(
    fc.record({ mapped: fc.nat(), offset: fc.bigInt({ min: 0n, max: 0x3fff_ffffn }) }),
    fc.record({ raw: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
  ), { minLength: 1, maxLength: 40 }),
  access: fc.constantFrom(0, 1, 2, 4, 5, 6),
  layout: fc.constantFrom('pool' as const, 'dense' as const, 'heap' as const, 'sparse' as const),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Where the tables go: 'dense' keeps leaf tables dense in the pool too, 'sparse' every table sparse (upper levels too), 'heap' gives the memory no pool. */
function build(s: Scenario) {
  const spies = [];
  if (s.layout === 'heap') spies.push(vi.spyOn(PhysicalMemory.prototype, 'setPool').mockImplementation(() => undefined));
  if (s.layout === 'dense' || s.layout === 'sparse') {
    const alloc = TableAllocator.prototype.alloc;
    const leaf = s.layout === 'sparse';
    spies.push(vi.spyOn(TableAllocator.prototype, 'alloc').mockImplementation(function (this: TableAllocator, bytes: bigint) { return alloc.call(this, bytes, leaf); }));
  }
  try {
    return buildTables(s);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

function buildTables(s: Scenario) {
  const e = new Engine({ tableMemoryBase: 0x1_0000_0000n, tableMemorySize: 0x1000_0000n });
  const created = e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: s.g.TG0, T0SZ: s.t0sz, TBI: s.tbi, HAD0: s.had } })[0];
  const tables: bigint[] = created?.kind === 'pgtable.created' ? [created.root.address] : [];
  const limit = 1n << BigInt(64 - s.t0sz);
  const inputs: bigint[] = [];
  const sizes: bigint[] = [];
  const outputs: bigint[] = [];
  for (const m of s.maps) {
    const size = m.block && s.g.TG0 !== 1 ? s.g.block : s.g.page;
    const iova = ((IOVA_BASE + BigInt(m.page) * size) % limit) & ~(size - 1n);
    const paddr = (OA_BASE + BigInt(m.frame) * s.g.page) & ~(size - 1n);
    const ev = e.apply({ kind: 'pgtable.map', table: 's1', iova, paddr, size, prot: m.ro ? RO : RW })[0];
    if (ev?.kind !== 'pgtable.mapped') continue;
    inputs.push(iova);
    sizes.push(size);
    outputs.push(paddr);
    for (const t of ev.tables) tables.push(t.address);
  }
  const corrupted: bigint[] = [];
  for (const c of s.corrupt) {
    if (inputs.length === 0) break;
    const iova = inputs[c.mapped % inputs.length] as bigint;
    corrupted.push(iova + 0x28n);
    const [ev] = e.apply({ kind: 'walk', table: 's1', address: iova, access: { kind: 'read', privileged: true } });
    const steps = ev?.kind === 'walk.completed' ? ev.result.steps : [];
    const step = steps[c.level % Math.max(1, steps.length)];
    if (step) e.memory.write64(step.descriptorAddress, (e.memory.read64(step.descriptorAddress) ?? 0n) ^ c.flip);
  }
  if (s.mode === 's1') return { e, inputs, sizes, corrupted, s2: null };
  e.apply({ kind: 'pgtable.create', name: 's2', stage: 2, config: { S2TG: s.s2g.S2TG, S2T0SZ: 16, S2SL0: s.s2g.S2SL0, S2PS: 5 } });
  // Stage 2 maps (identity) every page stage 1 uses, but for the holes; stage-1 blocks only their first stage-2 page.
  const pages = new Set<bigint>();
  for (const a of [...tables, ...outputs]) for (let p = 0n; p < s.g.page; p += s.s2g.page) pages.add((a + p) & ~(s.s2g.page - 1n));
  const list = [...pages];
  const holes = new Set(s.s2Holes.map((h) => list[h % list.length]));
  const readOnly = new Set(s.s2ReadOnly.map((h) => list[h % list.length]));
  for (const p of list) {
    if (!holes.has(p)) e.apply({ kind: 'pgtable.map', table: 's2', iova: p, paddr: p, size: s.s2g.page, prot: readOnly.has(p) ? RO : RW });
  }
  return { e, inputs: s.mode === 's2' ? list : inputs, sizes: s.mode === 's2' ? list.map(() => s.s2g.page) : sizes, corrupted: s.mode === 's2' ? [] : corrupted, s2: e.stage2Tables('s2') ?? null };
}


describe('fast untraced walk', () => {
  it('answers exactly as the traced walk, for every granule, stage 1, stage 2 and nested', () => {
    let fast = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { e, inputs, sizes, corrupted, s2 } = build(s);
        const regime = e.regime('s1');
        if (!regime) throw new Error('no regime');
        const addresses = [...corrupted, ...s.probes.map((p) => {
          if ('raw' in p) return p.raw;
          if (inputs.length === 0) return p.offset;
          const i = p.mapped % inputs.length;
          return (inputs[i] as bigint) + p.offset % (sizes[i] as bigint);
        })];
        const a = newWalkOut();
        const b = newWalkOut();
        for (const address of addresses) {
          const hi = hi32(address);
          const lo = lo32(address);
          res[RES_READS] = -1;
          let okFast: boolean;
          let okTraced: boolean;
          if (s.mode === 's2' && s2) {
            okFast = walkStage2(e.memory, s2, hi, lo, s.access, a, null);
            okTraced = walkStage2(e.memory, s2, hi, lo, s.access, b, []);
          } else {
            okFast = walkStage1(e.memory, regime, hi, lo, s.access, a, null, s2);
            okTraced = walkStage1(e.memory, regime, hi, lo, s.access, b, [], s2, []);
          }
          if (res[RES_READS] !== -1 && okFast) fast++;
          expect(walkFields(a, okFast, s.mode === 'nested')).toEqual(walkFields(b, okTraced, s.mode === 'nested'));

        }
      }),
      { numRuns: 400 },
    );
    // The property is only worth something if the fast path answered a good share of the walks itself.
    expect(fast).toBeGreaterThan(200);
  });

  it('the unrolled 4KB walk, called directly, gives the traced walk\'s output and takes every page walk through dense pool tables', () => {
    // Called directly: a walk walk4k does not take falls back to the general loop, which would hide its mistakes.
    let walked = 0;
    // Pages mostly (a block answers OTHER), and accesses the RW and RO pages may allow or refuse.
    const shape4k = scenario.map((s) => ({ ...s, g: GRANULES[0]!, t0sz: 16 as const, mode: 's1' as const, maps: s.maps.map((m, i) => ({ ...m, block: m.block && i % 4 === 0 })), access: s.access === 1 ? (1 as const) : (0 as const) }));
    fc.assert(
      fc.property(shape4k, (s) => {
        const { e, inputs, sizes } = build(s);
        const regime = e.regime('s1');
        if (regime?.ttbr0.fast4k !== 1) throw new Error('not the 4KB shape');
        const b = newWalkOut();
        const out = new Int32Array(11);
        for (const p of s.probes) {
          const i = 'mapped' in p && inputs.length > 0 ? p.mapped % inputs.length : -1;
          const address = i < 0 ? ('raw' in p ? p.raw : 0n) : (inputs[i] as bigint) + ('offset' in p ? p.offset : 0n) % (sizes[i] as bigint);
          const hi = hi32(address);
          const lo = lo32(address);
          // walk4k expects an input already checked against the input size, as fastStage1 does.
          if (((hi & regime.ttbr0.zeroHi) | (lo & regime.ttbr0.zeroLo)) !== 0) continue;
          const okTraced = walkStage1(e.memory, regime, hi, lo, s.access, b, []);
          const r = walk4k(e.memory, regime.ttbr0, hi | 0, lo | 0, s.access, out);
          if (r === WALKED) {
            walked++;
            expect(okTraced).toBe(true);
            expect([out[0], out[1], out[2], out[3], out[4]]).toEqual([b.hi | 0, b.lo | 0, b.level, b.mapShift, b.reads]);
          } else if (okTraced && b.mapShift === 12 && s.layout !== 'heap' && s.layout !== 'sparse') {
            // A page through the pool's dense upper tables: nothing sends such a walk elsewhere.
            expect(r).toBe(WALKED);
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(walked).toBeGreaterThan(30);
  });

  it('applies every table attribute (APTable, UXNTable, PXNTable) at every level, like the traced walk', () => {
    let faults = 0;
    for (const g of GRANULES) {
      for (const bit of [59n, 60n, 61n, 62n]) {
        for (let level = 0; level < 3; level++) {
          const e = new Engine({ tableMemoryBase: 0x1_0000_0000n, tableMemorySize: 0x1000_0000n });
          e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: g.TG0, T0SZ: 16 } });
          e.apply({ kind: 'pgtable.map', table: 's1', iova: IOVA_BASE, paddr: OA_BASE, size: g.page, prot: { read: true, write: true, exec: true, priv: false } });
          const [ev] = e.apply({ kind: 'walk', table: 's1', address: IOVA_BASE, access: { kind: 'read', privileged: true } });
          const steps = ev?.kind === 'walk.completed' ? ev.result.steps : [];
          const step = steps[level];
          if (!step || level === steps.length - 1) continue;
          e.memory.write64(step.descriptorAddress, (e.memory.read64(step.descriptorAddress) ?? 0n) | (1n << bit));
          const regime = e.regime('s1')!;
          for (const access of [0, 1, 2, 4, 5, 6]) {
            const a = newWalkOut();
            const b = newWalkOut();
            const okFast = walkStage1(e.memory, regime, hi32(IOVA_BASE + 0x18n), lo32(IOVA_BASE + 0x18n), access, a, null);
            const okTraced = walkStage1(e.memory, regime, hi32(IOVA_BASE + 0x18n), lo32(IOVA_BASE + 0x18n), access, b, []);
            if (!okTraced) faults++;
            expect(walkFields(a, okFast, false)).toEqual(walkFields(b, okTraced, false));
          }
        }
      }
    }
    expect(faults).toBeGreaterThan(20);
  });
});
