/**
 * iommufd nested domains on intel-iommu (drivers/iommu/intel/nested.c,
 * pasid.c intel_pasid_setup_nested): a second-stage nesting parent, a NESTED
 * domain whose user data is the guest's first-stage table (a GPA), attached
 * as one PASID entry with PGTT = nested; the guest's table changes reach the
 * IOTLB only through cache_invalidate_user.
 */
import { describe, expect, it } from 'vitest';
import { decodeFields } from '../../../src/engine/hw/smmu/fields.ts';
import { PASID_ENTRY_FIELDS } from '../../../src/engine/hw/vtd/structures.ts';
import { vtdView } from '../../../src/engine/views/vtd-view.ts';
import { Engine } from '../../../src/engine/index.ts';
import { apply, call, DEVICES, dma, guestTable, host, nestedAlloc, qiSummaries, RAM_GPA, RAM_PA, RW } from './helpers/nested.ts';

function pasidEntry(e: Engine, pasid: number) {
  const ctx = vtdView(e.vtd!).roots.find((r) => r.bus === 1)?.contexts[0];
  return ctx?.pasidDirectory?.entries.flatMap((d) => d.entries).find((p) => p.pasid === pasid);
}

const domain = (e: Engine, name: string) => e.linux?.domains.find((d) => d.name === name);

