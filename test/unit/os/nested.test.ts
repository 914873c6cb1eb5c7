import { describe, expect, it } from 'vitest';
import { boot, call, dma, group, RW, SINGLE, steWords } from './helpers.ts';

/** Guest RAM: IPA 0x1000_0000.. is PA 0x8_0000_0000..; table memory is mapped 1:1 so the guest's page tables are at IPA = PA. */
const GUEST_RAM_IPA = 0x1000_0000n;
const GUEST_RAM_PA = 0x8_0000_0000n;
const GUEST_CD_TABLE_IPA = 0x1001_0000n;

function hostSetup() {
  const { engine } = boot(SINGLE);
  call(engine, { call: 'iommu_device_claim_dma_owner', args: { dev: 'A', owner: 'iommufd' } });
  expect(call(engine, { call: 'iommu_paging_domain_alloc_flags', args: { dev: 'A', name: 'S2', flags: ['IOMMU_HWPT_ALLOC_NEST_PARENT'] } }).ret).toBe(0);
  call(engine, { call: 'iommu_map', args: { domain: 'S2', iova: GUEST_RAM_IPA, paddr: GUEST_RAM_PA, size: 0x20_0000n, prot: RW } });
  call(engine, { call: 'iommu_map', args: { domain: 'S2', iova: 0x4000_0000n, paddr: 0x4000_0000n, size: 0x100_0000n, prot: RW } });
  expect(call(engine, { call: 'iommufd_viommu_alloc', args: { name: 'vsmmu', parent: 'S2', dev: 'A' } }).ret).toBe(0);
  return engine;
}

/** The guest: its own stage-1 table (IOVA 0x1000 -> guest RAM) and CD 0 in its CD table, all in guest memory. */
function guestSetup(engine: ReturnType<typeof hostSetup>) {
  const created = engine.apply({ kind: 'pgtable.create', name: 'guest-s1', config: { TG0: 0, T0SZ: 16 } })[0];
  if (created?.kind !== 'pgtable.created') throw new Error('no guest table');
  engine.apply({ kind: 'pgtable.map', table: 'guest-s1', iova: 0x1000n, paddr: GUEST_RAM_IPA, size: 0x1000n, prot: RW });
  const cdTablePa = GUEST_RAM_PA + (GUEST_CD_TABLE_IPA - GUEST_RAM_IPA);
  engine.apply({ kind: 'smmu.writeCd', sid: 0x100, ssid: 0, cdTable: cdTablePa, fields: { V: 1n, AA64: 1n, R: 1n, A: 1n, T0SZ: 16n, TG0: 0n, IPS: 5n, EPD1: 1n, ASID: 7n, TTB0: created.root.address } });
}

const nested = (e: ReturnType<typeof hostSetup>, name: string, vste: Record<string, bigint>) =>
  call(e, { call: 'iommufd_viommu_alloc_hwpt_nested', args: { name, viommu: 'vsmmu', vste } });

