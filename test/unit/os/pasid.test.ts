import { describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/index.ts';
import { boot, call, commandsOf, group, RW, steConfig, steWords } from './helpers.ts';
import { cd, dmaPasid, domainOf, PASID_TOPOLOGY } from './sva-helpers.ts';

/** A on its default DMA domain, with U and U2 (stage 1) each mapping 0x1000 to its own frame. */
function setUp(o: { defaultDomainType?: 'DMA' | 'IDENTITY' } = {}): Engine {
  const { engine } = boot(PASID_TOPOLOGY, o);
  for (const [name, pa] of [['U', 0x8_0000_0000n], ['U2', 0x8_1000_0000n]] as const) {
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name } });
    call(engine, { call: 'iommu_map', args: { domain: name, iova: 0x1000n, paddr: pa, size: 0x1000n, prot: RW } });
  }
  return engine;
}

const A_SID = 0x100;
const s1dss = (e: Engine, sid: number) => Number((steWords(e, sid)[1] as bigint) & 3n);

describe('iommu_attach_device_pasid', () => {
  it('P1: U at PASID 5 of A on its DMA domain: CD 5 is U\'s, the STE is left alone, pasid_array[5] = U', () => {
    const e = setUp();
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(r.ret).toBe(0);
    expect(r.hw.filter((h) => h.kind === 'ste')).toEqual([]);
    const c = cd(e, 'A', 5);
    expect(Number(c.V)).toBe(1);
    expect(Number(c.ASID)).toBe(domainOf(e, 'U')?.smmu?.asid);
    expect(c.TTB0).toBe(domainOf(e, 'U')?.smmu?.pgtableRoot);
    expect(commandsOf(r)).toContain('CMD_CFGI_CD');
    const cfgi = r.hw.flatMap((h) => (h.kind === 'cd' ? h.update.executed : [])).flatMap((s) => (s.kind === 'sync' ? s.consumed : [])).find((x) => x.command?.op === 'CMD_CFGI_CD');
    expect(cfgi?.command?.fields.SubstreamID).toBe(5n);
    expect(cfgi?.command?.fields.StreamID).toBe(BigInt(A_SID));
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 5, domain: 'U' }]);
    expect(domainOf(e, 'U')?.smmu?.devices).toContainEqual({ master: 'A', ssid: 5 });
    // PASID 5 reaches U; the RID still reaches its default domain, which does not map 0x1000.
    const d = dmaPasid(e, 'A', 0x1010n, 5);
    expect(d.landed).toBe('domain');
    expect(d.outcome.output).toBe(0x8_0000_0010n);
    expect(dmaPasid(e, 'A', 0x1010n, undefined).landed).toBe('blocked');
  });

  it('P2/P3: PASID 0 (IOMMU_NO_PASID) and PASIDs beyond max_pasids are -EINVAL, with nothing written', () => {
    const e = setUp();
    for (const pasid of [0, 1 << 20]) {
      const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid } });
      expect(r.ret).toBe('EINVAL');
      expect(r.hw).toEqual([]);
    }
    expect(call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'S', pasid: 16 } }).ret).toBe('EINVAL');
    expect(group(e, 'A').pasidArray).toEqual([]);
  });

  it('P4: an occupied PASID is -EBUSY and keeps its domain', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5 } });
    expect(r.ret).toBe('EBUSY');
    expect(r.hw).toEqual([]);
    expect(Number(cd(e, 'A', 5).ASID)).toBe(domainOf(e, 'U')?.smmu?.asid);
  });

  it('P5/P8: on a claimed (blocked) group the STE becomes a CD table with S1DSS = terminate; detaching the last PASID restores the abort STE', () => {
    const e = setUp();
    call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(steConfig(e, A_SID)).toBe(0);
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(r.ret).toBe(0);
    expect(steConfig(e, A_SID)).toBe(5);
    expect(s1dss(e, A_SID)).toBe(0);
    // S1CDMax: the master's ssid_bits (20-bit PASIDs, capped at the linear table's 2^10 CDs).
    expect(Number(((steWords(e, A_SID)[0] as bigint) >> 59n) & 0x1fn)).toBe(10);
    // The CD goes in before the STE that points at it.
    expect(r.hw.findIndex((h) => h.kind === 'cd')).toBeLessThan(r.hw.findIndex((h) => h.kind === 'ste'));
    expect(dmaPasid(e, 'A', 0x1010n, 5).landed).toBe('domain');
    expect(dmaPasid(e, 'A', 0x1010n, undefined).landed).toBe('blocked');

    const d = call(e, { call: 'iommu_detach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(d.ret).toBe(0);
    expect(Number(cd(e, 'A', 5).V)).toBe(0);
    expect(steConfig(e, A_SID)).toBe(0);
    expect(group(e, 'A').pasidArray).toEqual([]);
    expect(domainOf(e, 'U')?.smmu?.devices).toEqual([]);
    expect(dmaPasid(e, 'A', 0x1010n, 5).landed).toBe('blocked');
  });

  it('P6: on an identity RID the CD-table STE bypasses traffic without a PASID (S1DSS = bypass)', () => {
    const e = setUp({ defaultDomainType: 'IDENTITY' });
    expect(steConfig(e, A_SID)).toBe(4);
    expect(call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } }).ret).toBe(0);
    expect(steConfig(e, A_SID)).toBe(5);
    expect(s1dss(e, A_SID)).toBe(1);
    const rid = dmaPasid(e, 'A', 0x1234_5000n, undefined);
    expect(rid.outcome.result).toBe('bypassed');
    expect(rid.landed).toBe('domain');
    expect(dmaPasid(e, 'A', 0x1010n, 5).outcome.output).toBe(0x8_0000_0010n);
  });

  it('P7: a RID on a stage-2 domain has no CD table for PASIDs: -EINVAL from the driver; a stage-2 domain at a PASID too', () => {
    const e = setUp();
    call(e, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } });
    expect(call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'S2', dev: 'A', pasid: 5 } }).ret).toBe('EINVAL');
    call(e, { call: 'iommu_attach_group', args: { domain: 'S2', group: 'A' } });
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(r.ret).toBe('EINVAL');
    expect(r.warnings.join()).toMatch(/no CD table/);
    expect(group(e, 'A').pasidArray).toEqual([]);
  });

  it('P9: domains without set_dev_pasid (IDENTITY) are -EOPNOTSUPP; a device with no group -ENODEV', () => {
    const e = setUp();
    expect(call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'arm_smmu_identity_domain', dev: 'A', pasid: 5 } }).ret).toBe('EOPNOTSUPP');
    const { engine } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'br', bdf: '01:00.0', type: 'pcie-to-pci-bridge', parent: 'rp' },
      { name: 'd1', bdf: '02:01.0', type: 'pci', parent: 'br' },
      { name: 'd2', bdf: '02:02.0', type: 'pci', parent: 'br' },
    ]);
    call(engine, { call: 'iommu_paging_domain_alloc', args: { dev: 'd1', name: 'U' } });
    expect(call(engine, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'd2', pasid: 5 } }).ret).toBe('ENODEV');
  });

  it('a group can no longer be claimed while a PASID is attached (-EBUSY), and is again once it is detached', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EBUSY');
    call(e, { call: 'iommu_detach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe(0);
  });

  it('a device without PASID support is skipped (newest): the attach succeeds, writes nothing, and its PASID DMA is refused by the SMMU', () => {
    const e = setUp();
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'N', pasid: 5 } });
    expect(r.ret).toBe(0);
    expect(r.hw).toEqual([]);
    expect(group(e, 'N').pasidArray).toEqual([{ pasid: 5, domain: 'U' }]);
    const d = dmaPasid(e, 'N', 0x1010n, 5);
    expect(d.landed).toBe('blocked');
    expect(d.outcome.event?.name).toBe('C_BAD_SUBSTREAMID');
  });

  it('a driver failure (the master_domain allocation) is returned, and nothing is left attached', () => {
    const { engine: e } = boot(PASID_TOPOLOGY.map((d) => (d.name === 'A' ? { ...d, failAttach: ['U'] } : d)));
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 3 } });
    expect(r.ret).toBe('ENOMEM');
    expect(r.hw.filter((h) => h.kind === 'cd' || h.kind === 'ste')).toEqual([]);
    expect(group(e, 'A').pasidArray).toEqual([]);
    expect(domainOf(e, 'U')?.smmu?.devices).toEqual([]);
  });

  it('functions without ACS share a group and cannot enable PASID (ssid_bits 0), though max_pasids allows PASIDs: refused before anything changes', () => {
    const { engine: e } = boot(PASID_TOPOLOGY);
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'B0', name: 'U' } });
    expect(group(e, 'B0').devices).toEqual(['B0', 'B1']);
    expect(e.linux?.masters.find((m) => m.device === 'B0')?.ssidBits).toBe(0);
    const events = e.apply({ kind: 'linux.call', call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'B0', pasid: 3 } });
    expect(events[0]?.kind === 'command.rejected' && events[0].message).toMatch(/PASID is not enabled.*beyond the table/);
    expect(group(e, 'B0').pasidArray).toEqual([]);
  });

  it('PASIDs beyond the linear CD table the model builds are refused with a message, not half-done', () => {
    const e = setUp();
    const events = e.apply({ kind: 'linux.call', call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 4096 } });
    expect(events[0]?.kind).toBe('command.rejected');
    expect(events[0]?.kind === 'command.rejected' && events[0].message).toMatch(/2-level CD tables are not modelled/);
    expect(group(e, 'A').pasidArray).toEqual([]);
  });
});

