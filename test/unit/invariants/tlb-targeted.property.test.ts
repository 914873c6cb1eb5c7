/**
 * Cache coherence with the invalidations a driver really sends (issue 8):
 * two streams with their own ASIDs share the IOTLB. Pages of stream 1 are
 * unmapped or remapped after their translations were cached. Then:
 * - CMD_TLBI_NH_VA for the *other* ASID leaves stream 1's stale answers in place
 *   (the tags matter: a wrong invalidation fixes nothing);
 * - CMD_TLBI_NH_VA for each changed page with stream 1's ASID, then CMD_SYNC,
 *   makes every DMA of stream 1 answer exactly as a fresh walk of its tables;
 * - stream 2's cached translations, untouched, still answer as its walk does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CD_TABLE, PA_BASE, RO, RW, apply, dma, issueSync, map, probe, s1Cd, s1Ste, s1Table, unmap, writeCd, writeSte } from '../smmu/helpers/smmu.ts';
import type { Engine } from '../../../src/engine/index.ts';

const PAGE = 0x1000n;
const PAGES = 32;
const ASID = [0, 7, 9] as const;
const CD_TABLE_2 = CD_TABLE + 0x1_0000n;

function setUp(): Engine {
  const e = probe();
  const t1 = s1Table(e, 't1');
  const t2 = s1Table(e, 't2');
  writeSte(e, 1, s1Ste(CD_TABLE));
  writeCd(e, 1, 0, s1Cd(t1, ASID[1]));
  writeSte(e, 2, s1Ste(CD_TABLE_2));
  writeCd(e, 2, 0, s1Cd(t2, ASID[2]));
  return e;
}

function freshWalk(e: Engine, table: string, address: bigint): bigint | 'fault' {
  const r = apply(e, { kind: 'walk', table, address, access: { kind: 'read', privileged: true } }, 'walk.completed').result;
  return r.fault ? 'fault' : (r.output as bigint);
}

function dmaAnswer(e: Engine, sid: number, address: bigint): bigint | 'fault' {
  const got = dma(e, sid, address);
  return got.result === 'translated' ? (got.output as bigint) : 'fault';
}

const arb = fc.record({
  pages: fc.uniqueArray(fc.integer({ min: 0, max: PAGES - 1 }), { minLength: 2, maxLength: 16 }),
  frames: fc.array(fc.integer({ min: 0, max: 1023 }), { minLength: 16, maxLength: 16 }),
  changes: fc.array(fc.record({ remap: fc.boolean(), frame: fc.integer({ min: 1024, max: 2047 }) }), { minLength: 1, maxLength: 8 }),
});

describe('IOTLB coherence with targeted invalidation', () => {
  it('only CMD_TLBI_NH_VA with the right ASID and address removes a stale translation', () => {
    fc.assert(
      fc.property(arb, ({ pages, frames, changes }) => {
        const e = setUp();
        const iova = (p: number) => BigInt(p) * PAGE;
        pages.forEach((p, i) => {
          map(e, 't1', iova(p), PA_BASE + BigInt(frames[i] ?? 0) * PAGE, PAGE, RW);
          map(e, 't2', iova(p), PA_BASE + 0x100_0000n + BigInt(p) * PAGE, PAGE, RO);
        });
        // Warm the IOTLB for both streams.
        const cached = new Map(pages.map((p) => [p, dmaAnswer(e, 1, iova(p))]));
        for (const p of pages) dmaAnswer(e, 2, iova(p));

        const changed = changes.slice(0, pages.length).map((c, i) => ({ ...c, page: pages[i] as number }));
        for (const c of changed) {
          unmap(e, 't1', iova(c.page), PAGE);
          if (c.remap) map(e, 't1', iova(c.page), PA_BASE + BigInt(c.frame) * PAGE, PAGE, RW);
        }

        // The other stream's ASID: stream 1 keeps answering from its stale entries.
        issueSync(e, ...changed.map((c) => ({ op: 'CMD_TLBI_NH_VA' as const, fields: { ASID: BigInt(ASID[2]), Address: iova(c.page) } })));
        for (const c of changed) expect(dmaAnswer(e, 1, iova(c.page)), `page ${c.page} after the wrong ASID`).toBe(cached.get(c.page));

        // The right ASID and addresses: stream 1 now agrees with its tables.
        issueSync(e, ...changed.map((c) => ({ op: 'CMD_TLBI_NH_VA' as const, fields: { ASID: BigInt(ASID[1]), Address: iova(c.page) } })));
        for (const p of pages) {
          expect(dmaAnswer(e, 1, iova(p)), `stream 1 page ${p}`).toBe(freshWalk(e, 't1', iova(p)));
          expect(dmaAnswer(e, 2, iova(p)), `stream 2 page ${p}`).toBe(freshWalk(e, 't2', iova(p)));
        }
      }),
      { numRuns: 60 },
    );
  });
});
