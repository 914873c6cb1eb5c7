import { describe, expect, it } from 'vitest';
import { Engine } from '../../../src/engine/index.ts';
import { boot, call, commandsOf, dma, group, MULTI, RW, SINGLE, steConfig, steWords } from './helpers.ts';

describe('linux.boot: probe, groups, default domains, first attach', () => {
  it('probes the SMMU when nothing did, with a 2-level stream table, and reports it', () => {
    const { booted } = boot(SINGLE);
    expect(booted.smmu?.result.streamTable.fmt).toBe('2-level');
    expect(booted.smmu?.result.registers.at(-1)).toMatchObject({ register: 'CR0', value: 0b1101n });
  });

  it('uses an SMMU an smmu.probe step brought up, and refuses a second boot', () => {
    const e = new Engine();
    e.apply({ kind: 'smmu.probe', preset: 'full', options: { streamTable: '2-level' } });
    const [ev] = e.apply({ kind: 'linux.boot', devices: SINGLE });
    expect(ev).toMatchObject({ kind: 'linux.booted' });
    expect(ev && 'smmu' in ev ? ev.smmu : undefined).toBeUndefined();
    expect(e.apply({ kind: 'linux.boot', devices: SINGLE })[0]).toMatchObject({ kind: 'command.rejected', message: expect.stringMatching(/already booted/) });
  });

  it('refuses a kernel call before boot, naming the step to add', () => {
    expect(new Engine().apply({ kind: 'linux.call', call: 'iommu_domain_alloc', args: { name: 'U' } })[0]).toMatchObject({ kind: 'command.rejected', message: expect.stringMatching(/linux\.boot/) });
  });

  it('gives every group a strict DMA default domain by default (arm64) and attaches it: CD 0 then a CD-table STE', () => {
    const { engine, booted } = boot(SINGLE);
    const g = group(engine, 'A');
    expect(g).toMatchObject({ domain: g.defaultDomain, owner: null, ownerCnt: 0, blockingDomain: null });
    expect(engine.linux?.domains.find((d) => d.name === g.domain)?.type).toBe('DMA');
    expect(steConfig(engine, 0x100)).toBe(5);
    // Linux writes the CD before the STE that points at it.
    const order = booted.hw.filter((h) => (h.kind === 'cd' || h.kind === 'ste') && h.device === 'A').map((h) => h.kind);
    expect(order).toEqual(['cd', 'ste']);
    const ste = booted.hw.find((h) => h.kind === 'ste' && h.device === 'A');
    expect(ste?.kind === 'ste' && ste.update.plan.hitless).toBe(true);
  });

  it('leaves a stream blocked (abort STE) before its first attach: every STE of a new L2 table aborts', () => {
    const { engine, booted } = boot(SINGLE);
    expect(booted.hw.some((h) => h.kind === 'alloc' && h.what === 'L2 stream table for StreamIDs 256..511')).toBe(true);
    const others = [0x101, 0x180, 0x1ff].map((sid) => steConfig(engine, sid));
    expect(others).toEqual([0, 0, 0]);
    expect(dma(engine, 'A', 0x1000n).outcome.result).toBe('terminated');
    expect(booted.checkpoints[0]).toMatchObject({ old: null, devices: [{ domain: null }] });
  });

  it('DMA_FQ (iommu.strict=0) and IDENTITY (iommu.passthrough=1) as the global default', () => {
    const fq = boot(SINGLE, { defaultDomainType: 'DMA_FQ' }).engine;
    expect(fq.linux?.domains.find((d) => d.name === group(fq, 'A').domain)?.type).toBe('DMA_FQ');
    const pt = boot(SINGLE, { defaultDomainType: 'IDENTITY' });
    expect(group(pt.engine, 'A').domain).toBe('arm_smmu_identity_domain');
    expect(steConfig(pt.engine, 0x100)).toBe(4);
    expect(dma(pt.engine, 'A', 0x1234_5678n)).toMatchObject({ landed: 'domain', outcome: { result: 'bypassed', output: 0x1234_5678n } });
  });

  it('a driver\'s def_domain_type wins over the global default; IDENTITY wins a conflict within a group', () => {
    const { engine, booted } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'ptt', bdf: '01:00.0', parent: 'rp', defDomainType: 'IDENTITY' },
      { name: 'f0', bdf: '01:00.1', parent: 'rp', defDomainType: 'DMA' },
    ]);
    expect(group(engine, 'ptt').devices).toEqual(['ptt', 'f0']);
    expect(group(engine, 'ptt').domain).toBe('arm_smmu_identity_domain');
    expect(booted.warnings.join('\n')).toMatch(/conflicting def_domain_type/);
  });

  it('an untrusted device forces a DMA domain even under passthrough', () => {
    const { engine } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'A', bdf: '01:00.0', parent: 'rp', untrusted: true },
    ], { defaultDomainType: 'IDENTITY' });
    expect(engine.linux?.domains.find((d) => d.name === group(engine, 'A').domain)?.type).toBe('DMA');
  });

  it('binds the drivers named: a kernel driver counts in owner_cnt, vfio-pci (driver_managed_dma) does not', () => {
    const { engine, booted } = boot([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'nvme', bdf: '01:00.0', parent: 'rp', driver: 'nvme' },
      { name: 'gpu', bdf: '00:02.0', driver: 'vfio-pci' },
    ]);
    expect(booted.boot.drivers).toEqual([{ device: 'nvme', driver: 'nvme', ret: 0 }, { device: 'gpu', driver: 'vfio-pci', ret: 0 }]);
    expect(group(engine, 'nvme').ownerCnt).toBe(1);
    expect(group(engine, 'gpu').ownerCnt).toBe(0);
    expect(engine.linux?.devices.find((d) => d.name === 'nvme')?.driver).toBe('nvme');
  });

  it('a device whose StreamID is beyond a linear stream table fails its probe with -ERANGE', () => {
    const { booted } = boot(SINGLE, { streamTable: 'linear' });
    expect(booted.boot.probed).toEqual([
      expect.objectContaining({ device: 'rp0', ret: 0 }),
      expect.objectContaining({ device: 'A', ret: 'ERANGE', group: null }),
    ]);
  });

  it('DMA reaches what iommu_map puts in the default domain, through the device\'s own StreamID', () => {
    const { engine } = boot([...SINGLE, ...MULTI]);
    const d = group(engine, 'B1').domain as string;
    expect(call(engine, { call: 'iommu_map', args: { domain: d, iova: 0x10_0000n, paddr: 0x8_0000_0000n, size: 0x2000n, prot: RW } }).ret).toBe(0);
    expect(dma(engine, 'B1', 0x10_1004n)).toMatchObject({ sid: 0x201, landed: 'domain', outcome: { result: 'translated', output: 0x8_0000_1004n } });
    expect(dma(engine, 'B0', 0x10_0004n)).toMatchObject({ sid: 0x200, landed: 'domain', outcome: { output: 0x8_0000_0004n } });
    expect(dma(engine, 'A', 0x10_0004n)).toMatchObject({ landed: 'blocked', outcome: { result: 'terminated', event: { name: 'F_TRANSLATION' } } });
  });

  it('gives each stage-1 domain its own ASID, from 1 up, and STE S2VMID 0', () => {
    const { engine, booted } = boot([...SINGLE, ...MULTI]);
    const asids = engine.linux?.domains.filter((d) => d.smmu).map((d) => d.smmu?.asid);
    expect(asids).toEqual([1, 2, 3, 4]);
    expect(steWords(engine, 0x200)[2]).toBe(0n);
    expect(commandsOf(booted).filter((c) => c === 'CMD_PREFETCH_CONFIG')).toHaveLength(5);
  });

  it('a PASID-capable device gets a CD table of 2^ssid_bits CDs (linear, at most 2^10) and S1DSS = SSID0 for DMA without a PASID', () => {
    const { engine, booted } = boot([{ name: 'rp0', bdf: '00:01.0', type: 'root-port', acs: true }, { name: 'A', bdf: '01:00.0', parent: 'rp0', pasidBits: 20 }]);
    const m = engine.linux?.masters.find((x) => x.device === 'A');
    expect(m).toMatchObject({ ssidBits: 10, cdTable: { bytes: 0x1_0000n, s1cdmax: 10 } });
    expect(booted.hw.some((h) => h.kind === 'alloc' && h.what.startsWith('CD table of A (1024 CDs)'))).toBe(true);
    const q0 = steWords(engine, 0x100)[0] as bigint;
    expect(Number(q0 >> 59n)).toBe(10);
    expect(Number((steWords(engine, 0x100)[1] as bigint) & 3n)).toBe(2);
    expect(engine.linux?.devices.find((d) => d.name === 'A')?.iommu?.maxPasids).toBe(1 << 20);
    call(engine, { call: 'iommu_map', args: { domain: group(engine, 'A').domain as string, iova: 0x1000n, paddr: 0x8_0000_0000n, size: 0x1000n, prot: RW } });
    expect(dma(engine, 'A', 0x1000n)).toMatchObject({ landed: 'domain', outcome: { output: 0x8_0000_0000n } });
  });
});

