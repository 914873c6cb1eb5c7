import { describe, expect, it } from 'vitest';
import { boot, call, commandsOf, dma, RO, RW, SINGLE, WRITE } from './helpers.ts';

function attachedU() {
  const { engine } = boot(SINGLE);
  call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
  call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
  call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
  return engine;
}

const map = (e: ReturnType<typeof attachedU>, domain: string, iova: bigint, paddr: bigint, size: bigint, prot = RW) =>
  call(e, { call: 'iommu_map', args: { domain, iova, paddr, size, prot } });

describe('iommu_map / iommu_unmap / iommu_iova_to_phys', () => {
  it('M1: a 4K page at level 3; iova_to_phys; no invalidation on map', () => {
    const e = attachedU();
    const r = map(e, 'U', 0x1000n, 0x8000_0000n, 0x1000n);
    expect(r.ret).toBe(0);
    expect(commandsOf(r)).toEqual([]);
    expect(r.hw.filter((h) => h.kind === 'memory').flatMap((h) => (h.kind === 'memory' ? h.writes.map((w) => w.what) : [])).at(-1)).toBe('level 3 page descriptor');
    expect(call(e, { call: 'iommu_iova_to_phys', args: { domain: 'U', iova: 0x1234n } })).toMatchObject({ ret: 0, value: 0x8000_0234n, returned: '0x80000234' });
    expect(dma(e, 'A', 0x1234n)).toMatchObject({ landed: 'domain', outcome: { output: 0x8000_0234n } });
  });

  it('M2: mapping the same IOVA again is -EEXIST', () => {
    const e = attachedU();
    map(e, 'U', 0x1000n, 0x8000_0000n, 0x1000n);
    expect(map(e, 'U', 0x1000n, 0x9000_0000n, 0x1000n).ret).toBe('EEXIST');
  });

  it('M3: misaligned is -EINVAL; no access (neither read nor write) is -EINVAL', () => {
    const e = attachedU();
    expect(map(e, 'U', 0x1800n, 0x8000_0000n, 0x1000n).ret).toBe('EINVAL');
    expect(map(e, 'U', 0x1000n, 0x8000_0000n, 0x1000n, { read: false, write: false, exec: false, priv: false }).ret).toBe('EINVAL');
  });

  it('M4: only paging domains map: IDENTITY and BLOCKED are -EINVAL', () => {
    const e = attachedU();
    expect(map(e, 'arm_smmu_identity_domain', 0x1000n, 0x1000n, 0x1000n).ret).toBe('EINVAL');
    expect(map(e, 'arm_smmu_blocked_domain', 0x1000n, 0x1000n, 0x1000n).ret).toBe('EINVAL');
  });

  it('M5: beyond the 48-bit input is -ERANGE', () => {
    expect(map(attachedU(), 'U', 1n << 48n, 0x8000_0000n, 0x1000n).ret).toBe('ERANGE');
  });

  it('M6: a 2M-aligned 2M range is one level-2 block', () => {
    const e = attachedU();
    const r = map(e, 'U', 0x20_0000n, 0x8_0020_0000n, 0x20_0000n, RO);
    const leaves = r.hw.flatMap((h) => (h.kind === 'memory' ? h.writes.filter((w) => w.what.includes('block') || w.what.includes('page')) : []));
    expect(leaves.map((w) => w.what)).toEqual(['level 2 block descriptor']);
    expect(dma(e, 'A', 0x3f_fff0n)).toMatchObject({ outcome: { output: 0x8_003f_fff0n } });
    expect(dma(e, 'A', 0x20_0000n, WRITE)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_PERMISSION' } } });
  });

  it('M7: unmap is strict: CMD_TLBI_NH_VA for the domain\'s ASID, then CMD_SYNC; a DMA that hit the TLB before now faults', () => {
    const e = attachedU();
    map(e, 'U', 0x1000n, 0x8000_0000n, 0x1000n);
    expect(dma(e, 'A', 0x1008n).outcome.result).toBe('translated');
    expect(dma(e, 'A', 0x1008n).outcome.trace.tlb?.hit).toBe(true);
    const r = call(e, { call: 'iommu_unmap', args: { domain: 'U', iova: 0x1000n, size: 0x1000n } });
    expect(r).toMatchObject({ ret: 0, value: 0x1000n, returned: '0x1000' });
    expect(commandsOf(r)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC']);
    const tlbi = r.hw.find((h) => h.kind === 'commands');
    const asid = e.linux?.domains.find((d) => d.name === 'U')?.smmu?.asid;
    expect(tlbi?.kind === 'commands' && tlbi.consumed[0]?.command?.fields).toMatchObject({ ASID: BigInt(asid ?? -1), Address: 0x1000n, Leaf: 1n, VMID: 0n });
    expect(dma(e, 'A', 0x1008n)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });
    expect(call(e, { call: 'iommu_iova_to_phys', args: { domain: 'U', iova: 0x1008n } }).value).toBe(0n);
  });

  it('M8: unmapping nothing returns 0 and invalidates nothing', () => {
    const r = call(attachedU(), { call: 'iommu_unmap', args: { domain: 'U', iova: 0x7000n, size: 0x1000n } });
    expect(r).toMatchObject({ value: 0n, returned: '0x0' });
    expect(commandsOf(r)).toEqual([]);
  });

  it('M9: a 4K unmap inside a 2M block unmaps nothing (no split) and WARNs; the block stays', () => {
    const e = attachedU();
    map(e, 'U', 0x20_0000n, 0x8_0020_0000n, 0x20_0000n);
    const r = call(e, { call: 'iommu_unmap', args: { domain: 'U', iova: 0x20_1000n, size: 0x1000n } });
    expect(r.value).toBe(0n);
    expect(r.warnings[0]).toMatch(/block/);
    expect(dma(e, 'A', 0x20_1000n).landed).toBe('domain');
  });

  it('unmapping many pages batches the TLBIs (64 per batch) and closes the last batch with CMD_SYNC', () => {
    const e = attachedU();
    map(e, 'U', 0x40_0000n, 0x8_0000_1000n, 0x64000n); // 100 pages, no block alignment of paddr
    const r = call(e, { call: 'iommu_unmap', args: { domain: 'U', iova: 0x40_0000n, size: 0x64000n } });
    const batches = r.hw.filter((h) => h.kind === 'commands');
    expect(batches.map((b) => (b.kind === 'commands' ? b.consumed.length : 0))).toEqual([64, 37]);
    expect(commandsOf(r).at(-1)).toBe('CMD_SYNC');
  });

  it('M10: iova_to_phys of IDENTITY is the IOVA, of BLOCKED is 0', () => {
    const e = attachedU();
    expect(call(e, { call: 'iommu_iova_to_phys', args: { domain: 'arm_smmu_identity_domain', iova: 0x1234n } }).value).toBe(0x1234n);
    expect(call(e, { call: 'iommu_iova_to_phys', args: { domain: 'arm_smmu_blocked_domain', iova: 0x1234n } }).value).toBe(0n);
  });

  it('a stage-2 (nesting parent) unmap uses CMD_TLBI_S2_IPA with the VMID, then CMD_TLBI_NH_ALL for the combined entries', () => {
    const e = attachedU();
    call(e, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } });
    map(e, 'S2', 0x4000_0000n, 0x8_0000_0000n, 0x1000n);
    expect(commandsOf(call(e, { call: 'iommu_unmap', args: { domain: 'S2', iova: 0x4000_0000n, size: 0x1000n } }))).toEqual(['CMD_TLBI_S2_IPA', 'CMD_TLBI_NH_ALL', 'CMD_SYNC']);
  });
});