describe('iommufd nested domains on intel-iommu', () => {
  it('allocating one writes nothing; attaching it writes PASID entry 0: PGTT = nested, FLPTR = the guest GPA, SLPTPTR = the parent, the nested domain\'s own DID', () => {
    const e = host();
    const { root } = guestTable(e);
    const alloc = nestedAlloc(e, root);
    expect(alloc.ret).toBe(0);
    expect(alloc.hw).toEqual([]);
    expect(domain(e, 'N')).toMatchObject({ type: 'NESTED', owner: 'intel-iommu', ops: ['attach_dev', 'set_dev_pasid', 'free', 'cache_invalidate_user'], intel: { did: null, nested: { parent: 'S2', s1: { pgtblAddr: root, addrWidth: 48 } } } });
    expect(pasidEntry(e, 0)).toBeUndefined(); // owned by iommufd: blocked, the entry torn down

    const attach = call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    expect(attach.ret).toBe(0);
    expect(attach.hw.some((h) => h.kind === 'memory' && h.why.startsWith('intel_pasid_setup_nested: PASID 0 of 01:00.0 -> N (nested, DID'))).toBe(true);
    // Not present before: nothing cached, nothing to invalidate.
    expect(qiSummaries(attach)).toEqual([]);
    const entry = pasidEntry(e, 0);
    const s2 = domain(e, 'S2');
    const did = domain(e, 'N')?.intel?.did;
    expect(entry?.pgtt).toBe('nested');
    expect(entry?.fields).toMatchObject({ P: 1n, PGTT: 3n, FLPTR: root, SLPTPTR: s2?.smmu?.pgtableRoot, DID: BigInt(did ?? -1), AW: 2n, FLPM: 0n, SRE: 0n });
    // The parent is attached nowhere: it has no DID of its own; the nested domain's is the entry's.
    expect(s2?.intel?.did).toBeNull();
    expect(did).toBeGreaterThanOrEqual(2);
    expect(e.linux?.masters.find((m) => m.device === 'vf0')?.ridDomain).toBe('N');
  });

  it('a DMA walks the guest\'s first stage through the parent\'s second stage: 4 KB pages everywhere give the 24 reads of a 4-over-4 walk', () => {
    const e = host({}, false);
    const { root, tables } = guestTable(e);
    // The VMM maps each page of the guest's table into guest memory at GPA = PA, 4 KB each.
    for (const t of [root, ...tables]) expect(call(e, { call: 'iommu_map', args: { domain: 'S2', iova: t, paddr: t, size: 0x1000n, prot: RW } }).ret).toBe(0);
    nestedAlloc(e, root);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    // Guest RAM is one 2 MB block; the guest's data page is remapped 4 KB to make every leaf a level-1 leaf.
    call(e, { call: 'iommu_unmap', args: { domain: 'S2', iova: RAM_GPA, size: 0x20_0000n } });
    call(e, { call: 'iommu_map', args: { domain: 'S2', iova: RAM_GPA, paddr: RAM_PA, size: 0x1000n, prot: RW } });
    const d = dma(e, 0x1008n);
    expect(d.landed).toBe('domain');
    expect(d.vtd.result).toBe('translated');
    expect(d.vtd.output).toBe(RAM_PA + 8n);
    expect(d.vtd.trace.translation).toBe('nested');
    expect(d.vtd.trace.gpa).toBe(RAM_GPA + 8n);
    const steps = d.vtd.trace.steps ?? [];
    expect(steps.map((s) => [s.stage, s.level])).toEqual([['first', 4], ['first', 3], ['first', 2], ['first', 1]]);
    expect(steps[0]?.tableAddress).toBe(root);
    expect(steps.every((s) => s.s2?.steps.length === 4 && s.s2.output === s.tableAddress)).toBe(true);
    expect(steps.reduce((n, s) => n + 1 + (s.s2?.steps.length ?? 0), 0) + (d.vtd.trace.final?.steps.length ?? 0)).toBe(24);
  });

  it('a guest table change is stale until the guest\'s invalidation reaches the unit through cache_invalidate_user', () => {
    const e = host();
    const { root } = guestTable(e);
    nestedAlloc(e, root);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    expect(dma(e, 0x1010n).vtd.output).toBe(RAM_PA + 0x10n);
    // Inside the guest: IOVA 0x1000 now points at the next page of its RAM. The host sees no store.
    apply(e, { kind: 'vtd.unmap', table: 'guest-fs', iova: 0x1000n, size: 0x1000n });
    apply(e, { kind: 'vtd.map', table: 'guest-fs', iova: 0x1000n, paddr: RAM_GPA + 0x1000n, size: 0x1000n, prot: { read: true, write: true, user: true } });
    const stale = dma(e, 0x1010n);
    expect(stale.vtd.trace.iotlb?.hit).toBe(true);
    expect(stale.vtd.output).toBe(RAM_PA + 0x10n);
    // An invalidation for other pages leaves the entry alone.
    call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0x8000n, npages: 2n } });
    expect(dma(e, 0x1010n).vtd.output).toBe(RAM_PA + 0x10n);
    const did = domain(e, 'N')?.intel?.did;
    const inv = call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0x1000n, npages: 1n, leaf: true } });
    expect(inv.ret).toBe(0);
    expect(qiSummaries(inv)).toEqual([`PASID-based IOTLB invalidate (DID ${did}, PASID 0, 0x1000, AM 0)`, expect.stringMatching(/^Invalidation wait/)]);
    const fresh = dma(e, 0x1010n);
    expect(fresh.vtd.trace.iotlb?.hit).toBe(false);
    expect(fresh.vtd.output).toBe(RAM_PA + 0x1010n);
    // Everything: npages = U64_MAX is a PASID-selective invalidation.
    const all = call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0n, npages: (1n << 64n) - 1n } });
    expect(qiSummaries(all)[0]).toBe(`PASID-based IOTLB invalidate (DID ${did}, PASID 0)`);
  });

  it('unmapping the parent invalidates through the nesting tag: an IOTLB invalidation with the nested DID, and the cached nested translation goes', () => {
    const e = host();
    const { root } = guestTable(e);
    nestedAlloc(e, root);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    expect(dma(e, 0x1008n).landed).toBe('domain');
    const did = domain(e, 'N')?.intel?.did;
    const unmap = call(e, { call: 'iommu_unmap', args: { domain: 'S2', iova: RAM_GPA, size: 0x20_0000n } });
    expect(unmap.returned).toBe('0x200000');
    expect(qiSummaries(unmap)[0]).toMatch(new RegExp(`^IOTLB invalidate \\(page-selective, DID ${did}, 0x10000000, AM 9\\)$`));
    const after = dma(e, 0x1008n);
    expect(after.vtd.trace.iotlb?.hit).toBe(false);
    expect(after.landed).toBe('blocked');
    expect(after.vtd.fault?.name).toMatch(/^SS_PAGING_ENTRY/);
  });

  it('set_dev_pasid puts the guest table on one PASID only; the RID and the other PASIDs keep their own entries (the host owns the PASID table)', () => {
    const e = host();
    const { root } = guestTable(e);
    nestedAlloc(e, root, { flags: ['IOMMU_HWPT_ALLOC_PASID'] });
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'vf0', name: 'U' } });
    call(e, { call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x9000_0000n, size: 0x1000n, prot: RW } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'vf0' } });
    const r = call(e, { call: 'iommu_attach_device_pasid', args: { domain: 'N', dev: 'vf0', pasid: 5 } });
    expect(r.ret).toBe(0);
    expect(pasidEntry(e, 5)?.pgtt).toBe('nested');
    expect(pasidEntry(e, 0)?.pgtt).toBe('first-stage');
    expect(dma(e, 0x1008n, { pasid: 5 }).vtd.output).toBe(RAM_PA + 8n);
    expect(dma(e, 0x1008n).vtd.output).toBe(0x9000_0008n);
    expect(dma(e, 0x1008n, { pasid: 6 }).landed).toBe('blocked');
    // Detaching the PASID tears the nested entry down (domain-selective IOTLB for a nested entry) and gives the DID back.
    const did = domain(e, 'N')?.intel?.did;
    const det = call(e, { call: 'iommu_detach_device_pasid', args: { domain: 'N', dev: 'vf0', pasid: 5 } });
    expect(det.ret).toBe(0);
    expect(qiSummaries(det).slice(0, 2)).toEqual([`PASID-cache invalidate (PASID-selective, DID ${did}, PASID 5)`, `IOTLB invalidate (domain-selective, DID ${did})`]);
    expect(pasidEntry(e, 5)).toBeUndefined();
    expect(domain(e, 'N')?.intel?.did).toBeNull();
    expect(dma(e, 0x1008n, { pasid: 5 }).landed).toBe('blocked');
  });

  it('detaching restores: the group goes back to blocked (entry torn down, PASID cache and IOTLB flushed), the DID is given back, the domain can be freed, then the parent', () => {
    const e = host();
    const { root } = guestTable(e);
    nestedAlloc(e, root);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    dma(e, 0x1008n);
    const did = domain(e, 'N')?.intel?.did;
    // Freeing the parent under the nested domain is a use-after-free in the kernel: the model keeps it and says so.
    const early = e.apply({ kind: 'linux.call', call: 'iommu_domain_free', args: { domain: 'S2' } });
    expect(early.some((x) => x.kind === 'linux.finding' && x.finding.rule === 'free-while-attached' && x.finding.message.includes('nested domain N translates through it'))).toBe(true);
    const det = call(e, { call: 'iommu_detach_group', args: { domain: 'N', group: 'vf0' } });
    expect(det.ret).toBe(0);
    expect(qiSummaries(det).slice(0, 2)).toEqual([`PASID-cache invalidate (PASID-selective, DID ${did}, PASID 0)`, `IOTLB invalidate (domain-selective, DID ${did})`]);
    expect(pasidEntry(e, 0)).toBeUndefined();
    expect(domain(e, 'N')?.intel?.did).toBeNull();
    expect(e.linux?.dids ?? []).not.toContain(did);
    expect(dma(e, 0x1008n).landed).toBe('blocked');
    expect(call(e, { call: 'iommu_domain_free', args: { domain: 'N' } }).ret).toBe(0);
    expect(domain(e, 'N')).toBeUndefined();
    const freeParent = e.apply({ kind: 'linux.call', call: 'iommu_domain_free', args: { domain: 'S2' } });
    expect(freeParent.some((x) => x.kind === 'linux.finding')).toBe(false);
    expect(domain(e, 'S2')).toBeUndefined();
  });
});

