import { describe, expect, it } from 'vitest';
import { Engine, linuxTopologyView } from '../../../src/engine/index.ts';
import { boot, call, MULTI, RW, SINGLE } from './helpers.ts';

describe('linuxTopologyView: what the UI draws', () => {
  it('devices with StreamIDs and groups, groups with their domains, domains with type, page table and ASID', () => {
    const { engine } = boot([...SINGLE, ...MULTI]);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'B0', name: 'U' } });
    call(engine, { call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'B0', owner: 'vfio' } });
    call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'B0' } });
    const linux = engine.linux;
    if (!linux) throw new Error('not booted');
    const v = linuxTopologyView(linux);
    expect(v.devices.find((d) => d.name === 'B1')).toMatchObject({ bdf: '0000:02:00.1', rid: 0x201, streamIds: [0x201], wireSid: 0x201, group: 3, iommu: true, domain: 'U', ssidBits: 0 });
    expect(v.groups.find((g) => g.devices.includes('B0'))).toMatchObject({ devices: ['B0', 'B1'], domain: 'U', domainType: 'UNMANAGED', owner: 'vfio', ownerCnt: 1, blockingDomain: 'arm_smmu_blocked_domain' });
    const u = v.domains.find((d) => d.name === 'U');
    expect(u).toMatchObject({ type: 'UNMANAGED', typeBits: 1, typeString: 'Unmanaged', stage: 1, asid: 5, vmid: null, groups: [3], devices: ['B0', 'B1'], mappings: [{ iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n }] });
    expect(u?.pgtable?.root).toBe(engine.tableConfig('U')?.TTB0);
    const blocked = v.domains.find((d) => d.name === 'arm_smmu_blocked_domain');
    expect(blocked).toMatchObject({ type: 'BLOCKED', typeBits: 0, isStatic: true, ops: ['attach_dev', 'set_dev_pasid'] });
    expect(v.domains.filter((d) => d.defaultOf.length > 0).map((d) => [d.type, d.defaultOf])).toEqual([['DMA', [0]], ['DMA', [1]], ['DMA', [2]], ['DMA', [3]]]);
  });

  it('is plain data: a snapshot round-trip gives the same view', () => {
    const { engine } = boot(SINGLE);
    const copy = Engine.fromSnapshot(engine.snapshot());
    if (!copy.linux || !engine.linux) throw new Error('lost the Linux state');
    expect(linuxTopologyView(copy.linux)).toEqual(linuxTopologyView(engine.linux));
  });
});
