import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import { boot, call, group, MULTI, RW, SINGLE, steConfig } from './helpers.ts';

function withU(specs = SINGLE, dev = 'A') {
  const { engine } = boot([...specs]);
  for (const name of ['U', 'U2']) call(engine, { call: 'iommu_paging_domain_alloc', args: { dev, name } });
  return engine;
}

const asidOf = (e: Engine, name: string) => e.linux?.domains.find((d) => d.name === name)?.smmu?.asid;

describe('iommu_attach_group / iommu_detach_group', () => {
  it('G1: from the default domain to U: the STE stays, CD 0 is rewritten (a breaking update: V = 0 first)', () => {
    const e = withU();
    const r = call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(r.ret).toBe(0);
    expect(group(e, 'A').domain).toBe('U');
    const ste = r.hw.find((h) => h.kind === 'ste');
    expect(ste?.kind === 'ste' && ste.update.executed.filter((s) => s.kind === 'write')).toEqual([]);
    const cd = r.hw.find((h) => h.kind === 'cd');
    expect(cd?.kind === 'cd' && cd.update.plan.strategy).toBe('breaking');
    expect(cd?.kind === 'cd' && Number((cd.update.after[0] as bigint) >> 48n)).toBe(asidOf(e, 'U'));
  });

  it('G2/G3: -EBUSY while a user domain (the same or another) is attached, and nothing is written', () => {
    const e = withU();
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    for (const domain of ['U', 'U2']) {
      const r = call(e, { call: 'iommu_attach_group', args: { domain, group: 'A' } });
      expect(r.ret).toBe('EBUSY');
      expect(r.hw).toEqual([]);
    }
  });

  it('G4: detach of an unowned group goes back to its default domain', () => {
    const e = withU();
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    const r = call(e, { call: 'iommu_detach_group', args: { domain: 'U', group: 'A' } });
    const g = group(e, 'A');
    expect(g.domain).toBe(g.defaultDomain);
    const cd = r.hw.find((h) => h.kind === 'cd');
    expect(cd?.kind === 'cd' && Number((cd.update.after[0] as bigint) >> 48n)).toBe(asidOf(e, g.defaultDomain as string));
  });

  it('G5: detach of an owned group goes to the blocking domain whatever domain is named: an abort STE', () => {
    const e = withU();
    call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(call(e, { call: 'iommu_detach_group', args: { domain: 'U2', group: 'A' } }).ret).toBe(0);
    expect(group(e, 'A').domain).toBe('arm_smmu_blocked_domain');
    expect(steConfig(e, 0x100)).toBe(0);
  });

  it('G7: iommu_attach_device on a device of a two-device group is -EINVAL', () => {
    const e = withU(MULTI, 'B0');
    expect(call(e, { call: 'iommu_attach_device', args: { domain: 'U', dev: 'B0' } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'B0' } }).ret).toBe(0);
    expect(group(e, 'B1').domain).toBe('U');
  });

  it('iommu_attach_device / iommu_detach_device on a single-device group', () => {
    const e = withU();
    expect(call(e, { call: 'iommu_attach_device', args: { domain: 'U', dev: 'A' } }).ret).toBe(0);
    expect(call(e, { call: 'iommu_detach_device', args: { domain: 'U', dev: 'A' } }).ret).toBe(0);
    expect(group(e, 'A').domain).toBe(group(e, 'A').defaultDomain);
  });

  it('G8: iommu_detach_device with a domain that is not attached WARNs and changes nothing', () => {
    const e = withU();
    call(e, { call: 'iommu_attach_device', args: { domain: 'U', dev: 'A' } });
    const r = call(e, { call: 'iommu_detach_device', args: { domain: 'U2', dev: 'A' } });
    expect(r.warnings[0]).toMatch(/WARN_ON/);
    expect(r.hw).toEqual([]);
    expect(group(e, 'A').domain).toBe('U');
  });

  it('-ENODEV for a device with no group', () => {
    const e = boot(SINGLE, { streamTable: 'linear' }).engine;
    call(e, { call: 'iommu_domain_alloc', args: { name: 'L' } });
    expect(call(e, { call: 'iommu_attach_device', args: { domain: 'L', dev: 'A' } }).ret).toBe('ENODEV');
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'L', group: 'A' } }).ret).toBe('ENODEV');
  });

  it('G10: a driver failure on the second device rolls the first back: both end on the default domain, no device on U', () => {
    const { engine: e } = boot([
      { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
      { name: 'B0', bdf: '02:00.0', parent: 'rp1' },
      { name: 'B1', bdf: '02:00.1', parent: 'rp1', failAttach: ['U'] },
    ]);
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'B0', name: 'U' } });
    const d = group(e, 'B0').defaultDomain as string;
    const r = call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'B0' } });
    expect(r.ret).toBe('ENOMEM');
    expect(group(e, 'B0').domain).toBe(d);
    // B0 was on U at some point, then went back; B1 never left.
    const b0 = r.checkpoints.map((c) => c.devices.find((x) => x.device === 'B0')?.domain);
    expect(b0).toContain('U');
    expect(b0.at(-1)).toBe(d);
    expect(r.checkpoints.every((c) => c.devices.find((x) => x.device === 'B1')?.domain === d)).toBe(true);
    expect(e.linux?.masters.map((m) => m.ridDomain).filter((x) => x === 'U')).toEqual([]);
    expect(e.linux?.domains.find((x) => x.name === 'U')?.smmu?.devices).toEqual([]);
    expect(r.findings).toEqual([]);
  });
});

