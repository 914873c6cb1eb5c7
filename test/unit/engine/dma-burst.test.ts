/**
 * smmu.dmaBurst must be nothing but count smmu.dma commands made in a row:
 * the same outputs (checksum), outcomes, IOTLB and configuration-cache hits
 * and misses, faults and first fault, and afterwards the same IOTLB entries
 * (with their hit counts) and the same event queue. Checked against single
 * DMAs on a copy of the same engine, on stage-1, nested and stage-2 streams
 * with read-only and unmapped pages, stale IOTLB entries, SubstreamIDs, and
 * spans larger than the IOTLB.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type DmaOutcome, type EngineCommand } from '../../../src/engine/index.ts';
import type { DmaBurstSummary } from '../../../src/engine/hw/smmu/dma-burst.ts';
import { apply, map, probe, reg, RO, s1Cd, s1Table, s2Fields, s2Table, smmuOf, stage1Stream, unmap, writeCd, writeSte } from '../smmu/helpers/smmu.ts';

const IOVA = 0x40_0000_0000n;
const PA = 0x8_0000_0000n;
const SID = 3;

function mix(h: number, lo: number, hi: number): number {
  h = Math.imul(h ^ lo, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h ^ hi, 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}

type Burst = Extract<EngineCommand, { kind: 'smmu.dmaBurst' }>;

/** What the burst should report, worked out from single smmu.dma commands. */
function single(e: Engine, c: Burst) {
  const tlb = smmuOf(e).iotlb;
  const hits0 = tlb.hitTotal;
  const misses0 = tlb.missTotal;
  let h = 0x811c9dc5 | 0;
  const counts = { translated: 0, bypassed: 0, terminated: 0 };
  const cfg = { hits: 0, misses: 0 };
  const faults: Record<string, number> = {};
  let firstFault: { index: number; outcome: DmaOutcome } | undefined;
  for (let i = 0; i < c.count; i++) {
    const address = c.base + (BigInt(i) * c.stride) % c.span;
    const outcome = apply(e, { kind: 'smmu.dma', sid: c.sid, ...(c.ssid === undefined ? {} : { ssid: c.ssid }), address, access: c.access }, 'smmu.dma').outcome;
    const t = outcome.trace;
    if (t.ste) {
      if (t.ste.cached && (!t.cd || t.cd.cached)) cfg.hits++;
      else cfg.misses++;
    }
    if (outcome.output !== undefined) h = mix(h, Number(outcome.output & 0xffff_ffffn) | 0, Number(outcome.output >> 32n) | 0);
    counts[outcome.result]++;
    if (outcome.result === 'terminated') {
      const name = outcome.event?.name ?? 'no event';
      faults[name] = (faults[name] ?? 0) + 1;
      firstFault ??= { index: i, outcome };
    }
  }
  return {
    done: c.count, ...counts, iotlb: { hits: tlb.hitTotal - hits0, misses: tlb.missTotal - misses0 }, configCache: cfg, faults,
    ...(firstFault ? { firstFault } : {}), checksum: h >>> 0,
  };
}

function stateOf(e: Engine) {
  const s = smmuOf(e);
  const q = reg(e, 'EVTQ_BASE') & 0x000f_ffff_ffff_ffe0n;
  const records = Array.from({ length: 64 }, (_, i) => e.readMemory64(q + BigInt(i * 8)));
  return { tlb: s.iotlb.entries(), prod: reg(e, 'EVTQ_PROD'), records, hits: s.iotlb.hitTotal, misses: s.iotlb.missTotal };
}

function expectSameAsSingles(e: Engine, c: Burst): DmaBurstSummary {
  const copy = Engine.fromSnapshot(e.snapshot());
  const summary = apply(e, c, 'smmu.dmaBurst').burst;
  const { request, ...rest } = summary;
  expect(request).toMatchObject({ sid: c.sid, count: c.count, base: c.base, stride: c.stride, span: c.span });
  expect(rest).toEqual(single(copy, c));
  expect(stateOf(e)).toEqual(stateOf(copy));
  return summary;
}

/** A stage-1 stream over `pages` 4KB pages at IOVA (every `ro`-th read-only, every `hole`-th left unmapped). */
function stage1(pages: number, ro: number, hole: number): Engine {
  const e = probe();
  stage1Stream(e, SID, 's1');
  for (let i = 0; i < pages; i++) {
    if (hole > 0 && i % hole === hole - 1) continue;
    map(e, 's1', IOVA + BigInt(i) * 0x1000n, PA + BigInt(i) * 0x3000n, 0x1000n, ro > 0 && i % ro === 0 ? RO : undefined);
  }
  return e;
}

