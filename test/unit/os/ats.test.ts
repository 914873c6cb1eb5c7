import { describe, expect, it } from 'vitest';
import type { Engine, LinuxHwWrite, PciDeviceSpec } from '../../../src/engine/index.ts';
import { applyOk, boot, call, commandsOf, dma, READ, steWords, WRITE, type Booted, type Called } from './helpers.ts';
import { ATS_DEV, defaultDomain, fqTimer, mapOk, unmapSingle } from './dma-helpers.ts';

const N_SID = 0x100;
/** STE.EATS (qword 1, bits 29:28). */
const eats = (e: Engine) => Number(((steWords(e, N_SID)[1] as bigint) >> 28n) & 3n);
const atc = (e: Engine) => e.smmu?.endpoints.get(N_SID)?.atc ?? [];

/** N's hardware writes as short labels: pci-config writes, STE writes, and the commands the SMMU ran. */
function story(ev: Booted | Called): string[] {
  return ev.hw.flatMap((h: LinuxHwWrite) => {
    if (h.kind === 'pci-config' && h.device === 'N') return [`${h.register}=0x${h.value.toString(16)}`];
    if (h.kind === 'ste' && h.device === 'N') return ['STE'];
    if (h.kind === 'commands') return h.consumed.map((c) => c.command?.op ?? '?').filter((op) => op === 'CMD_ATC_INV');
    return [];
  });
}