describe('iommu_group_replace_domain', () => {
  it('R1: an owned group goes from U to U2 directly: no checkpoint shows it on the blocking domain', () => {
    const e = withU();
    call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'iommufd' } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    const r = call(e, { call: 'iommu_group_replace_domain', args: { group: 'A', domain: 'U2' } });
    expect(r.ret).toBe(0);
    expect(group(e, 'A').domain).toBe('U2');
    expect(new Set(r.checkpoints.flatMap((c) => c.devices.map((d) => d.domain)))).toEqual(new Set(['U', 'U2']));
  });

  it('R1b: replace has no EBUSY check: it moves from one user domain to another where attach would refuse', () => {
    const e = withU();
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'U2', group: 'A' } }).ret).toBe('EBUSY');
    expect(call(e, { call: 'iommu_group_replace_domain', args: { group: 'A', domain: 'U2' } }).ret).toBe(0);
  });

  it('R2: NULL is -EINVAL; R3: the current domain is 0 with no write', () => {
    const e = withU();
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(call(e, { call: 'iommu_group_replace_domain', args: { group: 'A', domain: null } }).returned).toBe('-EINVAL');
    const r = call(e, { call: 'iommu_group_replace_domain', args: { group: 'A', domain: 'U' } });
    expect(r).toMatchObject({ ret: 0, hw: [], checkpoints: [] });
  });

  it('DMA follows the domain: U maps 0x1000 to one page, U2 to another', () => {
    const e = withU();
    call(e, { call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    call(e, { call: 'iommu_map', args: { domain: 'U2', iova: 0x1000n, paddr: 0x8_1000_0000n, size: 0x1000n, prot: RW } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(e.apply({ kind: 'linux.dma', device: 'A', iova: 0x1008n, access: { kind: 'read', privileged: false } })[0]).toMatchObject({ outcome: { output: 0x8_0000_0008n } });
    call(e, { call: 'iommu_group_replace_domain', args: { group: 'A', domain: 'U2' } });
    expect(e.apply({ kind: 'linux.dma', device: 'A', iova: 0x1008n, access: { kind: 'read', privileged: false } })[0]).toMatchObject({ outcome: { output: 0x8_1000_0008n } });
  });
});
