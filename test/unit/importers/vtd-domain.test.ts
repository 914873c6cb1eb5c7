import { describe, expect, it } from 'vitest';
import { importDump } from '../../../src/importers/importDump.ts';
import { fixture, linesWhere, sample } from './load.ts';

const PAGE_ROW = /^0x[0-9a-f]+ \|/;

describe('domain_translation_struct, legacy (one file, kernels before 6.7)', () => {
  const text = sample('vtd-legacy');
  const domains = importDump(text).vtd!.domains;

  it('reads one table per device header and one row per page', () => {
    expect(domains.map((d) => d.dump.device)).toEqual(linesWhere(text, (l) => l.startsWith('Device ')).map((n) => text.split('\n')[n - 1]!.split(' ')[1]));
    expect(domains.reduce((n, d) => n + d.dump.rows.length, 0)).toBe(linesWhere(text, (l) => PAGE_ROW.test(l)).length);
  });

  it('links each table to its context entry: second stage, and the same table address', () => {
    for (const d of domains) {
      expect(d.stage).toBe('second');
      expect(d.notes).toEqual([]);
    }
  });

  it('decodes leaves: 4KB PTEs and 2MB PDEs (PS set), addresses and access', () => {
    const gfx = domains.find((d) => d.dump.device === '0000:00:02.0')!.dump;
    const big = gfx.rows.filter((r) => r.leafLevel === 2);
    expect(big.length).toBeGreaterThan(0);
    for (const r of big) {
      expect(r.size).toBe(2n << 20n);
      // The RMRR is mapped one to one.
      expect(r.address).toBe(r.iova);
      expect(r.notes).toEqual([]);
    }
    const small = gfx.rows.filter((r) => r.leafLevel === 1);
    for (const r of small) {
      const pte = r.path.find((p) => p.level === 1)!.value;
      expect(r.address).toBe(pte & 0xffffffffff000n);
      expect(r.read).toBe((pte & 1n) === 1n);
      expect(r.write).toBe((pte & 2n) === 2n);
    }
    const wifi = domains.find((d) => d.dump.device === '0000:02:00.0')!.dump;
    expect(wifi.rows.some((r) => r.read && !r.write)).toBe(true);
  });
});

describe('domain_translation_struct, scalable (per device, Linux 6.7 and later)', () => {
  const domains = importDump(sample('vtd-scalable')).vtd!.domains;

  it('takes the stage from the PASID entry\'s PGTT', () => {
    expect(domains.map((d) => [d.dump.device, d.dump.pasid, d.stage])).toEqual([
      ['0000:6a:01.0', 0, 'first'],
      ['0000:17:00.0', 0, 'first'],
      ['0000:17:00.1', 0, 'second'],
      ['0000:00:14.0', 0, 'first'],
    ]);
    for (const d of domains) expect(d.notes).toEqual([]);
  });

  it('reads rows that stop at a large-page leaf (1GB PDPE, 2MB PDE)', () => {
    const vm = domains.find((d) => d.dump.device === '0000:17:00.1')!.dump;
    expect(vm.rows.map((r) => r.leafLevel).sort()).toEqual([2, 2, 2, 2, 3, 3]);
    const gig = vm.rows.filter((r) => r.leafLevel === 3);
    for (const r of gig) {
      expect(r.size).toBe(1n << 30n);
      expect(r.iova % (1n << 30n)).toBe(0n);
      expect(r.notes).toEqual([]);
    }
  });

  it('says when the two dumps disagree about a table address', () => {
    const text = sample('vtd-scalable').replace('Device 0000:17:00.0 with pasid 0 @0x10e310000', 'Device 0000:17:00.0 with pasid 0 @0x10e999000');
    const d = importDump(text).vtd!.domains.find((x) => x.dump.device === '0000:17:00.0')!;
    expect(d.notes.join(' ')).toContain("FLPTR is 0x10e310000, not 0x10e999000");
  });

  it('without dmar_translation_struct, a scalable table\'s stage is unknown and it says how to learn it', () => {
    const text = sample('vtd-scalable');
    const d = importDump(text.slice(text.indexOf('Device '))).vtd!.domains[0]!;
    expect(d.stage).toBe('unknown');
    expect(d.stageReason).toContain('paste dmar_translation_struct too');
  });
});

describe('domain_translation_struct, malformed', () => {
  it('reports bad page rows by line, and notes a leaf with PS clear', () => {
    const text = fixture('vtd-malformed.txt');
    const r = importDump(text);
    const bad = r.problems.find((p) => p.line === 13);
    expect(bad?.reason).toContain('the IOVA_PFN "0x0000000zzzzzz" is not a hex page number');
    const d = r.vtd!.domains[0]!.dump;
    expect(d.rows.map((row) => row.line)).toEqual([11, 12, 14]);
    expect(d.rows.find((row) => row.line === 12)?.notes.join(' ')).toContain('PS clear');
  });

  it('reports page rows before any Device header once, and keeps them', () => {
    const r = importDump('0x00000000fffff |\t0x0\t0x10b200003\t0x10b201003\t0x10b202003\t0x2c8e01003\n0x00000000ffffe |\t0x0\t0x10b200003\t0x10b201003\t0x10b202003\t0x2c8e60003\n');
    expect(r.problemCount).toBe(1);
    expect(r.vtd!.domains[0]!.dump.rows).toHaveLength(2);
  });
});