describe('iommu_detach_device_pasid / iommu_replace_device_pasid', () => {
  it('detach on a DMA RID clears the CD and keeps the CD-table STE', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    const r = call(e, { call: 'iommu_detach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    expect(r.hw.map((h) => h.kind)).toEqual(['cd']);
    expect(steConfig(e, A_SID)).toBe(5);
    expect(dmaPasid(e, 'A', 0x1010n, 5).outcome.event?.name).toBe('C_BAD_CD');
  });

  it('detach naming the wrong domain is not checked by the kernel: a warning, the PASID is blocked anyway', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    const r = call(e, { call: 'iommu_detach_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5 } });
    expect(r.warnings.join()).toMatch(/not U2/);
    expect(group(e, 'A').pasidArray).toEqual([]);
    expect(domainOf(e, 'U')?.smmu?.devices).toContainEqual({ master: 'A', ssid: 5 });
  });

  it('replace: from U straight to U2 (one CD update, no blocked step); U stops invalidating for it', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5, handle: 'h1' } });
    const r = call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5, handle: 'h2' } });
    expect(r.ret).toBe(0);
    expect(r.hw.filter((h) => h.kind === 'cd')).toHaveLength(1);
    expect(Number(cd(e, 'A', 5).ASID)).toBe(domainOf(e, 'U2')?.smmu?.asid);
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 5, domain: 'U2', handle: 'h2' }]);
    expect(domainOf(e, 'U')?.smmu?.devices).toEqual([]);
    expect(r.checkpoints[0]).toMatchObject({ pasid: 5, old: 'U', new: 'U2' });
    expect(r.findings).toEqual([]);
    expect(dmaPasid(e, 'A', 0x1010n, 5).outcome.output).toBe(0x8_1000_0010n);
  });

  it('replace errors: no handle, nothing attached, the same handle again (WARN) are -EINVAL; IDENTITY -EOPNOTSUPP', () => {
    const e = setUp();
    expect(call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5, handle: 'h' } }).ret).toBe('EINVAL');
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5, handle: 'h1' } });
    expect(call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5 } }).ret).toBe('EINVAL');
    const same = call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'U2', dev: 'A', pasid: 5, handle: 'h1' } });
    expect(same.ret).toBe('EINVAL');
    expect(same.warnings.join()).toMatch(/WARN_ON/);
    expect(call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'arm_smmu_identity_domain', dev: 'A', pasid: 5, handle: 'h3' } }).ret).toBe('EOPNOTSUPP');
    const sameDomain = call(e, { call: 'iommu_replace_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5, handle: 'h4' } });
    expect(sameDomain.ret).toBe(0);
    expect(sameDomain.hw).toEqual([]);
    expect(group(e, 'A').pasidArray).toEqual([{ pasid: 5, domain: 'U', handle: 'h4' }]);
  });
});

