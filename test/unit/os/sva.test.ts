import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { MAIR_EL1 } from '../../../src/engine/os/core/cpu.ts';
import { boot, call, commandsOf, group } from './helpers.ts';
import { cd, dmaPasid, domainOf, FRAMES, mmView, PASID_TOPOLOGY, process, sva, VA } from './sva-helpers.ts';

function setUp(features?: Parameters<typeof boot>[1]): Engine {
  const { engine } = boot(PASID_TOPOLOGY, features);
  process(engine, 'P');
  return engine;
}

const bind = (e: Engine, dev: string, mm: string) => call(e, { call: 'iommu_sva_bind_device', args: { dev, mm } });
const unbind = (e: Engine, handle: string) => call(e, { call: 'iommu_sva_unbind_device', args: { handle } });

describe('iommu_sva_bind_device', () => {
  it('S1: the mm gets PASID 1, an SVA domain with its own ASID, and CD 1 = arm_smmu_make_sva_cd(P)', () => {
    const e = setUp();
    const r = bind(e, 'A', 'P');
    expect(r.ret).toBe(0);
    expect(r.returned).toBe('sva:A:P');
    const v = sva(e);
    expect(v.bonds).toEqual([{ name: 'sva:A:P', dev: 'A', mm: 'P', domain: 'sva:P', group: group(e, 'A').id, pasid: 1, users: 1 }]);
    expect(mmView(e, 'P')).toMatchObject({ pasid: 1, svaDomains: ['sva:P'], mmCount: 2 });
    const d = domainOf(e, 'sva:P');
    expect(d).toMatchObject({ type: 'SVA', ops: ['set_dev_pasid', 'free'], cookie: 'sva', pgsizeBitmap: 0x1000n, sva: { mm: 'P', users: 1 } });
    const asid = d?.smmu?.asid as number;
    expect(e.linux?.asids).toContain(asid);
    // v6.10+: the SMMU's own ASID, not the CPU's, in the non-shared set.
    expect(asid).not.toBe(mmView(e, 'P').cpuAsid);
    const c = cd(e, 'A', 1);
    expect({ V: c.V, ASET: c.ASET, ASID: c.ASID, TTB0: c.TTB0, T0SZ: c.T0SZ, TG0: c.TG0, EPD0: c.EPD0, EPD1: c.EPD1, IPS: c.IPS, R: c.R, A: c.A })
      .toEqual({ V: 1n, ASET: 1n, ASID: BigInt(asid), TTB0: mmView(e, 'P').pgd, T0SZ: 16n, TG0: 0n, EPD0: 0n, EPD1: 1n, IPS: 5n, R: 1n, A: 1n });
    expect((c.MAIR0 ?? 0n) | ((c.MAIR1 ?? 0n) << 32n)).toBe(MAIR_EL1);
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 1, domain: 'sva:P', handle: 'sva:A:P' }]);
    expect(commandsOf(r)).toEqual(expect.arrayContaining(['CMD_CFGI_CD', 'CMD_SYNC']));
  });

  it('a DMA on the PASID reaches the mm\'s pages through the CPU\'s page table; without the PASID it reaches the RID\'s domain', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    const d = dmaPasid(e, 'A', VA + 0x1008n, 1);
    expect(d).toMatchObject({ landed: 'domain', domain: 'sva:P', pasid: 1 });
    expect(d.outcome.output).toBe(FRAMES + 0x1008n);
    expect(d.outcome.trace.walk?.steps[0]?.tableAddress).toBe(mmView(e, 'P').pgd);
    expect(dmaPasid(e, 'A', VA + 0x1008n, undefined).domain).toBe(group(e, 'A').domain);
    // A page the process does not map: a translation fault, recorded (CD.R = 1).
    const miss = dmaPasid(e, 'A', VA + 0x5000n, 1);
    expect(miss.landed).toBe('blocked');
    expect(miss.outcome.event?.name).toBe('F_TRANSLATION');
  });

  it('S2/S3/S4: bind twice gives the same handle with users 2; one unbind writes nothing; the second detaches and frees the domain', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    const asid = domainOf(e, 'sva:P')?.smmu?.asid;
    const again = bind(e, 'A', 'P');
    expect(again.returned).toBe('sva:A:P');
    expect(again.hw).toEqual([]);
    expect(sva(e).bonds[0]?.users).toBe(2);
    expect(domainOf(e, 'sva:P')?.sva?.users).toBe(1);

    const once = unbind(e, 'sva:A:P');
    expect(once.hw).toEqual([]);
    expect(sva(e).bonds[0]?.users).toBe(1);
    expect(dmaPasid(e, 'A', VA, 1).landed).toBe('domain');

    const twice = unbind(e, 'sva:A:P');
    expect(twice.ret).toBe(0);
    expect(Number(cd(e, 'A', 1).V)).toBe(0);
    expect(domainOf(e, 'sva:P')).toBeUndefined();
    expect(e.linux?.asids).not.toContain(asid);
    const tlbi = twice.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed : [])).find((c) => c.command?.op === 'CMD_TLBI_NH_ASID');
    expect(tlbi?.command?.fields.ASID).toBe(BigInt(asid as number));
    expect(sva(e).bonds).toEqual([]);
    expect(group(e, 'A').pasidArray).toEqual([]);
    // The PASID stays with the mm: unbinding does not free it.
    expect(mmView(e, 'P')).toMatchObject({ pasid: 1, mmCount: 1, svaDomains: [] });
    expect(sva(e).globalPasids).toEqual([1]);
    expect(dmaPasid(e, 'A', VA, 1).outcome.event?.name).toBe('C_BAD_CD');
    // Unbinding a freed handle is a caller bug the engine refuses.
    expect(e.apply({ kind: 'linux.call', call: 'iommu_sva_unbind_device', args: { handle: 'sva:A:P' } })[0]?.kind).toBe('command.rejected');
  });

  it('S5: binding again after a full unbind gives the mm the same PASID; another mm bound meanwhile gets the next one', () => {
    const e = setUp();
    process(e, 'Q', 1, 0x80_0000n, 0xa000_0000n);
    bind(e, 'A', 'P');
    unbind(e, 'sva:A:P');
    expect(bind(e, 'C', 'Q').ret).toBe(0);
    expect(mmView(e, 'Q').pasid).toBe(2);
    bind(e, 'A', 'P');
    expect(call(e, { call: 'iommu_sva_get_pasid', args: { handle: 'sva:A:P' } }).returned).toBe('1');
    expect(call(e, { call: 'iommu_sva_get_pasid', args: { handle: 'sva:C:Q' } }).value).toBe(2n);
  });

  it('S6: a second device shares the mm\'s SVA domain (users 2) with its own bond and its own CD', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    const r = bind(e, 'C', 'P');
    expect(r.returned).toBe('sva:C:P');
    expect(sva(e).svaDomains).toEqual([{ name: 'sva:P', mm: 'P', asid: domainOf(e, 'sva:P')?.smmu?.asid, users: 2, devices: [{ device: 'A', pasid: 1 }, { device: 'C', pasid: 1 }] }]);
    expect(cd(e, 'C', 1).TTB0).toBe(mmView(e, 'P').pgd);
    expect(cd(e, 'C', 1).ASID).toBe(cd(e, 'A', 1).ASID);
    unbind(e, 'sva:A:P');
    expect(domainOf(e, 'sva:P')?.sva?.users).toBe(1);
    expect(dmaPasid(e, 'C', VA, 1).landed).toBe('domain');
  });

  it('a group whose functions could not enable PASID: the bind is refused before the mm takes a PASID', () => {
    const e = setUp();
    const events = e.apply({ kind: 'linux.call', call: 'iommu_sva_bind_device', args: { dev: 'B1', mm: 'P' } });
    expect(events[0]?.kind === 'command.rejected' && events[0].message).toMatch(/B0: PASID is not enabled/);
    expect(mmView(e, 'P').pasid).toBeNull();
    expect(sva(e).globalPasids).toEqual([]);
    expect(e.linux?.domains.some((d) => d.type === 'SVA')).toBe(false);
  });

  it('S12/S13: a device whose PASID space is too small for the mm\'s PASID is -EOVERFLOW; one without PASIDs -ENOSPC', () => {
    const e = setUp();
    for (let i = 0; i < 16; i++) call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'A' } });
    expect(bind(e, 'A', 'P').ret).toBe(0);
    expect(mmView(e, 'P').pasid).toBe(17);
    const r = bind(e, 'S', 'P');
    expect(r.ret).toBe('EOVERFLOW');
    expect(r.hw).toEqual([]);
    process(e, 'Q', 1);
    expect(bind(e, 'N', 'Q').ret).toBe('ENOSPC');
    expect(mmView(e, 'Q').pasid).toBeNull();
  });

  it('S14: an SMMU without FEAT_SVA (8-bit ASIDs, or an OAS below the CPU\'s) is -EOPNOTSUPP, after the mm got its PASID', () => {
    for (const features of [{ asid16: false }, { oasBits: 44 }]) {
      const e = setUp({ features });
      const r = bind(e, 'A', 'P');
      expect(r.ret).toBe('EOPNOTSUPP');
      expect(e.linux?.domains.some((d) => d.type === 'SVA')).toBe(false);
      expect(mmView(e, 'P').pasid).toBe(1);
    }
  });

  it('a device with no IOMMU group is -ENODEV', () => {
    const { engine: e } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'br', bdf: '01:00.0', type: 'pcie-to-pci-bridge', parent: 'rp' },
      { name: 'd1', bdf: '02:01.0', type: 'pci', parent: 'br', pasidBits: 8 },
      { name: 'd2', bdf: '02:02.0', type: 'pci', parent: 'br', pasidBits: 8 },
    ]);
    process(e, 'P');
    expect(bind(e, 'd2', 'P').ret).toBe('ENODEV');
  });

  it('a PASID slot taken by another domain is -EBUSY; the SVA domain allocated for the try is freed again', () => {
    const e = setUp();
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 1 } });
    const asids = [...(e.linux?.asids ?? [])];
    const r = bind(e, 'A', 'P');
    expect(r.ret).toBe('EBUSY');
    expect(commandsOf(r)).toContain('CMD_TLBI_NH_ASID');
    expect(e.linux?.asids).toEqual(asids);
    expect(mmView(e, 'P').mmCount).toBe(1);
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 1, domain: 'U' }]);
  });
});

