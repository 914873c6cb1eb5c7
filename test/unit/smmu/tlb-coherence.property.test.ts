/**
 * Cache coherence as a property: whatever was mapped, cached by earlier DMA
 * and then changed in memory, once CMD_TLBI_NSNH_ALL + CMD_SYNC have run
 * every DMA answers exactly as a fresh traced walk of the same tables does —
 * the same PA, or a fault of the same kind. Before the invalidation, a page
 * whose translation was cached and then remapped still gives the old PA.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Prot, WalkFault } from '../../../src/engine/index.ts';
import { CD_TABLE, PA_BASE, apply, dma, issueSync, map, probe, s1Cd, s1Ste, s1Table, unmap, writeCd, writeSte } from './helpers/smmu.ts';

const GRANULES = [
  { TG0: 0, page: 0x1000n },
  { TG0: 2, page: 0x4000n },
  { TG0: 1, page: 0x1_0000n },
];
/** Three windows far apart, so the pages use different tables at every level. */
const WINDOWS = [0x0n, 0x7f_c000_0000n, 0xc0_0000_0000n];
const PAGES = 24;

const FAULT_EVENT: Record<WalkFault['type'], string> = {
  translation: 'F_TRANSLATION', accessFlag: 'F_ACCESS', permission: 'F_PERMISSION', addressSize: 'F_ADDR_SIZE', externalAbort: 'F_WALK_EABT',
};

const prot = (writable: boolean): Prot => ({ read: true, write: writable, exec: false, priv: true });

const slot = fc.record({ window: fc.integer({ min: 0, max: WINDOWS.length - 1 }), page: fc.integer({ min: 0, max: PAGES - 1 }) });
const scenario = fc.record({
  g: fc.constantFrom(...GRANULES),
  maps: fc.uniqueArray(fc.record({ at: slot, frame: fc.integer({ min: 0, max: 4095 }), writable: fc.boolean() }), {
    minLength: 1, maxLength: 12, selector: (m) => `${m.at.window}:${m.at.page}`,
  }),
  // Changes to the first mappings: unmap, or remap to another frame with other permissions.
  changes: fc.array(fc.record({ remap: fc.boolean(), frame: fc.integer({ min: 0, max: 4095 }), writable: fc.boolean() }), { maxLength: 8 }),
  dmas: fc.array(fc.record({ at: slot, offset: fc.integer({ min: 0, max: 0xfff }), write: fc.boolean() }), { minLength: 1, maxLength: 16 }),
});

describe('IOTLB coherence', () => {
  it('after CMD_TLBI_NSNH_ALL + CMD_SYNC, every DMA equals a fresh traced walk of the tables in memory', () => {
    fc.assert(
      fc.property(scenario, ({ g, maps, changes, dmas }) => {
        const e = probe();
        const ttb0 = s1Table(e, 't', { TG0: g.TG0 });
        writeSte(e, 1, s1Ste(CD_TABLE));
        writeCd(e, 1, 0, s1Cd(ttb0, 1, { TG0: BigInt(g.TG0) }));
        const iovaOf = (at: { window: number; page: number }) => (WINDOWS[at.window] as bigint) + BigInt(at.page) * g.page;
        const frame = (n: number) => PA_BASE + BigInt(n) * g.page;

        for (const m of maps) map(e, 't', iovaOf(m.at), frame(m.frame), g.page, prot(m.writable));
        // Warm the IOTLB with every page that will be probed.
        const before = new Map<bigint, bigint | undefined>();
        for (const d of dmas) before.set(iovaOf(d.at), dma(e, 1, iovaOf(d.at)).output);

        changes.forEach((c, i) => {
          const m = maps[i];
          if (!m) return;
          unmap(e, 't', iovaOf(m.at), g.page);
          if (c.remap) map(e, 't', iovaOf(m.at), frame(c.frame), g.page, prot(c.writable));
        });
        // Stale before invalidation: a page that translated keeps its old PA.
        for (const [iova, old] of before) if (old !== undefined) expect(dma(e, 1, iova).output).toBe(old);

        issueSync(e, { op: 'CMD_TLBI_NSNH_ALL' });
        // Each page twice, the second access usually an IOTLB hit: a hit must answer as the walk would, permissions included.
        for (const d of dmas) {
          const address = iovaOf(d.at) + BigInt(d.offset);
          for (const kind of d.write ? (['write', 'read'] as const) : (['read', 'write'] as const)) {
            const walk = apply(e, { kind: 'walk', table: 't', address, access: { kind, privileged: true } }, 'walk.completed').result;
            const got = dma(e, 1, address, { kind });
            if (walk.fault) {
              expect(got.result).toBe('terminated');
              expect(got.event?.name).toBe(FAULT_EVENT[walk.fault.type]);
            } else {
              expect(got.result).toBe('translated');
              expect(got.output).toBe(walk.output);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