describe('PASID-tagged DMA under the transition invariant and the isolation check', () => {
  it('DMA on the PASID while it is attached lands blocked, then in the new domain; the RID keeps its domain throughout', () => {
    const e = setUp({ defaultDomainType: 'IDENTITY' });
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } }, [
      { device: 'A', iova: 0x1010n, access: { kind: 'read', privileged: false }, pasid: 5 },
      { device: 'A', iova: 0x7000n, access: { kind: 'read', privileged: false } },
    ]);
    expect(r.findings).toEqual([]);
    const onPasid = r.inflight.filter((x) => x.iova === 0x1010n).map((x) => x.landed);
    expect(onPasid[0]).toBe('blocked');
    expect(onPasid.at(-1)).toBe('new domain');
    expect(new Set(onPasid)).toEqual(new Set(['blocked', 'new domain']));
    expect(new Set(r.inflight.filter((x) => x.iova === 0x7000n).map((x) => x.outcome.result))).toEqual(new Set(['bypassed']));
    expect(r.checkpoints.at(-1)?.devices).toEqual([{ device: 'A', domain: 'U' }]);
  });

  it('a CD rewritten behind the kernel\'s back makes PASID DMA an isolation finding', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    const u2 = domainOf(e, 'U2')?.smmu;
    const table = e.linux?.masters.find((m) => m.device === 'A')?.cdTable?.address as bigint;
    const asid = u2?.asid ?? 0;
    e.apply({ kind: 'smmu.updateCd', sid: A_SID, ssid: 5, cdTable: table, fields: { V: 1n, AA64: 1n, EPD1: 1n, T0SZ: 16n, IPS: 5n, R: 1n, A: 1n, ASET: 1n, ASID: BigInt(asid), TTB0: u2?.pgtableRoot ?? 0n } });
    e.apply({ kind: 'smmu.issueCommands', commands: [{ op: 'CMD_CFGI_CD', fields: { StreamID: BigInt(A_SID), SubstreamID: 5n, Leaf: 1n } }, { op: 'CMD_SYNC' }] });
    const d = dmaPasid(e, 'A', 0x1010n, 5);
    expect(d.landed).toBe('outside');
    expect(d.findings[0]?.rule).toBe('isolation');
    expect(d.findings[0]?.message).toMatch(/PASID 5/);
  });

  it('a RID switch with a PASID attached probes the PASID too, and finds nothing wrong', () => {
    const e = setUp();
    call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'U', dev: 'A', pasid: 5 } });
    const r = call(e, { call: 'iommu_attach_group', args: { domain: 'U2', group: 'A' } }, [{ device: 'A', iova: 0x1010n, access: { kind: 'read', privileged: false }, pasid: 5 }]);
    expect(r.ret).toBe(0);
    expect(r.findings).toEqual([]);
    expect(new Set(r.inflight.map((x) => x.outcome.output))).toEqual(new Set([0x8_0000_0010n]));
  });
});

describe('the global PASID space', () => {
  it('iommu_alloc_global_pasid hands out the lowest free PASID from 1, never 0, and IOMMU_PASID_INVALID without PASIDs', () => {
    const e = setUp();
    const got = [0, 1, 2].map(() => call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'A' } }).value);
    expect(got).toEqual([1n, 2n, 3n]);
    call(e, { call: 'iommu_free_global_pasid', args: { pasid: 2 } });
    expect(call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'A' } }).returned).toBe('2');
    expect(call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'N' } }).returned).toBe('4294967295');
    expect(call(e, { call: 'iommu_free_global_pasid', args: { pasid: 9 } }).warnings.join()).toMatch(/not allocated/);
    // S has max_pasids 16: 1..15 only.
    for (let i = 4; i <= 15; i++) call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'A' } });
    expect(call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'S' } }).value).toBe(0xffff_ffffn);
    expect(call(e, { call: 'iommu_alloc_global_pasid', args: { dev: 'A' } }).value).toBe(16n);
  });
});
