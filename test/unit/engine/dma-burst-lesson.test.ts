/**
 * The smmu-million-dmas lesson, run through the scenario runner on the real
 * engine, against what its notes say and what a reader works out by hand:
 * a 2MB buffer of 512 pages streamed a million times in 64-byte steps misses
 * once per page; a 32MB buffer (8192 pages, twice the IOTLB) misses once per
 * page visited (1,000,000 / 64 = 15,625); jumping a page at a time through it
 * never hits. The checksum is recomputed here from the mapping's formula.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/builtin.ts';
import { stepLabel } from '../../../src/scenario/label.ts';
import { runScenario } from '../../../src/scenario/run.ts';

function mix(h: number, lo: number, hi: number): number {
  h = Math.imul(h ^ lo, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h ^ hi, 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}

/** The checksum of a burst over [iova, iova + span) mapped page by page to paddr + (iova offset). */
function expectedChecksum(count: number, stride: number, span: number, paddr: bigint): string {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < count; i++) {
    const pa = paddr + BigInt((i * stride) % span);
    h = mix(h, Number(pa & 0xffff_ffffn) | 0, Number(pa >> 32n) | 0);
  }
  return `0x${(h >>> 0).toString(16).padStart(8, '0')}`;
}

describe('the smmu-million-dmas lesson', () => {
  it('shows the hit rates its notes give, for the addresses the mappings say', () => {
    const s = builtinScenario('smmu-million-dmas');
    if (!s) throw new Error('lesson missing');
    const lines = [...runScenario(s)];
    const bursts = lines.filter((l) => l.kind === 'smmu.dmaBurst');
    expect(lines.filter((l) => 'error' in l)).toEqual([]);
    expect(bursts).toMatchObject([
      { count: 1_000_000, translated: 1_000_000, terminated: 0, iotlb: { hits: 999_488, misses: 512, hitRate: '99.95%' }, configCache: { hits: 999_999, misses: 1 }, faults: {} },
      { count: 1_000_000, translated: 1_000_000, iotlb: { hits: 984_375, misses: 15_625, hitRate: '98.44%' }, configCache: { hits: 1_000_000, misses: 0 } },
      { count: 1_000_000, translated: 1_000_000, iotlb: { hits: 0, misses: 1_000_000, hitRate: '0.00%' } },
    ]);
    expect(bursts.map((b) => ('checksum' in b ? b.checksum : ''))).toEqual([
      expectedChecksum(1_000_000, 0x40, 0x20_0000, 0x8_8000_1000n),
      expectedChecksum(1_000_000, 0x40, 0x200_0000, 0x9_0000_1000n),
      expectedChecksum(1_000_000, 0x1000, 0x200_0000, 0x9_0000_1000n),
    ]);
    for (const step of s.steps) {
      if (step.kind !== 'smmu.dmaBurst') continue;
      expect(stepLabel(step)).toMatch(/^1,000,000 DMAs sid 3 read 0x(0000_0000_)?[12]000_0000, stride 0x[0-9a-f_]+, within 0x[0-9a-f_]+$/);
      expect(step.note).toMatch(/hit|miss/);
    }
    const notes = s.steps.filter((x) => x.kind === 'smmu.dmaBurst').map((x) => x.note ?? '');
    expect(notes[0]).toContain('99.95%');
    expect(notes[1]).toContain('98.44%');
    expect(notes[2]).toContain('1,000,000 misses');
  }, 60_000);
});