describe('the mmu notifier: CPU page-table changes reach the SMMU', () => {
  it('S7: a CPU unmap issues CMD_TLBI_NH_VA (the SVA ASID, Leaf = 0) per page and CMD_SYNC; the next DMA faults', () => {
    const e = setUp();
    process(e, 'Q', 4, 0x80_0000n);
    bind(e, 'A', 'Q');
    const asid = BigInt(domainOf(e, 'sva:Q')?.smmu?.asid as number);
    expect(dmaPasid(e, 'A', 0x80_1000n, 1).landed).toBe('domain');
    const r = call(e, { call: 'mm_unmap', args: { mm: 'Q', va: 0x80_1000n, size: 0x2000n } });
    const consumed = r.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed : [])).map((c) => c.command);
    expect(consumed.map((c) => c?.op)).toEqual(['CMD_TLBI_NH_VA', 'CMD_TLBI_NH_VA', 'CMD_SYNC']);
    expect(consumed.slice(0, 2).map((c) => [c?.fields.ASID, c?.fields.Leaf, c?.fields.Address])).toEqual([[asid, 0n, 0x80_1000n], [asid, 0n, 0x80_2000n]]);
    const after = dmaPasid(e, 'A', 0x80_1000n, 1);
    expect(after.landed).toBe('blocked');
    expect(after.outcome.trace.tlb?.hit).toBe(false);
    expect(after.outcome.event?.name).toBe('F_TRANSLATION');
    expect(dmaPasid(e, 'A', 0x80_3000n, 1).landed).toBe('domain');
    expect(mmView(e, 'Q').mappings.map((m) => [m.va, m.size])).toEqual([[0x80_0000n, 0x1000n], [0x80_3000n, 0x1000n]]);
  });

  it('without the notifier\'s invalidation the DMA would have used the stale IOTLB entry: an isolation finding', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    dmaPasid(e, 'A', VA, 1);
    const r = call(e, { call: 'mm_unmap', args: { mm: 'P', va: VA, size: 0x1000n, invalidateSecondaryTlbs: false } });
    expect(commandsOf(r)).toEqual([]);
    expect(r.warnings.join()).toMatch(/model switch/);
    const stale = dmaPasid(e, 'A', VA + 0x20n, 1);
    expect(stale.outcome.trace.tlb?.hit).toBe(true);
    expect(stale.outcome.output).toBe(FRAMES + 0x20n);
    expect(stale.landed).toBe('outside');
    expect(stale.findings.map((f) => f.rule)).toEqual(['isolation']);
  });

  it('S8: an unmap of 512 pages or more (no RANGE_INV) invalidates the whole ASID instead', () => {
    const e = setUp();
    process(e, 'Q', 1024, 0x100_0000n, 0xa000_0000n);
    bind(e, 'A', 'Q');
    const r = call(e, { call: 'mm_unmap', args: { mm: 'Q', va: 0x100_0000n, size: 0x40_0000n } });
    expect(commandsOf(r)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC']);
  });

  it('mapping needs no invalidation, and an mm with no SVA domain reaches no SMMU at all', () => {
    const e = setUp();
    const m = call(e, { call: 'mm_map', args: { mm: 'P', va: 0x7000_0000n, paddr: 0x9100_0000n, size: 0x1000n, prot: { read: true, write: false, exec: false, priv: false } } });
    expect(commandsOf(m)).toEqual([]);
    expect(commandsOf(call(e, { call: 'mm_unmap', args: { mm: 'P', va: VA, size: 0x1000n } }))).toEqual([]);
  });

  it('mm_map refuses what mmap would: EEXIST over a mapping, EINVAL when misaligned or with no access, ENOMEM beyond 48 bits', () => {
    const e = setUp();
    const map = (va: bigint, size: bigint, read = true) => call(e, { call: 'mm_map', args: { mm: 'P', va, paddr: 0x9200_0000n, size, prot: { read, write: false, exec: false, priv: false } } }).ret;
    expect(map(VA, 0x1000n)).toBe('EEXIST');
    expect(map(0x50_0800n, 0x1000n)).toBe('EINVAL');
    expect(map(0x50_0000n, 0x1000n, false)).toBe('EINVAL');
    expect(map((1n << 48n) - 0x1000n, 0x2000n)).toBe('ENOMEM');
    expect(map(0x50_0000n, 0x1000n)).toBe(0);
  });
});

