import { describe, expect, it } from 'vitest';
import { importDump } from '../../../src/importers/importDump.ts';
import { formatBdf } from '../../../src/importers/bdf.ts';
import { fixture, linesWhere, sample } from './load.ts';

const FIND_LINE = /^\/sys\/kernel\/iommu_groups\/(\d+)\/devices\/(\S+)$/;

describe('find /sys/kernel/iommu_groups with lspci -nn (the desktop sample)', () => {
  const text = sample('groups-desktop');
  const r = importDump(text);
  const findLines = text.split('\n').map((l) => FIND_LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);

  it('recognises both formats and reads every line', () => {
    expect(r.kinds).toEqual(['iommu-groups', 'lspci']);
    expect(r.problemCount).toBe(0);
    expect(r.parsedLines).toBe(r.nonBlankLines);
  });

  it('puts every device in the group its path names, sorted by group number', () => {
    const groups = r.groups!;
    expect(groups.groups.map((g) => g.id)).toEqual([...new Set(findLines.map((m) => Number(m[1])))].sort((a, b) => a - b));
    expect(groups.deviceCount).toBe(findLines.length);
    for (const m of findLines) {
      const g = groups.groups.find((x) => x.id === Number(m[1]));
      expect(g?.devices.map((d) => d.name)).toContain(m[2]);
    }
    expect(groups.ungrouped).toEqual([]);
  });

  it('names each device from its lspci line', () => {
    const gpu = r.groups!.groups.flatMap((g) => g.devices).find((d) => d.name === '0000:01:00.0');
    expect(gpu?.lspci?.name).toBe('NVIDIA Corporation TU106 [GeForce RTX 2070]');
    expect(gpu?.lspci?.classCode).toBe(0x0300);
    const rootPort = r.groups!.groups.flatMap((g) => g.devices).find((d) => d.name === '0000:00:01.0');
    expect(rootPort?.bridge).toBe('pci-bridge');
  });

  it('says which devices must go together and which can go alone', () => {
    const c = r.consequences!;
    const verdict = (id: number) => c.groups.find((g) => g.groupId === id);
    // Group 1: the CPU root port, the GPU and its three other functions.
    expect(verdict(1)?.verdict).toBe('together');
    const g1 = verdict(1)!.sentences.join(' ');
    expect(g1).toContain('Together: 0000:01:00.0, 0000:01:00.1, 0000:01:00.2 and 0000:01:00.3');
    expect(g1).toContain('PCI bridge 0000:00:01.0');
    expect(g1).toMatch(/functions of one device \(0000:01:00\).*graphics card and its HDMI audio/);
    // NVMe drives behind their own root ports are alone.
    expect(verdict(11)?.verdict).toBe('alone');
    expect(verdict(11)?.sentences[0]).toContain('0000:02:00.0 (Non-Volatile memory controller)');
    // Root ports alone, and the host bridge: nothing to pass.
    expect(verdict(7)?.verdict).toBe('bridges-only');
    expect(verdict(0)?.sentences[0]).toContain('host bridge 0000:00:00.0');
    // The PCH's 1f group holds the LPC bridge.
    expect(verdict(10)?.sentences.join(' ')).toContain('ISA bridge 0000:00:1f.0');
    // The dump cannot tell drivers.
    expect(c.overall.join(' ')).toContain('which driver each device is bound to');
    const alone = c.groups.filter((g) => g.verdict === 'alone').length;
    expect(c.overall[0]).toContain(`${alone} devices alone`);
  });

  it('notices a device whose functions sit in different groups', () => {
    // 00:1c.0 and 00:1c.4 are root ports #1 and #5: functions of one device, isolated from each other.
    expect(r.consequences!.overall.join(' ')).toMatch(/functions of 0000:00:1c are in different groups \(8 and 9\)/);
  });
});

