import { describe, expect, it } from 'vitest';
import type { PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, call, commandsOf, dma, group, RW, SINGLE, steConfig } from './helpers.ts';

const store = (e: ReturnType<typeof boot>['engine'], type: string) => call(e, { call: 'iommu_group_store_type', args: { group: 'A', type } });
const withDriver: PciDeviceSpec[] = [SINGLE[0] as PciDeviceSpec, { ...(SINGLE[1] as PciDeviceSpec), driver: 'nvme' }];

describe('iommu_group_store_type (/sys/kernel/iommu_groups/N/type)', () => {
  it('T1: DMA -> DMA-FQ flips the type in place, drivers bound, no hardware write; returns the byte count', () => {
    const { engine } = boot(withDriver);
    const d = group(engine, 'A').domain;
    const r = store(engine, 'DMA-FQ');
    expect(r).toMatchObject({ ret: 0, value: 6n, returned: '6', hw: [], checkpoints: [] });
    expect(group(engine, 'A').domain).toBe(d);
    expect(engine.linux?.domains.find((x) => x.name === d)?.type).toBe('DMA_FQ');
  });

  it('T2: anything else with a driver bound (owner_cnt != 0) is -EPERM', () => {
    const { engine } = boot(withDriver);
    expect(store(engine, 'identity').ret).toBe('EPERM');
  });

  it('T3: identity without a driver: a bypass STE, CD 0 cleared, the old default domain freed (its ASID invalidated)', () => {
    const { engine } = boot(SINGLE);
    const old = group(engine, 'A').domain as string;
    call(engine, { call: 'iommu_map', args: { domain: old, iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    const r = store(engine, 'identity');
    expect(r).toMatchObject({ ret: 0, value: 8n });
    expect(group(engine, 'A')).toMatchObject({ domain: 'arm_smmu_identity_domain', defaultDomain: 'arm_smmu_identity_domain' });
    expect(steConfig(engine, 0x100)).toBe(4);
    expect(r.hw.filter((h) => h.kind === 'ste' || h.kind === 'cd').map((h) => h.kind)).toEqual(['ste', 'cd']);
    const ste = r.hw.find((h) => h.kind === 'ste');
    expect(ste?.kind === 'ste' && ste.update.plan.hitless).toBe(true);
    expect(commandsOf(r)).toContain('CMD_TLBI_NH_ASID');
    expect(engine.linux?.domains.some((d) => d.name === old)).toBe(false);
    expect(dma(engine, 'A', 0x1000n)).toMatchObject({ landed: 'domain', outcome: { result: 'bypassed', output: 0x1000n } });
  });

  it('and back: DMA again gives a new paging default domain with a new page table', () => {
    const { engine } = boot(SINGLE);
    store(engine, 'identity');
    const r = store(engine, 'DMA');
    expect(r.ret).toBe(0);
    const g = group(engine, 'A');
    expect(engine.linux?.domains.find((d) => d.name === g.domain)?.type).toBe('DMA');
    expect(steConfig(engine, 0x100)).toBe(5);
  });

  it('T4: an unknown word is -EINVAL', () => {
    expect(store(boot(SINGLE).engine, 'foo').ret).toBe('EINVAL');
  });

  it('T5: a type the driver forbids (def_domain_type IDENTITY) is -EINVAL, and nothing changes', () => {
    const { engine } = boot([SINGLE[0] as PciDeviceSpec, { ...(SINGLE[1] as PciDeviceSpec), defDomainType: 'IDENTITY' }]);
    expect(group(engine, 'A').domain).toBe('arm_smmu_identity_domain');
    const r = store(engine, 'DMA');
    expect(r.ret).toBe('EINVAL');
    expect(r.hw).toEqual([]);
  });

  it('T6: writing the current type succeeds and changes nothing', () => {
    const { engine } = boot(SINGLE);
    const d = group(engine, 'A').domain;
    expect(store(engine, 'DMA')).toMatchObject({ ret: 0, value: 3n, hw: [] });
    expect(group(engine, 'A').domain).toBe(d);
  });

  it('"auto" goes back to the global default; a claimed group is -EPERM', () => {
    const { engine } = boot(SINGLE);
    store(engine, 'identity');
    expect(store(engine, 'auto').ret).toBe(0);
    expect(engine.linux?.domains.find((d) => d.name === group(engine, 'A').domain)?.type).toBe('DMA');
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(store(engine, 'identity').ret).toBe('EPERM');
  });
});