describe('smmu.dmaBurst', () => {
  it('equals the same DMAs made one by one: stage 1, read-only and unmapped pages, stale entries', () => {
    fc.assert(
      fc.property(
        fc.record({
          pages: fc.integer({ min: 1, max: 40 }), ro: fc.integer({ min: 0, max: 5 }), hole: fc.integer({ min: 0, max: 6 }),
          warm: fc.integer({ min: 0, max: 20 }), stale: fc.boolean(), write: fc.boolean(), ssid: fc.constantFrom(undefined, 0, 1),
          count: fc.integer({ min: 1, max: 300 }), stride: fc.bigInt({ min: 0n, max: 0x9000n }), span: fc.bigInt({ min: 1n, max: 0x30000n }),
        }),
        (p) => {
          const e = stage1(p.pages, p.ro, p.hole);
          const access = { kind: p.write ? 'write' : 'read', privileged: true } as const;
          const c: Burst = { kind: 'smmu.dmaBurst', sid: SID, ...(p.ssid === undefined ? {} : { ssid: p.ssid }), count: p.count, base: IOVA, stride: p.stride, span: p.span, access };
          if (p.warm > 0) expectSameAsSingles(e, { ...c, count: p.warm });
          // Unmapped without TLBI: the IOTLB keeps answering for the page, as on hardware.
          if (p.stale && p.pages > 1) unmap(e, 's1', IOVA);
          expectSameAsSingles(e, c);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('equals single DMAs on a nested stream and a stage-2 stream', () => {
    const e = probe();
    const vtcr = { S2TG: 0, S2T0SZ: 16, S2SL0: 2 };
    const s2 = s2Table(e, 's2', vtcr);
    const ttb0 = s1Table(e, 's1');
    const tables = [ttb0];
    for (let i = 0; i < 16; i++) tables.push(...map(e, 's1', IOVA + BigInt(i) * 0x1000n, 0x9_0000_0000n + BigInt(i) * 0x1000n).tables.map((t) => t.address));
    for (const t of tables) map(e, 's2', t, t);
    map(e, 's2', 0x1000_0000n, 0x2000_0000n);
    // Stage 2 maps 12 of the 16 output IPAs, one of them read-only.
    for (let i = 0; i < 12; i++) map(e, 's2', 0x9_0000_0000n + BigInt(i) * 0x1000n, PA + BigInt(i) * 0x1000n, 0x1000n, i === 5 ? RO : undefined);
    writeSte(e, SID, { V: 1n, Config: 0b111n, S1ContextPtr: 0x1000_0000n, ...s2Fields(s2, vtcr, { S2VMID: 4n }) });
    writeCd(e, SID, 0, s1Cd(ttb0, 7));
    writeSte(e, SID + 1, { V: 1n, Config: 0b110n, ...s2Fields(s2, vtcr, { S2VMID: 5n }) });
    for (const access of [{ kind: 'read', privileged: true }, { kind: 'write', privileged: true }] as const) {
      const nested = expectSameAsSingles(e, { kind: 'smmu.dmaBurst', sid: SID, count: 500, base: IOVA + 0x10n, stride: 0x1040n, span: 0x10000n, access });
      expect(nested.terminated).toBeGreaterThan(0);
      expect(nested.translated).toBeGreaterThan(nested.terminated);
      const s2only = expectSameAsSingles(e, { kind: 'smmu.dmaBurst', sid: SID + 1, count: 300, base: 0x9_0000_0000n, stride: 0x800n, span: 0x10000n, access });
      expect(s2only.iotlb.hits).toBeGreaterThan(0);
    }
  });

  it('reports IOTLB hit rates: a span the IOTLB holds hits after the first pass, one twice its size keeps missing', () => {
    const e = probe();
    stage1Stream(e, SID, 's1');
    // 32MB of 4KB pages (PA not 2MB-aligned, so no blocks): 8192 pages, twice the IOTLB's 4096 entries.
    map(e, 's1', IOVA, PA + 0x1000n, 0x200_0000n);
    const read = { kind: 'read', privileged: true } as const;
    const fits = expectSameAsSingles(e, { kind: 'smmu.dmaBurst', sid: SID, count: 4096, base: IOVA, stride: 0x1000n, span: 0x20_0000n, access: read });
    expect(fits.iotlb).toEqual({ hits: 4096 - 512, misses: 512 });
    expect(fits.configCache).toEqual({ hits: 4095, misses: 1 });
    const big = expectSameAsSingles(e, { kind: 'smmu.dmaBurst', sid: SID, count: 16384, base: IOVA + 0x20_0000n, stride: 0x1000n, span: 0x200_0000n - 0x20_0000n, access: read });
    expect(big.iotlb.hits + big.iotlb.misses).toBe(16384);
    expect(big.iotlb.misses).toBeGreaterThan(big.iotlb.hits);
    expect(big.translated).toBe(16384);
  }, 60_000);

  it('runs in slices: stopped after k DMAs it is the burst of k, and bad requests name their field', () => {
    const e = stage1(64, 3, 5);
    const copy = Engine.fromSnapshot(e.snapshot());
    const c: Burst = { kind: 'smmu.dmaBurst', sid: SID, count: 1000, base: IOVA, stride: 0x1234n, span: 0x40000n, access: { kind: 'write', privileged: true } };
    const run = e.startDmaBurst(c);
    if ('rejected' in run) throw new Error('rejected');
    expect(run.runSlice(100)).toEqual({ done: 100, count: 1000 });
    expect(run.runSlice(250)).toEqual({ done: 350, count: 1000 });
    const [ev] = run.finish();
    const whole = apply(copy, { ...c, count: 350 }, 'smmu.dmaBurst').burst;
    const { kind: _kind, ...request } = c;
    expect(ev).toEqual({ kind: 'smmu.dmaBurst', burst: { ...whole, request } });
    expect(stateOf(e)).toEqual(stateOf(copy));
    const rejected = e.startDmaBurst({ ...c, span: 0n });
    expect(rejected).toMatchObject({ rejected: [{ kind: 'command.rejected', field: 'span' }] });
    expect(e.apply({ ...c, count: 0 })).toMatchObject([{ kind: 'command.rejected', field: 'count' }]);
  });
});
