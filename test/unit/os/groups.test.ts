import { describe, expect, it } from 'vitest';
import type { PciDeviceSpec } from '../../../src/engine/index.ts';
import { boot, dma, group, steConfig } from './helpers.ts';

const groupsOf = (specs: readonly PciDeviceSpec[]) => {
  const { engine, booted, findings } = boot(specs);
  const byDevice = new Map(booted.boot.probed.map((p) => [p.device, p.group]));
  return { engine, booted, findings, byDevice };
};

describe('iommu groups as pci_device_group forms them', () => {
  it('PG1: an endpoint under an ACS root port has a group of its own', () => {
    const { byDevice } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'A', bdf: '01:00.0', parent: 'rp' },
    ]);
    expect(byDevice.get('A')).not.toBe(byDevice.get('rp'));
  });

  it('PG2: the functions of a multi-function endpoint without ACS share one group', () => {
    const { byDevice, booted } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'f0', bdf: '01:00.0', parent: 'rp' },
      { name: 'f1', bdf: '01:00.1', parent: 'rp' },
    ]);
    expect(byDevice.get('f0')).toBe(byDevice.get('f1'));
    expect(booted.boot.probed.find((p) => p.device === 'f1')?.why).toMatch(/another function of its slot/);
  });

  it('PG3: the same functions with ACS enabled are isolated', () => {
    const { byDevice } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'f0', bdf: '01:00.0', parent: 'rp', acs: true },
      { name: 'f1', bdf: '01:00.1', parent: 'rp', acs: true },
    ]);
    expect(byDevice.get('f0')).not.toBe(byDevice.get('f1'));
  });

  it('a pci_dev_specific_acs_enabled quirk isolates functions without an ACS capability', () => {
    const { byDevice } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'f0', bdf: '01:00.0', parent: 'rp', acsQuirk: true },
      { name: 'f1', bdf: '01:00.1', parent: 'rp', acsQuirk: true },
    ]);
    expect(byDevice.get('f0')).not.toBe(byDevice.get('f1'));
  });

  it('PG4: endpoints under a switch whose downstream ports lack ACS join their port\'s group', () => {
    const { byDevice, engine } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'up', bdf: '01:00.0', type: 'upstream-port', parent: 'rp' },
      { name: 'dp0', bdf: '02:00.0', type: 'downstream-port', parent: 'up' },
      { name: 'dp1', bdf: '02:01.0', type: 'downstream-port', parent: 'up' },
      { name: 'e0', bdf: '03:00.0', parent: 'dp0' },
      { name: 'e1', bdf: '04:00.0', parent: 'dp1' },
    ]);
    expect(byDevice.get('e0')).toBe(byDevice.get('dp0'));
    expect(byDevice.get('e1')).toBe(byDevice.get('dp1'));
    expect(byDevice.get('e0')).not.toBe(byDevice.get('e1'));
    // The port created the group when it was probed, and sits in it too.
    expect(group(engine, 'e0').devices).toEqual(['dp0', 'e0']);
  });

  it('a root port without ACS pulls everything below it into its group', () => {
    const { byDevice } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port' },
      { name: 'up', bdf: '01:00.0', type: 'upstream-port', parent: 'rp' },
      { name: 'dp0', bdf: '02:00.0', type: 'downstream-port', parent: 'up', acs: true },
      { name: 'e0', bdf: '03:00.0', parent: 'dp0' },
    ]);
    expect(new Set(byDevice.values()).size).toBe(1);
  });

  it('a quirked DMA alias (a phantom function) adds that requester ID to the device\'s StreamIDs', () => {
    const { booted } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'sata', bdf: '01:00.0', parent: 'rp', dmaAliases: ['00.1'] },
    ]);
    expect(booted.boot.probed.find((p) => p.device === 'sata')?.streamIds).toEqual([0x100, 0x101]);
  });

  it('a real function at a quirked alias would share the group, but arm-smmu-v3 refuses its StreamID first', () => {
    const { byDevice, findings } = groupsOf([
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'sata', bdf: '01:00.0', parent: 'rp', dmaAliases: ['00.1'] },
      { name: 'other', bdf: '01:00.1', parent: 'rp', acs: true },
    ]);
    expect(byDevice.get('other')).toBeNull();
    expect(findings[0]).toMatchObject({ rule: 'aliasing-streamid', device: 'other', sid: 0x101 });
  });

  describe('PG5: a PCIe-to-PCI bridge with two conventional devices', () => {
    const specs: PciDeviceSpec[] = [
      { name: 'rp', bdf: '00:01.0', type: 'root-port', acs: true },
      { name: 'br', bdf: '01:00.0', type: 'pcie-to-pci-bridge', parent: 'rp' },
      { name: 'd1', bdf: '02:01.0', type: 'pci', parent: 'br' },
      { name: 'd2', bdf: '02:02.0', type: 'pci', parent: 'br' },
    ];

    it('puts the first device in the bridge\'s group with the StreamID of the alias 02:00.0 too', () => {
      const { booted, byDevice } = groupsOf(specs);
      expect(byDevice.get('d1')).toBe(byDevice.get('br'));
      expect(booted.boot.probed.find((p) => p.device === 'd1')?.streamIds).toEqual([0x0208, 0x0200]);
    });

    it('refuses the second device: Aliasing StreamID unsupported, -ENODEV, no group', () => {
      const { booted, byDevice, findings } = groupsOf(specs);
      expect(booted.boot.probed.find((p) => p.device === 'd2')).toMatchObject({ ret: 'ENODEV', group: null });
      expect(byDevice.get('d2')).toBeNull();
      expect(findings).toEqual([expect.objectContaining({ rule: 'aliasing-streamid', device: 'd2', sid: 0x200 })]);
    });

    it('installs the bridged device\'s configuration in both of its STEs', () => {
      const { engine } = groupsOf(specs);
      expect(steConfig(engine, 0x208)).toBe(5);
      expect(steConfig(engine, 0x200)).toBe(5);
    });

    it('lets the second device\'s DMA, carrying StreamID 0x200, through the first device\'s domain: an isolation finding', () => {
      const { engine } = groupsOf(specs);
      const domain = group(engine, 'd1').domain as string;
      const m = engine.apply({ kind: 'linux.call', call: 'iommu_map', args: { domain, iova: 0x5000n, paddr: 0x9_0000_0000n, size: 0x1000n, prot: { read: true, write: true, exec: false, priv: false } } });
      expect(m[0]).toMatchObject({ ret: 0 });
      const r = dma(engine, 'd2', 0x5008n);
      expect(r).toMatchObject({ sid: 0x200, group: null, landed: 'outside', outcome: { result: 'translated', output: 0x9_0000_0008n } });
      expect(r.findings[0]).toMatchObject({ rule: 'isolation', device: 'd2' });
      expect(dma(engine, 'd1', 0x5008n)).toMatchObject({ sid: 0x200, landed: 'domain' });
    });
  });

  it('refuses a topology it cannot place, naming the field', () => {
    const e = boot([]).engine;
    expect(e.linux?.devices).toEqual([]);
    const bad = [
      [{ name: 'x', bdf: '01:00.0', parent: 'nope' }],
      [{ name: 'x', bdf: 'zz' }],
      [{ name: 'x', bdf: '00:01.0' }, { name: 'x', bdf: '00:02.0' }],
      [{ name: 'e', bdf: '00:01.0' }, { name: 'y', bdf: '01:00.0', parent: 'e' }],
    ] as PciDeviceSpec[][];
    for (const devices of bad) {
      const out = new (e.constructor as new () => typeof e)().apply({ kind: 'linux.boot', devices });
      expect(out).toEqual([expect.objectContaining({ kind: 'command.rejected', field: expect.stringMatching(/^devices\[\d\]\.(parent|bdf|name)$/) })]);
    }
  });
});