describe('ls -l listings with symlink targets', () => {
  const text = fixture('groups-ls-server.txt');
  const r = importDump(text);

  it('reads headers, "total" lines and symlinks, with no problems', () => {
    expect(r.problemCount).toBe(0);
    expect(r.kinds).toEqual(['iommu-groups']);
    expect(r.groups!.deviceCount).toBe(linesWhere(text, (l) => l.startsWith('lrwx')).length);
  });

  it('learns the PCI tree from the targets: parents, and bridges by being parents', () => {
    const all = r.groups!.groups.flatMap((g) => g.devices);
    const nvme = all.find((d) => d.name === '0000:b3:00.0');
    expect(nvme?.parents?.map(formatBdf)).toEqual(['0000:b0:02.0', '0000:b1:00.0', '0000:b2:00.0']);
    expect(all.find((d) => d.name === '0000:b2:00.0')?.bridge).toBe('pci-bridge');
    expect(all.find((d) => d.name === '0000:b3:00.0')?.bridge).toBeUndefined();
  });

  it('reads a switch without ACS as one group that must go together', () => {
    const g31 = r.consequences!.groups.find((g) => g.groupId === 31)!;
    expect(g31.verdict).toBe('together');
    expect(g31.sentences[0]).toContain('Together: 0000:b3:00.0 and 0000:b4:00.0');
    expect(g31.sentences.filter((s) => s.startsWith('It includes the PCI bridge'))).toHaveLength(2);
    // Without lspci the page says what it cannot know.
    expect(r.consequences!.overall.join(' ')).toContain('Without lspci -nn the classes are unknown');
  });

  it('refuses a symlink line with no header above it, and says why', () => {
    const r2 = importDump('lrwxrwxrwx 1 root root 0 Jun 12 09:14 0000:17:00.0 -> ../../../../devices/pci0000:16/0000:16:01.0/0000:17:00.0');
    expect(r2.problems[0]).toMatchObject({ line: 1, reason: expect.stringContaining('no "/sys/kernel/iommu_groups/<group>/devices:" header') });
  });
});

describe('the Arch wiki loop ("IOMMU Group N:" and indented lspci -nns lines)', () => {
  const r = importDump(fixture('groups-arch-script.txt'));

  it('reads headers, indented members and one-line "IOMMU Group N <lspci>" entries', () => {
    expect(r.problemCount).toBe(0);
    expect(r.groups!.groups.map((g) => [g.id, g.devices.length])).toEqual([[0, 1], [1, 3], [2, 1], [11, 1], [12, 1], [13, 1]]);
    expect(r.groups!.groups.find((g) => g.id === 12)?.devices[0]?.lspci?.name).toBe('Intel Corporation Wi-Fi 6 AX200');
  });

  it('does not put a later, unindented lspci listing into the last group', () => {
    const text = `${fixture('groups-arch-script.txt').replace(/IOMMU Group 1[23].*\n/g, '')}$ lspci -nn\n03:00.0 Network controller [0280]: Intel Corporation Wi-Fi 6 AX200 [8086:2723] (rev 1a)\n`;
    const r2 = importDump(text);
    expect(r2.groups!.groups.find((g) => g.id === 11)?.devices).toHaveLength(1);
    expect(r2.groups!.ungrouped.map((d) => formatBdf(d.bdf))).toEqual(['0000:03:00.0']);
  });
});

describe('platform devices and malformed group listings', () => {
  it('keeps non-PCI members (Arm platform devices) under their names', () => {
    const r = importDump('/sys/kernel/iommu_groups/3/devices/fe200000.dma\n/sys/kernel/iommu_groups/4/devices/2b500000.gpu\n');
    expect(r.problemCount).toBe(0);
    expect(r.groups!.groups.map((g) => g.devices[0]?.name)).toEqual(['fe200000.dma', '2b500000.gpu']);
    expect(r.consequences!.overall.join(' ')).toContain('not PCI devices');
  });

  it('reports each bad line with its number and text, and keeps the rest', () => {
    const text = fixture('groups-malformed.txt');
    const r = importDump(text);
    const lines = text.split('\n');
    expect(r.problems.map((p) => p.line)).toEqual([3, 5, 9, 10]);
    for (const p of r.problems) expect(p.text).toBe(lines[p.line - 1]);
    expect(r.problems[0]?.reason).toContain('not a line of any accepted format');
    expect(r.problems[1]?.reason).toContain('/sys/kernel/iommu_groups/<group>/devices/<device>');
    expect(r.problems[2]?.reason).toContain('not a PCI address');
    expect(r.problems[3]?.reason).toContain('already in group 1 (line 4)');
    expect(r.parsedLines).toBe(r.nonBlankLines - 4);
    expect(r.groups!.groups.map((g) => [g.id, g.devices.map((d) => d.name)])).toEqual([
      [1, ['0000:00:01.0', '0000:01:00.0', '0000:01:00.1']],
      [2, ['0000:02:00.0']],
    ]);
  });
});
