import { describe, expect, it } from 'vitest';
import type { PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, call, commandsOf, dma, group, MULTI, RW, SINGLE, steConfig } from './helpers.ts';

const withDriver: PciDeviceSpec[] = [SINGLE[0] as PciDeviceSpec, { ...(SINGLE[1] as PciDeviceSpec), driver: 'nvme' }];

describe('claim_dma_owner / release_dma_owner (seed 002: a group always has a domain)', () => {
  it('O1: claiming an idle group installs the blocking domain (arm-smmu-v3\'s static one): abort STE, CD 0 cleared', () => {
    const { engine } = boot(SINGLE);
    const r = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(r.ret).toBe(0);
    expect(group(engine, 'A')).toMatchObject({ owner: 'vfio', ownerCnt: 1, blockingDomain: 'arm_smmu_blocked_domain', domain: 'arm_smmu_blocked_domain' });
    expect(steConfig(engine, 0x100)).toBe(0);
    expect(r.hw.map((h) => h.kind)).toEqual(['ste', 'commands', 'cd']);
    const cd = r.hw.find((h) => h.kind === 'cd');
    expect(cd?.kind === 'cd' && cd.update.after.every((w) => w === 0n)).toBe(true);
    // Terminated silently: an abort STE raises no event.
    expect(dma(engine, 'A', 0x1000n)).toMatchObject({ landed: 'blocked', outcome: { result: 'terminated' } });
    expect(dma(engine, 'A', 0x1000n).outcome.event).toBeUndefined();
  });

  it('O2: -EPERM while a kernel driver is bound (owner_cnt 1, owner NULL)', () => {
    const { engine } = boot(withDriver);
    expect(group(engine, 'A')).toMatchObject({ owner: null, ownerCnt: 1 });
    expect(call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EPERM');
    expect(call(engine, { call: 'iommu_device_claim_dma_owner', args: { dev: 'A', owner: 'iommufd' } }).ret).toBe('EPERM');
  });

  it('O3: group claims are exclusive, even for the same owner', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EPERM');
  });

  it('O4: -EBUSY when a domain was attached without a claim', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EBUSY');
    expect(group(engine, 'A').owner).toBeNull();
  });

  it('O6: release from a user domain goes straight to the default domain', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    const r = call(engine, { call: 'iommu_group_release_dma_owner', args: { group: 'A' } });
    const g = group(engine, 'A');
    expect(g).toMatchObject({ owner: null, ownerCnt: 0, domain: g.defaultDomain, blockingDomain: 'arm_smmu_blocked_domain' });
    expect(r.checkpoints[0]).toMatchObject({ old: 'U', new: g.defaultDomain });
    expect(new Set(r.checkpoints.flatMap((c) => c.devices.map((d) => d.domain)))).toEqual(new Set(['U', g.defaultDomain]));
  });

  it('O7: releasing a group nobody owns WARNs and changes nothing', () => {
    const { engine } = boot(SINGLE);
    const r = call(engine, { call: 'iommu_group_release_dma_owner', args: { group: 'A' } });
    expect(r.warnings[0]).toMatch(/WARN_ON/);
    expect(r.hw).toEqual([]);
  });

  it('O8-O10: device claims by one owner count up on one group; the group leaves the blocking domain only at the last release', () => {
    const { engine } = boot(MULTI);
    const first = call(engine, { call: 'iommu_device_claim_dma_owner', args: { dev: 'B0', owner: 'ictx' } });
    expect(first.ret).toBe(0);
    expect([steConfig(engine, 0x200), steConfig(engine, 0x201)]).toEqual([0, 0]);
    const second = call(engine, { call: 'iommu_device_claim_dma_owner', args: { dev: 'B1', owner: 'ictx' } });
    expect(second).toMatchObject({ ret: 0, hw: [] });
    expect(group(engine, 'B0')).toMatchObject({ owner: 'ictx', ownerCnt: 2 });
    expect(call(engine, { call: 'iommu_device_claim_dma_owner', args: { dev: 'B1', owner: 'other' } }).ret).toBe('EPERM');
    call(engine, { call: 'iommu_device_release_dma_owner', args: { dev: 'B0' } });
    expect(group(engine, 'B0')).toMatchObject({ owner: 'ictx', ownerCnt: 1, domain: 'arm_smmu_blocked_domain' });
    call(engine, { call: 'iommu_device_release_dma_owner', args: { dev: 'B1' } });
    const g = group(engine, 'B0');
    expect(g).toMatchObject({ owner: null, ownerCnt: 0, domain: g.defaultDomain });
    expect([steConfig(engine, 0x200), steConfig(engine, 0x201)]).toEqual([5, 5]);
  });

  it('O11: a kernel driver cannot bind to a claimed group (iommu_device_use_default_domain -EBUSY); unbinding returns owner_cnt to 0', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(call(engine, { call: 'iommu_device_use_default_domain', args: { dev: 'A', driver: 'nvme' } }).ret).toBe('EBUSY');
    call(engine, { call: 'iommu_group_release_dma_owner', args: { group: 'A' } });
    expect(call(engine, { call: 'iommu_device_use_default_domain', args: { dev: 'A', driver: 'nvme' } }).ret).toBe(0);
    expect(group(engine, 'A').ownerCnt).toBe(1);
    call(engine, { call: 'iommu_device_unuse_default_domain', args: { dev: 'A' } });
    expect(group(engine, 'A').ownerCnt).toBe(0);
    expect(call(engine, { call: 'iommu_device_unuse_default_domain', args: { dev: 'A' } }).warnings[0]).toMatch(/WARN_ON/);
  });

  it('O13: the VFIO story: claim, attach U, detach (blocking, not default), release (default); DMA follows at each step', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(engine, { call: 'iommu_map', args: { domain: 'U', iova: 0x4000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    const domains: (string | null)[] = [];
    const landed: string[] = [];
    for (const c of [
      { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } },
      { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } },
      { call: 'iommu_detach_group', args: { domain: 'U', group: 'A' } },
      { call: 'iommu_group_release_dma_owner', args: { group: 'A' } },
    ] as const) {
      expect(call(engine, c).ret).toBe(0);
      domains.push(group(engine, 'A').domain);
      landed.push(dma(engine, 'A', 0x4000n).landed);
    }
    expect(domains).toEqual(['arm_smmu_blocked_domain', 'U', 'arm_smmu_blocked_domain', group(engine, 'A').defaultDomain]);
    expect(landed).toEqual(['blocked', 'domain', 'blocked', 'blocked']);
    expect(group(engine, 'A')).toMatchObject({ owner: null, ownerCnt: 0 });
  });

  it('G11: a device that requires a 1:1 mapping (RMR) cannot be blocked: claim is -EINVAL and nothing changes', () => {
    const { engine } = boot([SINGLE[0] as PciDeviceSpec, { ...(SINGLE[1] as PciDeviceSpec), requireDirect: true }]);
    const before = group(engine, 'A').domain;
    const r = call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(r.ret).toBe('EINVAL');
    expect(r.warnings[0]).toMatch(/1:1 IOMMU mapping/);
    expect(group(engine, 'A')).toMatchObject({ domain: before, owner: null, ownerCnt: 0 });
    expect(commandsOf(r)).toEqual([]);
  });

  it('a NULL owner is -EINVAL', () => {
    const { engine } = boot(SINGLE);
    expect(call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: '' } }).ret).toBe('EINVAL');
  });
});
