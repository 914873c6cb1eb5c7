/**
 * The nested-translation lesson, run on the real engine, against results
 * worked out by hand and checked against the lesson's own stage-1 and
 * stage-2 mappings: where each address goes, and how many descriptors the
 * nested walk has to read to get there.
 */
import { describe, expect, it } from 'vitest';
import { parseU64 } from '../../../src/engine/index.ts';
import { dmaAt, grouped16, lesson, PAGE } from './smmu-lessons.ts';

describe('smmu-nested', () => {
  const { scenario, results } = lesson('smmu-nested');

  it('runs without an engine rejection', () => {
    expect(results.filter((r) => 'error' in r)).toEqual([]);
  });

  /** Leaf level of a mapping of this size with a 4KB granule. */
  const leafLevel = (size: bigint) => (size >= 1n << 30n ? 1 : size >= 1n << 21n ? 2 : 3);

  function translate(table: string, address: bigint, upTo: number): { output: bigint; size: bigint } | undefined {
    for (const step of scenario.steps.slice(0, upTo)) {
      if (step.kind !== 'pgtable.map' || step.table !== table) continue;
      const iova = parseU64(step.iova);
      const size = parseU64(step.size);
      if (address >= iova && address < iova + size) {
        // Entries are 4KB pages unless the whole range is one aligned 2MB block, as in this lesson.
        const entry = size === 0x20_0000n ? size : PAGE;
        return { output: parseU64(step.paddr) + (address - iova), size: entry };
      }
    }
    return undefined;
  }

  it('walks IOVA 0x1000_0123 to IPA 0x8000_0123 to PA 0x2_0000_0123 in 14 reads, by hand and by the mappings', () => {
    const walk = results[10];
    expect(walk).toMatchObject({ kind: 'walk', stage2: 'vm0', output: '0x200000123', levels: 3, reads: 14 });
    const ipa = translate('guest', 0x1000_0123n, 10);
    const pa = ipa && translate('vm0', ipa.output, 10);
    expect(pa?.output).toBe(0x2_0000_0123n);
    // Each of the 3 stage-1 tables is reached through stage 2 (start level 1) at its own page: 3 reads each.
    const guest = results[3];
    const s1Tables = [BigInt(guest && 'TTB0' in guest ? guest.TTB0 : '0x0'), 0x4000_9000n, 0x4000_a000n];
    const s2Start = 1;
    const tableReads = s1Tables.map((t) => {
      const m = translate('vm0', t, 10);
      expect(m?.output, `stage 2 maps the guest table page ${t.toString(16)} 1:1`).toBe(t);
      return leafLevel(m?.size ?? 0n) - s2Start + 1;
    });
    const finalReads = leafLevel(pa?.size ?? 0n) - s2Start + 1;
    expect(tableReads.reduce((a, b) => a + b + 1, 0) + finalReads).toBe(14);
    expect(scenario.steps[10]?.note).toContain(grouped16(0x2_0000_0123n));
  });

  it('makes the same nested walk for the device, fetching the CD through stage 2', () => {
    const r = dmaAt(results, 11);
    expect(r).toMatchObject({ result: 'translated', output: '0x200000123', config: 'nested', tlb: 'miss', walkReads: 14 });
    const cd = r.trace?.cd as { ipa?: string; address?: string; s2?: { steps: unknown[] } } | undefined;
    // S1ContextPtr = IPA 0x8010_0000, inside the 2MB block at IPA 0x8000_0000 -> PA 0x2_0000_0000.
    expect(cd).toMatchObject({ ipa: '0x80100000', address: '0x200100000' });
    expect(cd?.s2?.steps).toHaveLength(2);
    expect(results[8]).toMatchObject({ kind: 'smmu.writeCd', ipa: '0x80100000', address: '0x200100000' });
  });

  it('faults at stage 2 on an IPA the VM does not own, and records it with S2 = 1, CLASS = IN', () => {
    const r = dmaAt(results, 12);
    const ipa = translate('guest', 0x1000_1040n, 12);
    expect(ipa?.output).toBe(0x9000_0040n);
    expect(translate('vm0', ipa?.output ?? 0n, 12)).toBeUndefined();
    expect(r).toMatchObject({ result: 'terminated', recorded: 0 });
    expect(r.event).toMatchObject({ name: 'F_TRANSLATION', StreamID: 8, RnW: 0, PnU: 1, S2: 1, CLASS: 2, InputAddr: '0x10001040', IPA: '0x90000000' });
    expect(r.event?.reason).toContain('level 2 of stage 2');
  });
});
