import { describe, expect, it } from 'vitest';
import { boot, call, commandsOf, dma, SINGLE } from './helpers.ts';
import { defaultDomain, fqTimer, mapOk, unmapSingle } from './dma-helpers.ts';

const lazy = () => boot(SINGLE, { defaultDomainType: 'DMA_FQ' }).engine;

describe('the flush queue of a DMA_FQ domain', () => {
  it('D4: unmap clears the PTE but leaves the IOTLB entry: a cached page stays reachable, an uncached one faults, until the timer flushes', () => {
    const e = lazy();
    const dom = defaultDomain(e, 'A');
    const iova = mapOk(e, 'A', 0x8000_0000n, 0x2000n);
    expect(iova).toBe(0xffff_e000n);
    expect(dma(e, 'A', iova).landed).toBe('domain');

    const u = unmapSingle(e, 'A', iova, 0x2000n);
    expect(commandsOf(u)).toEqual([]);
    expect(u.hw.some((h) => h.kind === 'memory' && h.why.startsWith('io-pgtable: clear entries'))).toBe(true);
    expect(u.dmaApi).toMatchObject({
      domain: dom, strict: false,
      pending: [{ iova, size: 0x2000n, paddr: 0x8000_0000n, counter: 0 }],
      flushQueue: { used: 1, size: 256, timerOn: true, startCnt: 0, finishCnt: 0 },
    });

    // The staleness window: the TLB still has the first page; the PTE is gone, so the second page faults.
    const stale = dma(e, 'A', iova + 0x10n);
    expect(stale).toMatchObject({ landed: 'stale', outcome: { result: 'translated', output: 0x8000_0010n, trace: { tlb: { hit: true } } }, findings: [] });
    expect(stale.why).toMatch(/flush queue/);
    expect(dma(e, 'A', iova + 0x1000n)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });

    const t = fqTimer(e, dom);
    expect(commandsOf(t)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    expect(t.dmaApi).toMatchObject({ flushed: 'timer', pending: [], flushQueue: { used: 0, timerOn: false, startCnt: 1, finishCnt: 1 } });
    expect(dma(e, 'A', iova + 0x10n)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });
  });

  it('a queued IOVA is not handed out again before the flush; after it, it is (newest first)', () => {
    const e = lazy();
    const a = mapOk(e, 'A', 0x8000_0000n, 0x1000n);
    unmapSingle(e, 'A', a, 0x1000n);
    const b = mapOk(e, 'A', 0x8100_0000n, 0x1000n);
    expect(b).not.toBe(a);
    unmapSingle(e, 'A', b, 0x1000n);
    fqTimer(e, defaultDomain(e, 'A'));
    expect(mapOk(e, 'A', 0x8200_0000n, 0x1000n)).toBe(b);
    expect(mapOk(e, 'A', 0x8300_0000n, 0x1000n)).toBe(a);
  });

  it('a timer that is not armed does nothing', () => {
    const e = lazy();
    const r = fqTimer(e, defaultDomain(e, 'A'));
    expect(r.hw).toEqual([]);
    expect(r.dmaApi?.flushed).toBeUndefined();
    expect(r.warnings.join()).toMatch(/no flush-queue timer is pending/);
  });

  it('D5: the ring holds 255 entries; the 256th unmap flushes first, releasing the 255, then queues itself', () => {
    const e = lazy();
    const iovas = Array.from({ length: 256 }, (_, i) => mapOk(e, 'A', 0x8000_0000n + BigInt(i) * 0x1000n, 0x1000n));
    for (const iova of iovas.slice(0, 255)) expect(commandsOf(unmapSingle(e, 'A', iova, 0x1000n))).toEqual([]);
    const last = unmapSingle(e, 'A', iovas[255] as bigint, 0x1000n);
    expect(commandsOf(last)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    expect(last.dmaApi).toMatchObject({ flushed: 'queue full', pending: [{ iova: iovas[255], counter: 1 }], flushQueue: { used: 1, startCnt: 1, finishCnt: 1 } });
  });

  it('sysfs DMA -> DMA-FQ switches a live domain to lazy unmaps', () => {
    const e = boot(SINGLE).engine;
    const iova = mapOk(e, 'A', 0x8000_0000n, 0x1000n);
    dma(e, 'A', iova);
    expect(call(e, { call: 'iommu_group_store_type', args: { group: 'A', type: 'DMA-FQ' } }).ret).toBe(0);
    expect(commandsOf(unmapSingle(e, 'A', iova, 0x1000n))).toEqual([]);
    expect(dma(e, 'A', iova).landed).toBe('stale');
  });
});
