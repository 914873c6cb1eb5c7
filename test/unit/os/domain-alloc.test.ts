import { describe, expect, it } from 'vitest';
import { boot, call, commandsOf, group, RW, SINGLE } from './helpers.ts';

const hardwareWrites = (hw: readonly { kind: string }[]) => hw.filter((h) => h.kind !== 'alloc' && h.kind !== 'free');

describe('iommu_paging_domain_alloc / iommu_domain_alloc / iommu_domain_free', () => {
  it('A1: an UNMANAGED domain with 4K|2M|1G pages, a 48-bit aperture and a fresh ASID, and no hardware write', () => {
    const { engine } = boot(SINGLE);
    const r = call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    expect(r).toMatchObject({ ret: 0, returned: '0' });
    const u = engine.linux?.domains.find((d) => d.name === 'U');
    expect(u).toMatchObject({ type: 'UNMANAGED', pgsizeBitmap: 0x4020_1000n, geometry: { apertureStart: 0n, apertureEnd: (1n << 48n) - 1n, forceAperture: true }, smmu: { stage: 1, asid: 3, vmid: null } });
    expect(hardwareWrites(r.hw)).toEqual([]);
    expect(engine.tableConfig('U')).toMatchObject({ T0SZ: 16, TG0: 0, IPS: 5 });
  });

  it('A2: -ENODEV for a device without an IOMMU', () => {
    const { engine } = boot(SINGLE, { streamTable: 'linear' });
    expect(call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } }).returned).toBe('-ENODEV');
    expect(engine.linux?.domains.some((d) => d.name === 'U')).toBe(false);
  });

  it('A3: -EBUSY once the 8-bit ASID space (1..255) is used up, and the ASID is free again after iommu_domain_free', () => {
    const { engine } = boot(SINGLE, { features: { asid16: false } });
    const used = engine.linux?.asids.length ?? 0;
    for (let i = 0; i < 255 - used; i++) expect(call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: `U${i}` } }).ret).toBe(0);
    expect(call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'one-too-many' } }).ret).toBe('EBUSY');
    const victim = engine.linux?.domains.find((d) => d.name === 'U7')?.smmu?.asid;
    call(engine, { call: 'iommu_domain_free', args: { domain: 'U7' } });
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'again' } });
    expect(engine.linux?.domains.find((d) => d.name === 'again')?.smmu?.asid).toBe(victim);
  });

  it('A4: IOMMU_HWPT_ALLOC_NEST_PARENT needs both stages: -EOPNOTSUPP on a stage-1-only SMMU; a stage-2 domain with a VMID otherwise', () => {
    const q = boot(SINGLE, { preset: 'qemu' }).engine;
    expect(call(q, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe('EOPNOTSUPP');
    const f = boot(SINGLE).engine;
    expect(call(f, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe(0);
    expect(f.linux?.domains.find((d) => d.name === 'S2')?.smmu).toMatchObject({ stage: 2, vmid: 1, asid: null, nestParent: true });
    expect(call(f, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'X', flags: ['IOMMU_HWPT_ALLOC_BOGUS'] } }).ret).toBe('EOPNOTSUPP');
  });

  it('-ENOSPC once the 8-bit VMID space is used up', () => {
    const { engine } = boot(SINGLE, { features: { vmid16: false } });
    for (let i = 0; i < 255; i++) expect(call(engine, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: `S${i}`, flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe(0);
    expect(call(engine, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S255', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe('ENOSPC');
  });

  it('A5: freeing a domain that is still attached is a finding (a use-after-free in the kernel), and the domain stays', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(engine, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    const r = call(engine, { call: 'iommu_domain_free', args: { domain: 'U' } });
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'free-while-attached', call: 'iommu_domain_free' })]);
    expect(engine.linux?.domains.some((d) => d.name === 'U')).toBe(true);
    const d = group(engine, 'A').defaultDomain as string;
    expect(call(engine, { call: 'iommu_domain_free', args: { domain: d } }).findings[0]?.message).toMatch(/default_domain/);
  });

  it('freeing an unused domain invalidates its ASID (TLBI_NH_ASID + CMD_SYNC), gives back its tables, then its ASID', () => {
    const { engine } = boot(SINGLE);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(engine, { call: 'iommu_map', args: { domain: 'U', iova: 0x20_0000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    const asid = engine.linux?.domains.find((d) => d.name === 'U')?.smmu?.asid;
    const r = call(engine, { call: 'iommu_domain_free', args: { domain: 'U' } });
    expect(commandsOf(r)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
    const tlbi = r.hw.find((h) => h.kind === 'commands');
    expect(tlbi?.kind === 'commands' && tlbi.consumed[0]?.command?.fields.ASID).toBe(BigInt(asid ?? -1));
    expect(r.hw.filter((h) => h.kind === 'free')).toHaveLength(4); // levels 0..3
    expect(engine.linux?.asids).not.toContain(asid);
    expect(engine.tableConfig('U')).toBeUndefined();
  });

  it('static domains have no free op: freeing one changes nothing', () => {
    const { engine } = boot(SINGLE);
    const r = call(engine, { call: 'iommu_domain_free', args: { domain: 'arm_smmu_blocked_domain' } });
    expect(r.ret).toBe(0);
    expect(r.warnings[0]).toMatch(/static/);
    expect(engine.linux?.domains.some((d) => d.name === 'arm_smmu_blocked_domain')).toBe(true);
  });

  it('legacy iommu_domain_alloc: no page table or ASID until the first attach (arm-smmu-v3 up to v6.8); iommu_map is -ENODEV before', () => {
    const { engine } = boot(SINGLE);
    expect(call(engine, { call: 'iommu_domain_alloc', args: { name: 'L' } }).ret).toBe(0);
    expect(engine.linux?.domains.find((d) => d.name === 'L')?.smmu).toMatchObject({ finalised: false, asid: null });
    expect(call(engine, { call: 'iommu_map', args: { domain: 'L', iova: 0x1000n, paddr: 0x1000n, size: 0x1000n, prot: RW } }).ret).toBe('ENODEV');
    call(engine, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(call(engine, { call: 'iommu_attach_group', args: { domain: 'L', group: 'A' } }).ret).toBe(0);
    expect(engine.linux?.domains.find((d) => d.name === 'L')?.smmu).toMatchObject({ finalised: true, asid: 3 });
  });

  it('refuses a name already taken by a domain or a page table', () => {
    const { engine } = boot(SINGLE);
    engine.apply({ kind: 'pgtable.create', name: 'T', config: { TG0: 0, T0SZ: 16 } });
    expect(engine.apply({ kind: 'linux.call', call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'T' } })[0]).toMatchObject({ kind: 'command.rejected', field: 'name' });
    expect(engine.apply({ kind: 'linux.call', call: 'iommu_paging_domain_alloc', args: { dev: 'nobody', name: 'V' } })[0]).toMatchObject({ kind: 'command.rejected', field: 'dev' });
  });
});