describe('what Linux refuses', () => {
  it('a parent that is not a second-stage nesting parent (a first-stage domain): -EINVAL; a parent of nothing by that name is a bad step', () => {
    const e = host();
    const { root } = guestTable(e);
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'vf0', name: 'FS' } });
    expect(domain(e, 'FS')?.intel?.firstStage).toBe(true);
    expect(nestedAlloc(e, root, { name: 'A', parent: 'FS' }).returned).toBe('-EINVAL');
    expect(e.apply({ kind: 'linux.call', call: 'iommufd_hwpt_nested_alloc', args: { name: 'B', parent: 'nope', dev: 'vf0', pgtblAddr: root, addrWidth: 48 } })[0]).toMatchObject({ kind: 'command.rejected' });
    expect(e.linux?.domains.map((d) => d.name)).not.toContain('A');
  });

  it('flags a nested domain may not have: -EOPNOTSUPP; an unknown iommu_hwpt_vtd_s1 flag is a bad step', () => {
    const e = host();
    const { root } = guestTable(e);
    expect(nestedAlloc(e, root, { flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] }).returned).toBe('-EOPNOTSUPP');
    expect(e.apply({ kind: 'linux.call', call: 'iommufd_hwpt_nested_alloc', args: { name: 'N', parent: 'S2', dev: 'vf0', pgtblAddr: root, addrWidth: 48, vtdFlags: ['IOMMU_VTD_S1_XYZ'] } })[0])
      .toMatchObject({ kind: 'command.rejected', message: expect.stringContaining('"IOMMU_VTD_S1_XYZ" is not an iommu_hwpt_vtd_s1 flag') });
  });

  it('a bad addr_width is accepted at allocation and refused at attach (-EINVAL), leaving the device blocked as device_block_translation left it', () => {
    const e = host();
    const { root } = guestTable(e);
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'vf0', name: 'U' } });
    call(e, { call: 'iommu_map', args: { domain: 'U', iova: 0x1000n, paddr: 0x9000_0000n, size: 0x1000n, prot: RW } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'vf0' } });
    expect(dma(e, 0x1008n).landed).toBe('domain');
    expect(nestedAlloc(e, root, { addrWidth: 39 }).ret).toBe(0);
    const r = call(e, { call: 'iommu_group_replace_domain', args: { group: 'vf0', domain: 'N' } });
    expect(r.returned).toBe('-EINVAL');
    expect(r.warnings).toContain('vf0: Invalid stage-1 address width 39');
    expect(r.groups.find((g) => g.id === 1)?.domain).toBe('U');
    expect(domain(e, 'N')?.intel?.did).toBeNull();
    expect(pasidEntry(e, 0)).toBeUndefined();
    expect(dma(e, 0x1008n).landed).toBe('blocked');
  });

  it('57-bit needs FL5LP, SRE needs ECAP.SRS, EAFE needs EAFS (no modelled unit has it): -EINVAL at attach; a 5-level guest table works where FL5LP is', () => {
    const noFl5 = host({ fl5lp: false, srs: false });
    const a = guestTable(noFl5);
    nestedAlloc(noFl5, a.root, { name: 'W57', addrWidth: 57 });
    nestedAlloc(noFl5, a.root, { name: 'SRE', vtdFlags: ['IOMMU_VTD_S1_SRE'] });
    expect(call(noFl5, { call: 'iommu_attach_group', args: { domain: 'W57', group: 'vf0' } }).warnings).toContain('vf0: 5-level paging not supported');
    expect(call(noFl5, { call: 'iommu_attach_group', args: { domain: 'SRE', group: 'vf0' } }).returned).toBe('-EINVAL');
    const e = host();
    const g = guestTable(e, 5);
    nestedAlloc(e, g.root, { name: 'EAF', vtdFlags: ['IOMMU_VTD_S1_EAFE'] });
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'EAF', group: 'vf0' } }).returned).toBe('-EINVAL');
    nestedAlloc(e, g.root, { name: 'N5', addrWidth: 57, vtdFlags: ['IOMMU_VTD_S1_SRE', 'IOMMU_VTD_S1_WPE'] });
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'N5', group: 'vf0' } }).ret).toBe(0);
    expect(pasidEntry(e, 0)?.fields).toMatchObject({ PGTT: 3n, FLPM: 1n, SRE: 1n, WPE: 1n });
    const d = dma(e, 0x1008n);
    expect([d.landed, d.vtd.output, d.vtd.trace.steps?.length]).toEqual(['domain', RAM_PA + 8n, 5]);
  });

  it('arm-smmu-v3 has no domain_alloc_nested (v6.13+: nested domains come from a vIOMMU), and intel-iommu no vIOMMU', () => {
    const smmu = new Engine();
    apply(smmu, { kind: 'linux.boot', devices: DEVICES });
    call(smmu, { call: 'iommu_device_claim_dma_owner', args: { dev: 'vf0', owner: 'iommufd' } });
    expect(call(smmu, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'vf0', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe(0);
    expect(nestedAlloc(smmu, 0x4000_0000n).returned).toBe('-EOPNOTSUPP');
    expect(call(smmu, { call: 'iommufd_viommu_alloc', args: { name: 'v', parent: 'S2', dev: 'vf0' } }).ret).toBe(0);
    const e = host();
    expect(call(e, { call: 'iommufd_viommu_alloc', args: { name: 'v', parent: 'S2', dev: 'vf0' } }).returned).toBe('-EOPNOTSUPP');
    const invalidatePaging = call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'S2', addr: 0n, npages: 1n } });
    expect(invalidatePaging.returned).toBe('-EINVAL');
    const { root } = guestTable(e);
    nestedAlloc(e, root);
    expect(call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0x1001n, npages: 1n } }).returned).toBe('-EINVAL');
    expect(call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0x1000n, npages: (1n << 64n) - 1n } }).returned).toBe('-EINVAL');
    // Not attached anywhere yet: no cache tags, nothing sent.
    expect(qiSummaries(call(e, { call: 'iommufd_hwpt_invalidate', args: { domain: 'N', addr: 0x1000n, npages: 1n } }))).toEqual([]);
  });
});

describe('the PASID entry words', () => {
  it('decode as the spec lays them out', () => {
    const e = host();
    const { root } = guestTable(e);
    nestedAlloc(e, root);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'vf0' } });
    const entry = pasidEntry(e, 0);
    const f = decodeFields(entry?.words ?? [], PASID_ENTRY_FIELDS);
    expect(Number((entry?.words[0] ?? 0n) >> 6n & 7n)).toBe(3); // PGTT, bits 8:6
    expect(f.FLPTR).toBe(root);
  });
});
