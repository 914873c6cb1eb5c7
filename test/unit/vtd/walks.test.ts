/**
 * One translation of each kind, checked against values worked out by hand
 * from the VT-d spec's formats: which entry each level reads (index =
 * address bits [12 + 9L - 1 : 12 + 9(L - 1)]), what the output is, and for
 * nested walks that every first-stage table GPA went through the second stage.
 */
import { describe, expect, it } from 'vitest';
import { vtdMap } from '../../../src/engine/hw/vtd/pgtable.ts';
import { RW, Rig, SID } from './helpers/unit.ts';

const IOVA = 0x7f12_3456_7000n;
const PA = 0x8_0000_0000n;

describe('VT-d walks', () => {
  it('first stage, 4-level: PML4 -> PDPT -> PD -> PT, indexes from IOVA[47:12]', () => {
    const r = new Rig();
    const fs = r.table('first-stage', 4);
    r.map(fs, IOVA, PA, 0x1000n);
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPTR: fs.root, DID: 5n, AW: 2n });
    const o = r.dma(SID, IOVA + 0x10n, 'write');
    expect(o.result).toBe('translated');
    expect(o.output).toBe(PA + 0x10n);
    expect(o.trace.translation).toBe('first-stage');
    expect(o.trace.did).toBe(5);
    expect(o.trace.pasid).toBe(0); // RID_PASID for a request without PASID
    const steps = o.trace.steps ?? [];
    expect(steps.map((s) => s.level)).toEqual([4, 3, 2, 1]);
    // IOVA 0x7f12_3456_7000: PML4 index 0xfe, PDPT 0x48, PD 0x1a2, PT 0x167.
    expect(steps.map((s) => s.index)).toEqual([0xfe, 0x48, 0x1a2, 0x167]);
    expect(steps[0]?.entryAddress).toBe(fs.root + 0xfen * 8n);
    expect(steps[3]?.decoded?.type).toBe('page');
    expect(o.trace.reads.map((x) => x.what)).toEqual(['root entry', 'context entry', 'PASID directory entry', 'PASID entry']);
  });

  it('first stage, 5-level (FLPM = 1): a PML5 level resolves IOVA[56:48]', () => {
    const r = new Rig();
    const fs = r.table('first-stage', 5);
    const iova = 0x00aa_0000_1234_5000n;
    r.map(fs, iova, PA, 0x1000n);
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPTR: fs.root, FLPM: 1n, DID: 5n, AW: 3n });
    const o = r.dma(SID, iova);
    expect(o.output).toBe(PA);
    expect(o.trace.steps?.map((s) => s.level)).toEqual([5, 4, 3, 2, 1]);
    expect(o.trace.steps?.[0]?.index).toBe(0xaa);
  });

  it('first stage maps 2 MB and 1 GB pages where alignment allows, ending the walk early', () => {
    const r = new Rig();
    const fs = r.table('first-stage', 4);
    r.map(fs, 0x4000_0000n, 0x1_4000_0000n, 0x4000_0000n); // 1 GB
    r.map(fs, 0x8020_0000n, 0x2_0020_0000n, 0x20_0000n); // 2 MB
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 1n, FLPTR: fs.root, DID: 1n, AW: 2n });
    const big = r.dma(SID, 0x4123_4567n);
    expect(big.output).toBe(0x1_4123_4567n);
    expect(big.trace.steps?.map((s) => s.level)).toEqual([4, 3]);
    const mid = r.dma(SID, 0x8021_0008n);
    expect(mid.output).toBe(0x2_0021_0008n);
    expect(mid.trace.steps?.map((s) => s.level)).toEqual([4, 3, 2]);
  });

  it('second stage in scalable mode (PGTT = 2), 4-level from AW = 2', () => {
    const r = new Rig();
    const ss = r.table('second-stage', 4);
    r.map(ss, 0x10_0000n, PA, 0x1000n);
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 2n, SLPTPTR: ss.root, DID: 7n, AW: 2n });
    const o = r.dma(SID, 0x10_0abcn);
    expect(o.output).toBe(PA + 0xabcn);
    expect(o.trace.translation).toBe('second-stage');
    expect(o.trace.steps?.map((s) => [s.stage, s.level])).toEqual([['second', 4], ['second', 3], ['second', 2], ['second', 1]]);
  });

  it('second stage in legacy mode: the context entry holds SLPTPTR, AW and DID; no PASID reads', () => {
    const r = new Rig({ sagaw: 0b00110 }, 'legacy');
    const ss = r.table('second-stage', 3);
    r.map(ss, 0x2000n, PA, 0x1000n);
    r.context(SID, { P: 1n, TT: 0n, SLPTPTR: ss.root, AW: 1n, DID: 9n });
    const o = r.dma(SID, 0x2010n, 'write');
    expect(o.output).toBe(PA + 0x10n);
    expect(o.trace.mode).toBe('legacy');
    expect(o.trace.steps?.map((s) => s.level)).toEqual([3, 2, 1]);
    expect(o.trace.reads.map((x) => x.what)).toEqual(['root entry', 'context entry']);
    expect(o.trace.did).toBe(9);
  });

  it('nested: each first-stage table GPA and the output GPA go through a second-stage walk', () => {
    const r = new Rig();
    // Guest RAM: GPA [0, 16 MB) at PA 0x2_0000_0000. The guest's first-stage tables live in guest RAM.
    const GPA_BASE = 0x2_0000_0000n;
    const ss = r.table('second-stage', 4);
    r.map(ss, 0n, GPA_BASE, 0x100_0000n, RW, true);
    const gRoot = 0x10_0000n;
    // The guest builds its table at GPAs: write it through the identity offset (tables at PA = GPA + base).
    const guest = { format: 'first-stage' as const, levels: 4, root: GPA_BASE + gRoot };
    const guestAlloc = { next: GPA_BASE + 0x20_0000n };
    const alloc = { alloc: () => { const p = guestAlloc.next; guestAlloc.next += 0x1000n; r.mem.zeroFrame(p); return p; } };
    r.mem.zeroFrame(guest.root);
    // Map IOVA -> GPA 0x30_0000 in the guest table, with table pointers rewritten as GPAs.
    vtdMap(r.mem, alloc as never, guest, IOVA, 0x30_0000n, 0x1000n, RW, { l2: true, l3: true });
    rebaseTablePointers(r, guest.root, 4, GPA_BASE);
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 3n, FLPTR: gRoot, SLPTPTR: ss.root, DID: 3n, AW: 2n });
    const o = r.dma(SID, IOVA + 0x44n);
    expect(o.result).toBe('translated');
    expect(o.output).toBe(GPA_BASE + 0x30_0044n);
    expect(o.trace.translation).toBe('nested');
    expect(o.trace.gpa).toBe(0x30_0044n);
    const steps = o.trace.steps ?? [];
    expect(steps).toHaveLength(4);
    expect(steps[0]?.tableAddress).toBe(gRoot);
    for (const s of steps) {
      expect(s.s2?.steps.map((x) => x.level)).toEqual([4, 3, 2, 1]);
      expect(s.s2?.output).toBe(s.tableAddress + GPA_BASE);
    }
    expect(o.trace.final?.steps.length).toBe(4);
    // 4 first-stage reads, each after a 4-level second-stage walk, then 4 more: 24 paging-entry reads.
    expect(steps.reduce((n, s) => n + 1 + (s.s2?.steps.length ?? 0), 0) + (o.trace.final?.steps.length ?? 0)).toBe(24);
  });

  it('pass-through (PGTT = 4): output = input, no walk, no IOTLB fill', () => {
    const r = new Rig();
    r.smContext(SID);
    r.pasid(SID, 0, { P: 1n, PGTT: 4n, DID: 1n, AW: 2n });
    const o = r.dma(SID, 0x1234_5678n, 'write');
    expect(o.output).toBe(0x1234_5678n);
    expect(o.trace.translation).toBe('pass-through');
    expect(o.trace.steps).toBeUndefined();
    expect(r.unit.caches.iotlb).toHaveLength(0);
  });

  it('legacy pass-through (TT = 2)', () => {
    const r = new Rig({}, 'legacy');
    r.context(SID, { P: 1n, TT: 2n, AW: 2n, DID: 1n });
    expect(r.dma(SID, 0xabc000n).output).toBe(0xabc000n);
  });

  it('with translation disabled (GCMD.TE = 0) DMA is not remapped', () => {
    const r = new Rig();
    r.unit.write('GCMD', 1n << 26n); // QIE only
    const o = r.dma(SID, 0x5000n);
    expect(o.result).toBe('untranslated');
    expect(o.output).toBe(0x5000n);
  });
});

/** The guest writes GPAs into its table entries: rewrite the PAs the builder wrote. */
function rebaseTablePointers(r: Rig, table: bigint, level: number, base: bigint): void {
  if (level === 1) return;
  for (let i = 0; i < 512; i++) {
    const a = table + BigInt(i * 8);
    const e = r.mem.read64(a) ?? 0n;
    if ((e & 1n) === 0n || (e & 0x80n) !== 0n) continue;
    const next = e & 0x000f_ffff_ffff_f000n;
    rebaseTablePointers(r, next, level - 1, base);
    r.mem.write64(a, (e & ~0x000f_ffff_ffff_f000n) | (next - base));
  }
}