describe('PCIe PASID, ATS and PRI: enabling', () => {
  it('C1/C2: PASID is enabled at probe, the STU prepared; the first attach writes EATS = 1, empties the ATC, then enables ATS', () => {
    const { engine: e, booted } = boot(ATS_DEV);
    expect(story(booted)).toEqual(['PASID Control=0x1', 'ATS Control=0x0', 'STE', 'CMD_ATC_INV', 'ATS Control=0x8000']);
    expect(eats(e)).toBe(1);
    expect(e.linux?.masters.find((m) => m.device === 'N')).toMatchObject({ atsEnabled: true, ssidBits: 10 });
    expect(e.linux?.devices.find((d) => d.name === 'N')?.pcie).toMatchObject({ pasidEnabled: true, atsEnabled: true, atsStu: 12, priEnabled: false });
    // arm-smmu-v3 never enables PRI.
    expect(e.smmu?.endpoints.get(N_SID)?.priControl).toBe(0);
  });

  it('C3: claiming the group turns ATS off at the device before the abort STE, then empties the ATC', () => {
    const { engine: e } = boot(ATS_DEV);
    const r = call(e, { call: 'iommu_group_claim_dma_owner', args: { group: 'N', owner: 'vfio' } });
    expect(story(r)).toEqual(['ATS Control=0x0', 'STE', 'CMD_ATC_INV']);
    expect(eats(e)).toBe(0);
    expect(e.linux?.masters.find((m) => m.device === 'N')?.atsEnabled).toBe(false);
    // Back on the DMA domain, ATS comes back on in the same order as at boot.
    expect(story(call(e, { call: 'iommu_group_release_dma_owner', args: { group: 'N' } }))).toEqual(['STE', 'CMD_ATC_INV', 'ATS Control=0x8000']);
  });

  it('an identity domain has a bypass STE, so ATS stays off', () => {
    const { engine: e, booted } = boot(ATS_DEV, { defaultDomainType: 'IDENTITY' });
    expect(story(booted)).toEqual(['PASID Control=0x1', 'ATS Control=0x0', 'STE']);
    expect(e.linux?.masters.find((m) => m.device === 'N')?.atsEnabled).toBe(false);
  });

  it('C4: the PCI helpers do not refuse PASID changes while ATS is on (undefined behaviour): the model reports a pcie-ordering finding', () => {
    const { engine: e } = boot(ATS_DEV);
    const off = call(e, { call: 'pci_disable_pasid', args: { dev: 'N' } });
    expect(off.ret).toBe(0);
    expect(off.findings).toEqual([expect.objectContaining({ rule: 'pcie-ordering', device: 'N' })]);
    const on = call(e, { call: 'pci_enable_pasid', args: { dev: 'N' } });
    expect(on.ret).toBe(0);
    expect(on.findings.map((f) => f.rule)).toEqual(['pcie-ordering']);
    // In the right order there is nothing to report.
    call(e, { call: 'pci_disable_ats', args: { dev: 'N' } });
    expect(call(e, { call: 'pci_disable_pasid', args: { dev: 'N' } }).findings).toEqual([]);
    expect(call(e, { call: 'pci_enable_pasid', args: { dev: 'N' } }).findings).toEqual([]);
    expect(call(e, { call: 'pci_enable_ats', args: { dev: 'N', ps: 12 } }).findings).toEqual([]);
  });

  it('C5: no ACS on the path up: pci_enable_pasid is -EINVAL, so the master has no SubstreamIDs', () => {
    const spec: PciDeviceSpec[] = [{ name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: false }, { name: 'N', bdf: '01:00.0', parent: 'rp0', pasidBits: 16, ats: true }];
    const { engine: e, booted } = boot(spec);
    expect(booted.warnings).toContain('N: Failed to enable PASID (-EINVAL): no SubstreamIDs');
    expect(e.linux?.masters.find((m) => m.device === 'N')?.ssidBits).toBe(0);
    expect(call(e, { call: 'pci_enable_pasid', args: { dev: 'N' } }).ret).toBe('EINVAL');
    // ATS does not depend on ACS.
    expect(e.linux?.masters.find((m) => m.device === 'N')?.atsEnabled).toBe(true);
  });

  it('the PCI helpers\' errors: EBUSY when already on, EINVAL without the capability, for an untrusted device, or for a page shift below 12', () => {
    const { engine: e } = boot([...ATS_DEV, { name: 'P', bdf: '00:02.0' }, { name: 'U', bdf: '00:03.0', ats: true, untrusted: true }]);
    expect(call(e, { call: 'pci_enable_pasid', args: { dev: 'N' } })).toMatchObject({ ret: 'EBUSY', returned: '-EBUSY' });
    expect(call(e, { call: 'pci_enable_ats', args: { dev: 'N', ps: 12 } }).ret).toBe('EBUSY');
    expect(call(e, { call: 'pci_enable_pasid', args: { dev: 'P' } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'pci_enable_pasid', args: { dev: 'N', features: ['exec'] } }).ret).toBe('EBUSY');
    expect(call(e, { call: 'pci_enable_ats', args: { dev: 'P', ps: 12 } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'pci_enable_ats', args: { dev: 'U', ps: 12 } }).ret).toBe('EINVAL');
    call(e, { call: 'pci_disable_ats', args: { dev: 'N' } });
    expect(call(e, { call: 'pci_enable_ats', args: { dev: 'N', ps: 11 } }).ret).toBe('EINVAL');
    expect(call(e, { call: 'pci_enable_pri', args: { dev: 'P', reqs: 8 } }).ret).toBe('EINVAL');
    const pri = call(e, { call: 'pci_enable_pri', args: { dev: 'N', reqs: 64 } });
    expect(story(pri)).toEqual(['PRI Outstanding Page Request Allocation=0x20', 'PRI Control=0x1']);
    expect(call(e, { call: 'pci_enable_pri', args: { dev: 'N', reqs: 8 } }).ret).toBe('EBUSY');
    expect(call(e, { call: 'pci_disable_ats', args: { dev: 'N' } }).warnings.join()).toMatch(/not enabled/);
  });
});