describe('the SVA domain among the other domains', () => {
  it('M4: it is not a paging domain: iommu_map is -EINVAL, iova_to_phys has no op, attaching it to a group is -ENODEV', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    expect(call(e, { call: 'iommu_map', args: { domain: 'sva:P', iova: 0x1000n, paddr: 0x1000n, size: 0x1000n, prot: { read: true, write: true, exec: false, priv: false } } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'iommu_iova_to_phys', args: { domain: 'sva:P', iova: VA } }).ret).toBe('EOPNOTSUPP');
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'sva:P', group: 'C' } }).ret).toBe('ENODEV');
  });

  it('O5: a group with an SVA bond cannot be claimed; freeing the SVA domain by hand is a free-while-attached finding', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EBUSY');
    const r = call(e, { call: 'iommu_domain_free', args: { domain: 'sva:P' } });
    expect(r.findings.map((f) => f.rule)).toEqual(['free-while-attached']);
    expect(domainOf(e, 'sva:P')).toBeDefined();
  });

  it('a snapshot carries the processes, their page tables and the bonds', () => {
    const e = setUp();
    bind(e, 'A', 'P');
    const copy = Engine.fromSnapshot(e.snapshot());
    expect(sva(copy)).toEqual(sva(e));
    expect(dmaPasid(copy, 'A', VA + 0x10n, 1).outcome.output).toBe(FRAMES + 0x10n);
    call(copy, { call: 'mm_unmap', args: { mm: 'P', va: VA, size: 0x1000n } });
    expect(dmaPasid(copy, 'A', VA + 0x10n, 1).landed).toBe('blocked');
    expect(dmaPasid(e, 'A', VA + 0x10n, 1).landed).toBe('domain');
  });
});

