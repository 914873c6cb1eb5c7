import { describe, expect, it } from 'vitest';
import { dmaTopologyView, Engine, type PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, call, dma, READ, RW, SINGLE, WRITE } from './helpers.ts';
import { defaultDomain, mapOk } from './dma-helpers.ts';

/** A GICv3 ITS at 0x0808_0000: its doorbell, GITS_TRANSLATER, is at +0x1_0040. */
const GITS_TRANSLATER = 0x0809_0040n;
const OTHER_ITS_DOORBELL = 0x080b_0040n;
const RMR = { start: 0x8_0000_0000n, length: 0x1_0000n, type: 'direct' as const };

const WITH_RMR: readonly PciDeviceSpec[] = [
  { name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true },
  { name: 'A', bdf: '01:00.0', parent: 'rp0', resvRegions: [RMR] },
];

function regionsText(e: Engine, group: string): string {
  return call(e, { call: 'iommu_get_group_resv_regions', args: { group } }).returned;
}

/** VFIO type1 on A: the group claimed, an UNMANAGED domain U with an MSI cookie at the SW MSI window, attached. */
function vfio(features?: Parameters<typeof boot>[1]) {
  const { engine: e } = boot([{ name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true }, { name: 'A', bdf: '01:00.0', parent: 'rp0', driver: 'vfio-pci' }], features);
  call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
  expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe(0);
  expect(call(e, { call: 'iommu_get_msi_cookie', args: { domain: 'U', base: 0x800_0000n } }).ret).toBe(0);
  expect(call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } }).ret).toBe(0);
  return e;
}

describe('reserved regions', () => {
  it('V8: arm-smmu-v3 reports the software MSI window; sysfs prints it with an inclusive end, as "msi"', () => {
    expect(regionsText(boot(SINGLE).engine, 'A')).toBe('0x0000000008000000 0x00000000080fffff msi');
  });

  it('firmware regions of a group are sorted and merged when they overlap or touch and have the same type', () => {
    const { engine: e } = boot([
      { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true },
      { name: 'B0', bdf: '02:00.0', parent: 'rp1', resvRegions: [{ start: 0x9000_0000n, length: 0x1000n, type: 'direct' }, { start: 0x10_0000n, length: 0x1000n, type: 'reserved' }] },
      { name: 'B1', bdf: '02:00.1', parent: 'rp1', resvRegions: [{ start: 0x9000_1000n, length: 0x2000n, type: 'direct' }] },
    ]);
    expect(regionsText(e, 'B0').split('\n')).toEqual([
      '0x0000000000100000 0x0000000000100fff reserved',
      '0x0000000008000000 0x00000000080fffff msi',
      '0x0000000090000000 0x0000000090002fff direct',
    ]);
  });

  it('V7: an RMR is mapped 1:1 into the DMA default domain before the first attach, and its device may not be blocked', () => {
    const { engine: e, booted } = boot(WITH_RMR);
    const kinds = booted.hw.filter((h) => (h.kind === 'memory' && h.why.includes('map 0x800000000 -> 0x800000000')) || ((h.kind === 'ste' || h.kind === 'cd') && h.device === 'A')).map((h) => h.kind);
    expect(kinds[0]).toBe('memory');
    expect(kinds.slice(1)).toContain('ste');
    expect(dma(e, 'A', 0x8_0000_1234n, WRITE)).toMatchObject({ landed: 'domain', outcome: { output: 0x8_0000_1234n } });
    expect(e.linux?.devices.find((d) => d.name === 'A')?.iommu?.requireDirect).toBe(true);
    expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe('EINVAL');
  });

  it('a direct-relaxable region is mapped too but does not make the device require_direct; an identity domain gets no mappings', () => {
    const spec = [{ name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true }, { name: 'A', bdf: '01:00.0', parent: 'rp0', resvRegions: [{ ...RMR, type: 'direct-relaxable' }] }] as const satisfies readonly PciDeviceSpec[];
    const { engine: e } = boot(spec);
    expect(dma(e, 'A', 0x8_0000_0010n).landed).toBe('domain');
    expect(call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } }).ret).toBe(0);
    const { booted } = boot(spec, { defaultDomainType: 'IDENTITY' });
    expect(booted.hw.some((h) => h.kind === 'memory' && h.why.includes('io-pgtable: map'))).toBe(false);
  });

  it('a bad firmware region is refused at boot with the field named', () => {
    const ev = new Engine().apply({ kind: 'linux.boot', devices: [{ name: 'A', bdf: '01:00.0', resvRegions: [{ start: 0x1000n, length: 0n, type: 'direct' }] }] });
    expect(ev[0]).toMatchObject({ kind: 'command.rejected', field: 'devices[0].resvRegions[0].length' });
  });
});