describe('bad Linux commands are refused, naming the field, and change nothing', () => {
  it('an unknown call, missing or mistyped args, a bad in-flight DMA, a bad linux.dma', () => {
    const { engine } = boot(SINGLE);
    const before = JSON.stringify(engine.linux, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    const bad = [
      [{ kind: 'linux.call', call: 'iommu_frobnicate', args: {} }, 'call'],
      [{ kind: 'linux.call', call: 'iommu_map', args: { domain: 'x', iova: 1, paddr: 0n, size: 0x1000n, prot: RW } }, 'args.iova'],
      [{ kind: 'linux.call', call: 'iommu_attach_group' }, 'args'],
      [{ kind: 'linux.call', call: 'iommu_map', args: { domain: 'x', iova: 0n, paddr: 0n, size: 0x1000n, prot: { read: true } } }, 'args.prot'],
      [{ kind: 'linux.call', call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'v' }, inflight: [{ device: 'A', iova: 5, access: { kind: 'read', privileged: false } }] }, 'inflight[0].iova'],
      [{ kind: 'linux.call', call: 'iommu_group_claim_dma_owner', args: { group: 'A', owner: 'v' }, inflight: [{ device: 'Z', iova: 5n, access: { kind: 'read', privileged: false } }] }, 'inflight[0].device'],
      [{ kind: 'linux.dma', device: 'A', iova: 16, access: { kind: 'read', privileged: false } }, 'iova'],
      [{ kind: 'linux.dma', device: 'nobody', iova: 16n, access: { kind: 'read', privileged: false } }, 'device'],
    ] as const;
    for (const [command, field] of bad) {
      expect(engine.apply(command as never)).toEqual([expect.objectContaining({ kind: 'command.rejected', field })]);
    }
    expect(JSON.stringify(engine.linux, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before);
  });
});