describe('ATS translation requests and the device\'s ATC', () => {
  it('a translation request fills the ATC; the device then sends translated requests the SMMU does not walk', () => {
    const { engine: e } = boot(ATS_DEV);
    const iova = mapOk(e, 'N', 0x8000_0000n, 0x1000n);
    const t = call(e, { call: 'ats_translate', args: { dev: 'N', iova, write: true } });
    expect(t).toMatchObject({ ret: 0, value: 0x8000_0000n, returned: '0x80000000 R=1 W=1' });
    expect(t.dmaApi?.atc).toEqual([{ device: 'N', pasid: null, page: iova, output: 0x8000_0000n, read: true, write: true, stale: false }]);
    const d = dma(e, 'N', iova + 0x40n, WRITE);
    expect(d).toMatchObject({ landed: 'domain', outcome: { result: 'translated', output: 0x8000_0040n, tx: { address: 0x8000_0040n }, trace: { ats: { untranslated: iova + 0x40n } } } });
    expect(d.outcome.trace.walk).toBeUndefined();
  });

  it('a read-only mapping grants R only: a write finds no usable ATC entry, goes untranslated and faults', () => {
    const { engine: e } = boot(ATS_DEV);
    const iova = mapOk(e, 'N', 0x8000_0000n, 0x1000n, 'DMA_TO_DEVICE');
    expect(call(e, { call: 'ats_translate', args: { dev: 'N', iova, write: true } }).returned).toBe('0x80000000 R=1 W=0');
    expect(dma(e, 'N', iova, READ).outcome.trace.ats).toBeDefined();
    expect(dma(e, 'N', iova, WRITE)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_PERMISSION' } } });
  });

  it('a translation fault is answered in the completion (R = W = 0), not recorded, and nothing is cached', () => {
    const { engine: e } = boot(ATS_DEV);
    const prod = e.smmu?.read('EVTQ_PROD');
    expect(call(e, { call: 'ats_translate', args: { dev: 'N', iova: 0x5000n } })).toMatchObject({ ret: 'EACCES', returned: 'R=0 W=0 (no access)' });
    expect(e.smmu?.read('EVTQ_PROD')).toBe(prod);
    expect(atc(e)).toEqual([]);
  });

  it('a stream whose STE is bypass refuses the request: F_BAD_ATS_TREQ, Unsupported Request', () => {
    const { engine: e } = boot(ATS_DEV, { defaultDomainType: 'IDENTITY' });
    expect(call(e, { call: 'ats_translate', args: { dev: 'N', iova: 0x5000n } }).ret).toBe('EINVAL');
    // Behind the driver's back: ATS on at the device while the STE bypasses.
    call(e, { call: 'pci_enable_ats', args: { dev: 'N', ps: 12 } });
    const prod = e.smmu?.read('EVTQ_PROD') ?? 0n;
    expect(call(e, { call: 'ats_translate', args: { dev: 'N', iova: 0x5000n } })).toMatchObject({ ret: 'EIO', returned: 'UR (Unsupported Request)' });
    expect(e.smmu?.read('EVTQ_PROD')).toBe(prod + 1n);
  });

  it('strict unmap: TLBI, then ATC_INV for the range, each closed by CMD_SYNC; the ATC entry is gone', () => {
    const { engine: e } = boot(ATS_DEV);
    const iova = mapOk(e, 'N', 0x8000_0000n, 0x1000n);
    call(e, { call: 'ats_translate', args: { dev: 'N', iova } });
    const u = unmapSingle(e, 'N', iova, 0x1000n);
    expect(commandsOf(u)).toEqual(['CMD_TLBI_NH_VA', 'CMD_SYNC', 'CMD_ATC_INV', 'CMD_SYNC']);
    const inv = u.hw.flatMap((h) => (h.kind === 'commands' ? h.consumed : [])).find((c) => c.command?.op === 'CMD_ATC_INV');
    expect(inv?.command?.fields).toMatchObject({ StreamID: BigInt(N_SID), SSV: 0n, Size: 0n, Address: iova });
    expect(inv?.summary).toMatch(/to N .*1 ATC entry invalidated/);
    expect(atc(e)).toEqual([]);
    expect(dma(e, 'N', iova).landed).toBe('blocked');
  });

  it('DMA_FQ: the ATC entry outlives the unmap (a stale window the model reports) until the flush sends ATC_INV', () => {
    const { engine: e } = boot(ATS_DEV, { defaultDomainType: 'DMA_FQ' });
    const iova = mapOk(e, 'N', 0x8000_0000n, 0x1000n);
    call(e, { call: 'ats_translate', args: { dev: 'N', iova } });
    expect(commandsOf(unmapSingle(e, 'N', iova, 0x1000n))).toEqual([]);
    const stale = dma(e, 'N', iova);
    expect(stale).toMatchObject({ landed: 'stale', findings: [], outcome: { output: 0x8000_0000n, trace: { ats: { untranslated: iova } } } });
    expect(stale.why).toMatch(/N's ATC/);
    const t = fqTimer(e, defaultDomain(e, 'N'));
    expect(commandsOf(t)).toEqual(['CMD_TLBI_NH_ASID', 'CMD_SYNC', 'CMD_ATC_INV', 'CMD_SYNC']);
    expect(atc(e)).toEqual([]);
    expect(dma(e, 'N', iova)).toMatchObject({ landed: 'blocked', outcome: { event: { name: 'F_TRANSLATION' } } });
  });

  it('without CMD_ATC_INV the device keeps reaching a page the tables no longer map; CMD_ATC_INV + CMD_SYNC ends it', () => {
    const { engine: e } = boot(ATS_DEV);
    const dom = defaultDomain(e, 'N');
    const asid = e.linux?.domains.find((d) => d.name === dom)?.smmu?.asid ?? 0;
    const iova = mapOk(e, 'N', 0x8000_0000n, 0x1000n);
    call(e, { call: 'ats_translate', args: { dev: 'N', iova } });
    // Behind the kernel's back: the page-table entry is cleared and the IOTLB invalidated, but not the ATC.
    applyOk(e, { kind: 'pgtable.unmap', table: dom, iova, size: 0x1000n });
    applyOk(e, { kind: 'smmu.issueCommands', commands: [{ op: 'CMD_TLBI_NH_ASID', fields: { ASID: BigInt(asid) } }, { op: 'CMD_SYNC' }] });
    expect(call(e, { call: 'ats_translate', args: { dev: 'N', iova } }).ret).toBe('EACCES');
    const smmuSays = applyOk(e, { kind: 'smmu.dma', sid: N_SID, address: iova, access: READ })[0];
    expect(smmuSays).toMatchObject({ kind: 'smmu.dma', outcome: { result: 'terminated', event: { name: 'F_TRANSLATION' } } });
    expect(dma(e, 'N', iova)).toMatchObject({ outcome: { result: 'translated', output: 0x8000_0000n, trace: { ats: { untranslated: iova } } } });
    applyOk(e, { kind: 'smmu.issueCommands', commands: [{ op: 'CMD_ATC_INV', fields: { StreamID: BigInt(N_SID), Size: 52n } }, { op: 'CMD_SYNC' }] });
    expect(atc(e)).toEqual([]);
    expect(dma(e, 'N', iova)).toMatchObject({ outcome: { result: 'terminated', event: { name: 'F_TRANSLATION' } } });
  });

  it('CMD_ATC_INV reaches only the function whose RID is the StreamID', () => {
    const { engine: e } = boot([...ATS_DEV, { name: 'rp1', bdf: '00:02.0', type: 'root-port', acs: true }, { name: 'M', bdf: '02:00.0', parent: 'rp1', ats: true }]);
    for (const dev of ['N', 'M']) call(e, { call: 'ats_translate', args: { dev, iova: mapOk(e, dev, 0x8000_0000n, 0x1000n) } });
    const r = applyOk(e, { kind: 'smmu.issueCommands', commands: [{ op: 'CMD_ATC_INV', fields: { StreamID: 0x200n, Size: 52n } }, { op: 'CMD_SYNC' }] });
    expect(r[0]).toMatchObject({ kind: 'smmu.commandsIssued', consumed: [{ summary: expect.stringMatching(/to M /) as string, invalidated: 1 }, { command: { op: 'CMD_SYNC' } }] });
    expect(e.smmu?.endpoints.get(0x200)?.atc).toEqual([]);
    expect(atc(e)).toHaveLength(1);
  });
});