describe('a user-space nested domain (iommufd on arm-smmu-v3, seed 001)', () => {
  it('N1/N4: the guest owns its CD table at an IPA; the host STE is nested (Config 0b111) with the parent\'s stage 2, its VMID and MEV', () => {
    const e = hostSetup();
    guestSetup(e);
    expect(call(e, { call: 'iommufd_vdevice_alloc', args: { viommu: 'vsmmu', dev: 'A', virtId: 8 } }).ret).toBe(0);
    expect(nested(e, 'N', { V: 1n, Config: 5n, S1ContextPtr: GUEST_CD_TABLE_IPA, S1Fmt: 0n, S1CDMax: 0n, S1DSS: 0n }).ret).toBe(0);
    expect(e.linux?.domains.find((d) => d.name === 'N')).toMatchObject({ type: 'NESTED', ops: ['attach_dev', 'free'], nested: { config: 's1', viommu: 'vsmmu' } });
    const r = call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'A' } });
    expect(r).toMatchObject({ ret: 0, findings: [] });
    const w = steWords(e, 0x100);
    const vmid = e.linux?.domains.find((d) => d.name === 'S2')?.smmu?.vmid;
    expect(Number(((w[0] as bigint) >> 1n) & 7n)).toBe(7);
    expect((w[0] as bigint) & 0x000f_ffff_ffff_ffc0n).toBe(GUEST_CD_TABLE_IPA);
    expect(Number((w[2] as bigint) & 0xffffn)).toBe(vmid);
    expect(((w[1] as bigint) >> 19n) & 1n).toBe(1n);
    const s2 = e.stage2Tables('S2');
    expect((w[3] as bigint) & 0x000f_ffff_ffff_fff0n).toBe((BigInt(s2?.baseHi ?? 0) << 32n) | BigInt(s2?.baseLo ?? 0));
    const d = dma(e, 'A', 0x1008n);
    expect(d).toMatchObject({ landed: 'domain', outcome: { result: 'translated', output: GUEST_RAM_PA + 8n, trace: { cd: { ipa: GUEST_CD_TABLE_IPA, address: GUEST_RAM_PA + 0x1_0000n } } } });
    expect(e.linux?.masters.find((m) => m.device === 'A')?.vmaster).toEqual({ viommu: 'vsmmu', vsid: 8 });
  });

  it('N5: a guest CD table at an IPA stage 2 does not map: the CD fetch takes a stage-2 fault', () => {
    const e = hostSetup();
    call(e, { call: 'iommufd_vdevice_alloc', args: { viommu: 'vsmmu', dev: 'A', virtId: 8 } });
    nested(e, 'N', { V: 1n, Config: 5n, S1ContextPtr: 0x2000_0000n });
    call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'A' } });
    expect(dma(e, 'A', 0x1008n)).toMatchObject({ landed: 'blocked', outcome: { result: 'terminated', event: { name: 'F_TRANSLATION', S2: true, CLASS: 0, IPA: 0x2000_0000n } } });
  });

  it('N9: a vSTE asking for bypass gives the parent\'s stage-2 STE: the guest sees bypass, the host still translates IPA -> PA', () => {
    const e = hostSetup();
    call(e, { call: 'iommufd_vdevice_alloc', args: { viommu: 'vsmmu', dev: 'A', virtId: 8 } });
    nested(e, 'NB', { V: 1n, Config: 4n });
    call(e, { call: 'iommu_attach_group', args: { domain: 'NB', group: 'A' } });
    expect(Number(((steWords(e, 0x100)[0] as bigint) >> 1n) & 7n)).toBe(6);
    expect(dma(e, 'A', GUEST_RAM_IPA + 0x10n)).toMatchObject({ landed: 'domain', outcome: { output: GUEST_RAM_PA + 0x10n } });
  });

  it('an invalid vSTE (V = 0) is accepted and gives an abort STE', () => {
    const e = hostSetup();
    call(e, { call: 'iommufd_vdevice_alloc', args: { viommu: 'vsmmu', dev: 'A', virtId: 8 } });
    expect(nested(e, 'N0', { V: 0n, Config: 5n }).ret).toBe(0);
    call(e, { call: 'iommu_attach_group', args: { domain: 'N0', group: 'A' } });
    expect(Number(((steWords(e, 0x100)[0] as bigint) >> 1n) & 7n)).toBe(0);
  });

  it('N2/N3: bits a guest may not set (S2FWB, STRW, MEV) or EATS = 2 are -EIO', () => {
    const e = hostSetup();
    const bads: Record<string, bigint>[] = [{ S2FWB: 1n }, { STRW: 2n }, { MEV: 1n }, { EATS: 2n }, { Config: 6n }];
    for (const bad of bads) {
      expect(nested(e, 'X', { V: 1n, Config: 5n, ...bad }).ret).toBe('EIO');
    }
    expect(e.apply({ kind: 'linux.call', call: 'iommufd_viommu_alloc_hwpt_nested', args: { name: 'X', viommu: 'vsmmu', vste: { V: 1n, S2TTB: 0x1000n } } })[0]).toMatchObject({ kind: 'command.rejected', field: 'vste.S2TTB' });
  });

  it('attach without a vdevice is -ENOENT; a vIOMMU needs a nesting parent (-EINVAL) and FEAT_NESTING (-EOPNOTSUPP)', () => {
    const e = hostSetup();
    nested(e, 'N', { V: 1n, Config: 5n, S1ContextPtr: GUEST_CD_TABLE_IPA });
    expect(call(e, { call: 'iommu_attach_group', args: { domain: 'N', group: 'A' } }).ret).toBe('ENOENT');
    expect(group(e, 'A').domain).toBe('arm_smmu_blocked_domain');
    call(e, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    expect(call(e, { call: 'iommufd_viommu_alloc', args: { name: 'v2', parent: 'U', dev: 'A' } }).ret).toBe('EINVAL');
    const q = boot(SINGLE, { preset: 'qemu' }).engine;
    call(q, { call: 'iommu_paging_domain_alloc', args: { dev: 'A', name: 'U' } });
    expect(call(q, { call: 'iommufd_viommu_alloc', args: { name: 'v', parent: 'U', dev: 'A' } }).ret).toBe('EOPNOTSUPP');
  });

  it('the parent cannot be freed while the vIOMMU sits on it', () => {
    const e = hostSetup();
    expect(call(e, { call: 'iommu_domain_free', args: { domain: 'S2' } }).findings[0]).toMatchObject({ rule: 'free-while-attached' });
  });
});