describe('MSI doorbells', () => {
  it('V1/V2: VFIO\'s MSI cookie maps the doorbell page at 0x8000000, write-only, no-exec; the MSI address keeps the offset; a doorbell is mapped once', () => {
    const e = vfio();
    const r = call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(r).toMatchObject({ ret: 0, value: 0x800_0040n, returned: '0x8000040' });
    expect(e.linux?.domains.find((d) => d.name === 'U')?.mappings).toEqual([{ iova: 0x800_0000n, paddr: 0x0809_0000n, size: 0x1000n, prot: { read: false, write: true, exec: false, priv: false } }]);
    const again = call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(again).toMatchObject({ ret: 0, value: 0x800_0040n });
    expect(again.hw).toEqual([]);
    // The next doorbell page takes the next page of the window.
    expect(call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: OTHER_ITS_DOORBELL } }).value).toBe(0x800_1040n);
  });

  it('the doorbell is reachable only at its reserved IOVA: not at its physical address, not at the next page, not anywhere else', () => {
    const e = vfio();
    call(e, { call: 'iommu_map', args: { domain: 'U', iova: 0x1_0000n, paddr: 0x9000_0000n, size: 0x1_0000n, prot: RW } });
    call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(dma(e, 'A', 0x800_0040n, WRITE)).toMatchObject({ landed: 'domain', outcome: { result: 'translated', output: GITS_TRANSLATER } });
    const doorbellPage = GITS_TRANSLATER & ~0xfffn;
    for (const iova of [0n, 0x1_0040n, 0x1_f040n, 0x7ff_f040n, 0x800_1040n, 0x80f_f040n, doorbellPage, GITS_TRANSLATER, 0xffff_f040n]) {
      const d = dma(e, 'A', iova, WRITE);
      expect(d.findings).toEqual([]);
      expect(d.outcome.output === undefined || (d.outcome.output & ~0xfffn) !== doorbellPage).toBe(true);
    }
    expect(dma(e, 'A', GITS_TRANSLATER, WRITE)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });
  });

  it('a stage-1 table cannot say write-only, so a read of the doorbell page is translated; a stage-2 table refuses it', () => {
    const s1 = vfio();
    call(s1, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(dma(s1, 'A', 0x800_0040n, READ)).toMatchObject({ landed: 'domain', outcome: { result: 'translated' } });
    const s2 = vfio({ features: { stage1: false } });
    expect(s2.linux?.domains.find((d) => d.name === 'U')?.smmu?.stage).toBe(2);
    call(s2, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(dma(s2, 'A', 0x800_0040n, WRITE).landed).toBe('domain');
    expect(dma(s2, 'A', 0x800_0040n, READ)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_PERMISSION' } } });
  });

  it('V4: on a kernel DMA domain the doorbell gets an IOVA from the normal allocator, not the 0x8000000 window', () => {
    const { engine: e } = boot(SINGLE);
    const r = call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(r).toMatchObject({ ret: 0, value: 0xffff_f040n });
    expect(dma(e, 'A', 0xffff_f040n, WRITE)).toMatchObject({ landed: 'domain', outcome: { output: GITS_TRANSLATER } });
    expect(dma(e, 'A', 0x800_0040n, WRITE).landed).toBe('blocked');
    // The doorbell's IOVA is taken: the next DMA API mapping goes below it.
    expect(mapOk(e, 'A', 0x8000_0000n, 0x1000n)).toBe(0xffff_e000n);
    expect(e.linux?.domains.find((d) => d.name === defaultDomain(e, 'A'))?.dma).toMatchObject({ msiPages: [{ phys: 0x0809_0000n, iova: 0xffff_f000n }] });
  });

  it('V5/V6: identity passes the doorbell address through; a blocked group or an UNMANAGED domain without a cookie cannot take MSIs', () => {
    const id = boot(SINGLE, { defaultDomainType: 'IDENTITY' }).engine;
    const r = call(id, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    expect(r).toMatchObject({ ret: 0, value: GITS_TRANSLATER });
    expect(r.hw).toEqual([]);
    const e = boot(SINGLE).engine;
    call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'vfio' } });
    expect(call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } }).ret).toBe('EOPNOTSUPP');
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    call(e, { call: 'iommu_attach_group', args: { domain: 'U', group: 'A' } });
    expect(call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } }).ret).toBe('EOPNOTSUPP');
  });

  it('iommu_get_msi_cookie: only an UNMANAGED domain (-EINVAL), only once (-EEXIST)', () => {
    const e = vfio();
    expect(call(e, { call: 'iommu_get_msi_cookie', args: { domain: 'U', base: 0x800_0000n } }).ret).toBe('EEXIST');
    expect(call(e, { call: 'iommu_get_msi_cookie', args: { domain: defaultDomain(e, 'A'), base: 0x800_0000n } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'iommu_get_msi_cookie', args: { domain: 'arm_smmu_identity_domain', base: 0x800_0000n } }).ret).toBe('EINVAL');
  });
});

describe('dmaTopologyView', () => {
  it('shows the allocator\'s reserved and allocated ranges, the rcache, the MSI pages and each device\'s regions', () => {
    const { engine: e } = boot(WITH_RMR);
    const iova = mapOk(e, 'A', 0x9000_0000n, 0x1000n);
    call(e, { call: 'iommu_dma_prepare_msi', args: { dev: 'A', msiAddr: GITS_TRANSLATER } });
    call(e, { call: 'dma_unmap_single', args: { dev: 'A', dmaAddr: iova, size: 0x1000n, dir: 'DMA_BIDIRECTIONAL' } });
    const v = dmaTopologyView(e.linux as NonNullable<Engine['linux']>, e.smmu);
    const dom = v.domains.find((d) => d.name === defaultDomain(e, 'A'));
    expect(dom?.ranges).toEqual([{ iova: 0xffff_e000n, size: 0x1000n, reserved: false }, { iova: 0xffff_f000n, size: 0x1000n, reserved: false }, { iova: RMR.start, size: RMR.length, reserved: true }]);
    expect(dom?.cached).toEqual([{ iova: 0xffff_f000n, pages: 1 }]);
    expect(dom?.msiPages).toEqual([{ phys: 0x0809_0000n, iova: 0xffff_e000n }]);
    expect(v.devices.find((d) => d.name === 'A')).toMatchObject({ requireDirect: true, dmaMask: 0xffff_ffffn, resvRegions: [{ type: 'sw-msi' }, { type: 'direct', start: RMR.start }], ats: null });
  });
});