describe('SVA with an ATS device', () => {
  const withAts = () => {
    const { engine } = boot(PASID_TOPOLOGY.map((d) => (d.name === 'A' ? { ...d, ats: true } : d)));
    process(engine, 'P', 4);
    return engine;
  };
  const atcInvs = (r: ReturnType<typeof call>) => r.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed : [])).map((c) => c.command).filter((c) => c?.op === 'CMD_ATC_INV');

  it('the bind flushes the ATC for the PASID; a CPU unmap sends CMD_ATC_INV (SSV = 1, SSID = PASID) for the range after the TLBI', () => {
    const e = withAts();
    expect(e.linux?.masters.find((m) => m.device === 'A')?.atsEnabled).toBe(true);
    const b = call(e, { call: 'iommu_sva_bind_device', args: { dev: 'A', mm: 'P' } });
    expect(atcInvs(b).map((c) => [c?.fields.SSV, c?.fields.SubstreamID])).toEqual([[1n, 1n]]);
    const r = call(e, { call: 'mm_unmap', args: { mm: 'P', va: VA + 0x1000n, size: 0x2000n } });
    const ops = commandsOf(r);
    expect(ops.indexOf('CMD_ATC_INV')).toBeGreaterThan(ops.lastIndexOf('CMD_TLBI_NH_VA'));
    // Pages 0x401 and 0x402 differ in bit 0 and bit 1 of the page number: a 4-page span from 0x400000.
    expect(atcInvs(r).map((c) => [c?.fields.SSV, c?.fields.SubstreamID, c?.fields.Size, c?.fields.Address])).toEqual([[1n, 1n, 2n, VA]]);
  });

  it('the exit empties the ATC for the PASID after the TLBI', () => {
    const e = withAts();
    call(e, { call: 'iommu_sva_bind_device', args: { dev: 'A', mm: 'P' } });
    const r = call(e, { call: 'mm_exit', args: { mm: 'P' } });
    const ops = commandsOf(r);
    expect(ops.slice(ops.lastIndexOf('CMD_CFGI_CD') + 1)).toEqual(['CMD_SYNC', 'CMD_TLBI_NH_ASID', 'CMD_SYNC', 'CMD_ATC_INV', 'CMD_SYNC']);
    expect(atcInvs(r).map((c) => [c?.fields.SSV, c?.fields.SubstreamID, c?.fields.Size])).toEqual([[1n, 1n, 52n]]);
  });
});
