import { describe, expect, it } from 'vitest';
import { bridgeKind, idsText, parseLspciLine } from '../../../src/importers/lspci.ts';
import { formatBdf } from '../../../src/importers/bdf.ts';

const device = (line: string) => {
  const r = parseLspciLine(line);
  if (r?.kind !== 'device') throw new Error(`not parsed: ${line} -> ${JSON.stringify(r)}`);
  return r.device;
};

describe('lspci -nn lines', () => {
  it('reads the address, class, name, ids and revision', () => {
    const d = device('00:1f.3 Audio device [0403]: Intel Corporation Cannon Lake PCH cAVS [8086:a348] (rev 10)');
    expect(formatBdf(d.bdf)).toBe('0000:00:1f.3');
    expect(d.className).toBe('Audio device');
    expect(d.classCode).toBe(0x0403);
    expect(d.name).toBe('Intel Corporation Cannon Lake PCH cAVS');
    expect(idsText(d)).toBe('8086:a348');
    expect(d.revision).toBe(0x10);
  });

  it('keeps brackets inside product names and takes the last [vvvv:dddd] as the ids', () => {
    const d = device('01:00.0 VGA compatible controller [0300]: NVIDIA Corporation TU106 [GeForce RTX 2070] [10de:1f02] (rev a1)');
    expect(d.name).toBe('NVIDIA Corporation TU106 [GeForce RTX 2070]');
    expect(d.vendorId).toBe(0x10de);
    expect(d.deviceId).toBe(0x1f02);
  });

  it('reads a domain prefix (lspci -D), no revision, and a prog-if from -v', () => {
    const d = device('0001:02:00.0 Non-Volatile memory controller [0108]: Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983 [144d:a808] (prog-if 02 [NVM Express])');
    expect(formatBdf(d.bdf)).toBe('0001:02:00.0');
    expect(d.revision).toBeUndefined();
    expect(idsText(d)).toBe('144d:a808');
  });

  it('reads plain lspci (no -nn) with the class and name only', () => {
    const d = device('00:14.0 USB controller: Intel Corporation Cannon Lake PCH USB 3.1 xHCI Host Controller (rev 10)');
    expect(d.classCode).toBeUndefined();
    expect(d.vendorId).toBeUndefined();
    expect(d.name).toBe('Intel Corporation Cannon Lake PCH USB 3.1 xHCI Host Controller');
  });

  it('says why an address is not a PCI address, and ignores lines that are not lspci at all', () => {
    expect(parseLspciLine('00:20.0 Host bridge [0600]: X [8086:0000]')).toMatchObject({ kind: 'bad', reason: expect.stringContaining('00-1f') });
    expect(parseLspciLine('Segmentation fault')).toBeUndefined();
    expect(parseLspciLine('00:02.0\t0x0000000000000000:0x000000010a5f5001\t0x0000000000000102:0x000000010a5f7001')).toBeUndefined();
  });

  it('names bridges by class code: host 0600, ISA 0601, PCI 0604 and 0609', () => {
    expect(bridgeKind(0x0600)).toBe('host-bridge');
    expect(bridgeKind(0x0601)).toBe('isa-bridge');
    expect(bridgeKind(0x0604)).toBe('pci-bridge');
    expect(bridgeKind(0x0609)).toBe('pci-bridge');
    expect(bridgeKind(0x0680)).toBe('other-bridge');
    expect(bridgeKind(0x0300)).toBeUndefined();
    expect(bridgeKind(undefined)).toBeUndefined();
  });
});
