import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, hi32, lo32, newWalkOut, walkStage1, encodeAccess, type EngineCommand } from '../../../src/engine/index.ts';
import { RW } from './helpers.ts';

const GRANULES = [
  { TG0: 0, page: 0x1000n },
  { TG0: 2, page: 0x4000n },
  { TG0: 1, page: 0x1_0000n },
];

/** Random map/unmap programs over a small window so they collide often. */
const program = fc.record({
  g: fc.constantFrom(...GRANULES),
  ops: fc.array(
    fc.record({ unmap: fc.boolean(), page: fc.integer({ min: 0, max: 63 }), pages: fc.integer({ min: 1, max: 8 }), frame: fc.integer({ min: 0, max: 1 << 16 }) }),
    { minLength: 1, maxLength: 25 },
  ),
  probes: fc.array(fc.integer({ min: 0, max: 71 }), { minLength: 1, maxLength: 20 }),
});

describe('walk properties', () => {
  it('every walk agrees with a page-by-page reference model of the maps and unmaps that succeeded', () => {
    fc.assert(
      fc.property(program, ({ g, ops, probes }) => {
        const e = new Engine();
        e.apply({ kind: 'pgtable.create', name: 't', config: { TG0: g.TG0, T0SZ: 16 } });
        const model = new Map<bigint, bigint>(); // IOVA page -> PA page
        const base = 0x7f_0000_0000n;
        for (const op of ops) {
          const iova = base + BigInt(op.page) * g.page;
          const size = BigInt(op.pages) * g.page;
          if (op.unmap) {
            const [ev] = e.apply({ kind: 'pgtable.unmap', table: 't', iova, size });
            if (ev?.kind !== 'pgtable.unmapped') throw new Error('unmap rejected');
            for (const entry of ev.entries) for (let a = entry.iova; a < entry.iova + entry.size; a += g.page) model.delete(a);
          } else {
            const paddr = 0x1_0000_0000n + BigInt(op.frame) * g.page;
            const [ev] = e.apply({ kind: 'pgtable.map', table: 't', iova, paddr, size, prot: RW });
            if (ev?.kind === 'pgtable.mapped') for (let a = 0n; a < size; a += g.page) model.set(iova + a, paddr + a);
            else expect(ev?.kind === 'command.rejected' && ev.message.startsWith('EEXIST')).toBe(true);
          }
        }
        for (const p of probes) {
          const iova = base + BigInt(p) * g.page + 0x18n;
          const [ev] = e.apply({ kind: 'walk', table: 't', address: iova, access: { kind: 'read', privileged: true } });
          if (ev?.kind !== 'walk.completed') throw new Error('walk rejected');
          const expected = model.get(iova - 0x18n);
          if (expected === undefined) expect(ev.result.fault?.type).toBe('translation');
          else expect(ev.result.output).toBe(expected + 0x18n);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the untraced hot path gives the same answer as the traced walk', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.constantFrom('read', 'write', 'exec'), fc.boolean(), (address, kind, privileged) => {
        const e = new Engine();
        e.apply({ kind: 'pgtable.create', name: 't', config: { TG0: 0, T0SZ: 16, TBI: 1 } });
        e.apply({ kind: 'pgtable.map', table: 't', iova: address & 0x0000_ffff_ffe0_0000n, paddr: 0x8_0000_0000n, size: 0x20_0000n, prot: { read: true, write: false, exec: true, priv: false } });
        const access = { kind, privileged } as const;
        const [ev] = e.apply({ kind: 'walk', table: 't', address, access } satisfies EngineCommand);
        if (ev?.kind !== 'walk.completed') throw new Error('walk rejected');
        const out = newWalkOut();
        const ok = walkStage1(e.memory, e.regime('t')!, hi32(address), lo32(address), encodeAccess(access), out, null);
        expect(ok).toBe(ev.result.output !== undefined);
        if (ok) expect((BigInt(out.hi) << 32n) | BigInt(out.lo >>> 0)).toBe(ev.result.output);
        else expect(out.level).toBe(ev.result.fault?.level);
        expect(out.reads).toBe(ev.result.steps.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('nested walks are independent of each other', () => {
  it('the same nested walk twice gives the same trace, after a faulting walk in between', () => {
    const e = new Engine();
    e.apply({ kind: 'pgtable.create', name: 's2', stage: 2, config: { S2TG: 0, S2T0SZ: 16, S2SL0: 2 } });
    e.apply({ kind: 'pgtable.create', name: 's1', config: { TG0: 0, T0SZ: 16 } });
    const m = e.apply({ kind: 'pgtable.map', table: 's1', iova: 0x1000_0000n, paddr: 0x80_0000_0000n, size: 0x1000n, prot: RW })[0];
    const tables = [e.tableConfig('s1')!.TTB0, ...(m?.kind === 'pgtable.mapped' ? m.tables.map((t) => t.address) : [])];
    for (const t of tables) e.apply({ kind: 'pgtable.map', table: 's2', iova: t, paddr: t, size: 0x1000n, prot: RW });
    e.apply({ kind: 'pgtable.map', table: 's2', iova: 0x80_0000_0000n, paddr: 0x9_0000_0000n, size: 0x1000n, prot: RW });
    const walk = (address: bigint) => e.apply({ kind: 'walk', table: 's1', stage2: 's2', address, access: { kind: 'read', privileged: true } })[0];
    const first = walk(0x1000_0123n);
    expect(walk(0x2000_0000n)).toMatchObject({ result: { fault: { type: 'translation' } } });
    const again = walk(0x1000_0123n);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ result: { output: 0x9_0000_0123n } });
    const steps = first?.kind === 'walk.completed' ? first.result.steps : [];
    expect(steps.every((s) => s.s2?.output !== undefined && s.s2.fault === undefined)).toBe(true);
  });
});
