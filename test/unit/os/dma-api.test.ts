import { describe, expect, it } from 'vitest';
import { boot, call, commandsOf, dma, READ, SINGLE, WRITE } from './helpers.ts';
import { DMA_MAPPING_ERROR, defaultDomain, mapOk, mapSingle, unmapSingle } from './dma-helpers.ts';

const strict = () => boot(SINGLE).engine;

describe('the DMA API on a strict DMA domain: IOVA allocation', () => {
  it('D1: the first page comes from the top of the 32-bit space, plus the buffer offset; the PTE follows the direction', () => {
    const e = strict();
    const r = mapSingle(e, 'A', 0x8000_0010n, 0x100n, 'DMA_TO_DEVICE');
    expect(r).toMatchObject({ ret: 0, value: 0xffff_f010n, returned: '0xfffff010' });
    expect(r.dmaApi).toMatchObject({ domain: defaultDomain(e, 'A'), strict: true, mapped: { iova: 0xffff_f000n, size: 0x1000n, paddr: 0x8000_0000n, prot: { read: true, write: false } }, pending: [] });
    expect(dma(e, 'A', 0xffff_f010n, READ)).toMatchObject({ landed: 'domain', outcome: { result: 'translated', output: 0x8000_0010n } });
    // DMA_TO_DEVICE: the device only reads the buffer.
    expect(dma(e, 'A', 0xffff_f010n, WRITE)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_PERMISSION' } } });
  });

  it('sizes round up to the granule, cacheable sizes to a power of two, and a range is aligned to that size', () => {
    const e = strict();
    expect(mapOk(e, 'A', 0x8000_0000n, 0x1000n)).toBe(0xffff_f000n);
    expect(mapOk(e, 'A', 0x8000_1000n, 0x800n)).toBe(0xffff_e000n);
    // 3 pages become 4, aligned to 4 pages: pfns 0xffffc-0xffffd stay unused.
    const r = mapSingle(e, 'A', 0x9000_0000n, 0x3000n);
    expect(r.value).toBe(0xffff_8000n);
    expect(r.dmaApi?.mapped?.size).toBe(0x3000n);
    // A buffer that straddles a page boundary needs two pages.
    expect(mapOk(e, 'A', 0x9100_0ff0n, 0x20n)).toBe(0xffff_6ff0n);
  });

  it('a freed 1-page range stays in the rcache: a 2-page request does not get it, a 1-page request gets the newest one back', () => {
    const e = strict();
    const a = mapOk(e, 'A', 0x8000_0000n, 0x1000n);
    const b = mapOk(e, 'A', 0x8000_1000n, 0x1000n);
    unmapSingle(e, 'A', a, 0x1000n);
    unmapSingle(e, 'A', b, 0x1000n);
    expect(mapOk(e, 'A', 0x8800_0000n, 0x2000n)).toBe(0xffff_c000n);
    expect(mapOk(e, 'A', 0x8900_0000n, 0x1000n)).toBe(b);
    expect(mapOk(e, 'A', 0x8900_1000n, 0x1000n)).toBe(a);
  });

  it('strict unmap: entries cleared, CMD_TLBI_NH_VA + CMD_SYNC before it returns; the next DMA faults even after a TLB fill', () => {
    const e = strict();
    const iova = mapOk(e, 'A', 0x8000_0000n, 0x1000n);
    expect(dma(e, 'A', iova).landed).toBe('domain');
    expect(e.smmu?.iotlb.hitTotal).toBe(0);
    const r = unmapSingle(e, 'A', iova, 0x1000n);
    expect(commandsOf(r)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC']);
    expect(r.dmaApi).toMatchObject({ strict: true, pending: [] });
    expect(dma(e, 'A', iova)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });
  });

  it('exhaustion under a 16-bit DMA mask: pages 1..15, then DMA_MAPPING_ERROR (-ENOMEM from dma_mapping_error); a free makes room', () => {
    const e = strict();
    expect(call(e, { call: 'dma_set_mask', args: { dev: 'A', bits: 16 } }).ret).toBe(0);
    const got = Array.from({ length: 15 }, (_, i) => mapOk(e, 'A', 0x8000_0000n + BigInt(i) * 0x1000n, 0x1000n));
    expect(got).toEqual(Array.from({ length: 15 }, (_, i) => BigInt(15 - i) * 0x1000n));
    const full = mapSingle(e, 'A', 0x9000_0000n, 0x1000n);
    expect(full).toMatchObject({ ret: 'ENOMEM', value: DMA_MAPPING_ERROR, returned: 'DMA_MAPPING_ERROR' });
    // IOVA page 0 is never handed out.
    expect(got).not.toContain(0n);
    unmapSingle(e, 'A', 0x7000n, 0x1000n);
    expect(mapOk(e, 'A', 0x9000_0000n, 0x1000n)).toBe(0x7000n);
  });

  it('the walk goes down from the last allocation and, once at the bottom, retries from the top: alignment gaps get used last', () => {
    const e = strict();
    call(e, { call: 'dma_set_mask', args: { dev: 'A', bits: 16 } });
    expect(mapOk(e, 'A', 0x8000_0000n, 0x1000n)).toBe(0xf000n);
    // Four pages aligned to four: 0x8000, leaving the gap 0xc000-0xefff.
    expect(mapOk(e, 'A', 0x8010_0000n, 0x4000n)).toBe(0x8000n);
    expect(mapOk(e, 'A', 0x8020_0000n, 0x4000n)).toBe(0x4000n);
    expect(mapOk(e, 'A', 0x8030_0000n, 0x2000n)).toBe(0x2000n);
    expect(mapOk(e, 'A', 0x8040_0000n, 0x1000n)).toBe(0x1000n);
    expect(mapOk(e, 'A', 0x8050_0000n, 0x2000n)).toBe(0xc000n);
    expect(mapOk(e, 'A', 0x8060_0000n, 0x1000n)).toBe(0xe000n);
    expect(mapSingle(e, 'A', 0x8070_0000n, 0x1000n).ret).toBe('ENOMEM');
  });

  it('a 64-bit mask stays below 4 GB until that fails once, then uses the whole aperture from then on', () => {
    const e = strict();
    call(e, { call: 'dma_set_mask', args: { dev: 'A', bits: 64 } });
    expect(mapOk(e, 'A', 0x1_0000_0000n, 0x8000_0000n)).toBe(0x8000_0000n);
    expect(mapOk(e, 'A', 0x2_0000_0000n, 0x4000_0000n)).toBe(0x4000_0000n);
    const r = mapSingle(e, 'A', 0x3_0000_0000n, 0x4000_0000n);
    expect(r.value).toBe(0xffff_c000_0000n);
    expect(r.warnings).toContain('A: Using 48-bit DMA addresses');
    expect(mapOk(e, 'A', 0x8000_0000n, 0x1000n)).toBe(0xffff_bfff_f000n);
  });

  it('a firmware-reserved window is never handed out: the allocator steps over it', () => {
    const { engine: e } = boot([
      { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'A', bdf: '01:00.0', parent: 'rp0', resvRegions: [{ start: 0xffff_0000n, length: 0x1_0000n, type: 'reserved' }] },
    ]);
    expect(mapOk(e, 'A', 0x8000_0000n, 0x1000n)).toBe(0xfffe_f000n);
    // A reserved region is not mapped: the device cannot reach it.
    expect(dma(e, 'A', 0xffff_0000n).landed).toBe('blocked');
  });
});

describe('the DMA API: which domain, and scatterlists', () => {
  it('D6: with the group claimed the mapping still goes into the default domain, and the device, now blocked, cannot use it', () => {
    const e = strict();
    call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    const r = mapSingle(e, 'A', 0x8000_0000n, 0x1000n);
    expect(r).toMatchObject({ ret: 0, value: 0xffff_f000n, dmaApi: { domain: defaultDomain(e, 'A') } });
    expect(e.linux?.domains.find((d) => d.name === defaultDomain(e, 'A'))?.mappings).toContainEqual(expect.objectContaining({ iova: 0xffff_f000n, paddr: 0x8000_0000n }));
    expect(dma(e, 'A', 0xffff_f000n)).toMatchObject({ landed: 'blocked', domain: 'arm_smmu_blocked_domain' });
  });

  it('a device on an identity default domain uses dma-direct: the DMA address is the physical address', () => {
    const { engine: e } = boot(SINGLE, { defaultDomainType: 'IDENTITY' });
    const r = mapSingle(e, 'A', 0x8000_0040n, 0x100n);
    expect(r).toMatchObject({ ret: 0, value: 0x8000_0040n });
    expect(dma(e, 'A', 0x8000_0040n)).toMatchObject({ landed: 'domain', outcome: { result: 'bypassed' } });
  });

  it('dma_map_sg: one IOVA range; a segment starting on a page boundary joins a previous one that filled its page', () => {
    const e = strict();
    const sg = [{ paddr: 0x8000_0000n, length: 0x1000n }, { paddr: 0x8000_5000n, length: 0x800n }, { paddr: 0x8001_0200n, length: 0x100n }];
    const r = call(e, { call: 'dma_map_sg', args: { dev: 'A', sg, dir: 'DMA_FROM_DEVICE' } });
    expect(r).toMatchObject({ ret: 0, value: 2n, returned: '2' });
    expect(e.linux?.domains.find((d) => d.name === defaultDomain(e, 'A'))?.dma).toMatchObject({
      handles: [{ segments: [{ dmaAddr: 0xffff_c000n, length: 0x1800n }, { dmaAddr: 0xffff_e200n, length: 0x100n }] }],
    });
    expect(dma(e, 'A', 0xffff_d400n, WRITE)).toMatchObject({ landed: 'domain', outcome: { output: 0x8000_5400n } });
    expect(dma(e, 'A', 0xffff_e2f0n, WRITE)).toMatchObject({ landed: 'domain', outcome: { output: 0x8001_02f0n } });
    call(e, { call: 'dma_unmap_sg', args: { dev: 'A', dmaAddr: 0xffff_c000n, dir: 'DMA_FROM_DEVICE' } });
    expect(dma(e, 'A', 0xffff_d400n, WRITE).landed).toBe('blocked');
    expect(dma(e, 'A', 0xffff_e200n, WRITE).landed).toBe('blocked');
  });

  it('bad arguments are refused with the field named', () => {
    const e = strict();
    const ev = e.apply({ kind: 'linux.call', call: 'dma_map_single', args: { dev: 'A', paddr: 0x1000n, size: 0x1000n, dir: 'DMA_SIDEWAYS' as 'DMA_TO_DEVICE' } });
    expect(ev[0]).toMatchObject({ kind: 'command.rejected', field: 'args.dir' });
    const ev2 = e.apply({ kind: 'linux.call', call: 'dma_set_mask', args: { dev: 'A', bits: 3 } });
    expect(ev2[0]).toMatchObject({ kind: 'command.rejected', field: 'args.bits' });
  });

  it('unmapping an address that does not translate is a WARN and changes nothing', () => {
    const e = strict();
    const r = unmapSingle(e, 'A', 0x1234_5000n, 0x1000n);
    expect(r.ret).toBe(0);
    expect(r.warnings.join()).toMatch(/not mapped/);
    expect(r.hw).toEqual([]);
  });
});
