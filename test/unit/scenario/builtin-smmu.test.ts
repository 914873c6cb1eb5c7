/**
 * The stage-1 SMMU lessons, run on the real engine, against results worked
 * out by hand (smmu-nested is in builtin-smmu-nested.test.ts). Each hand value is also checked against a small model built from the
 * lesson's own steps (its mappings, its STEs and CDs, what the IOTLB should
 * hold after each DMA and TLBI), so neither a wrong engine nor a wrong hand
 * calculation nor a lesson edited out from under its notes slips through.
 */
import { describe, expect, it } from 'vitest';
import { parseU64 } from '../../../src/engine/index.ts';
import type { Scenario } from '../../../src/scenario/index.ts';
import type { DmaLine } from '../../../src/scenario/run-smmu.ts';
import { dmaAt, grouped16, lesson, PAGE, updateAt } from './smmu-lessons.ts';

/**
 * What a reader works out with pencil and paper: the IOVA -> PA mappings of
 * each table, step by step, and an IOTLB that keeps a page's translation
 * from the DMA that walked it until a TLBI for its ASID and page removes it.
 */
function stage1Model(s: Scenario, asidOf: (sid: number) => number) {
  const maps = new Map<string, { iova: bigint; size: bigint; paddr: bigint }[]>();
  const tlb = new Map<string, bigint>();
  const out = new Map<number, { output?: bigint; tlb: 'hit' | 'miss' }>();
  s.steps.forEach((step, index) => {
    if (step.kind === 'pgtable.map') {
      const list = maps.get(step.table) ?? [];
      list.push({ iova: parseU64(step.iova), size: parseU64(step.size), paddr: parseU64(step.paddr) });
      maps.set(step.table, list);
    } else if (step.kind === 'pgtable.unmap') {
      const from = parseU64(step.iova);
      const list = maps.get(step.table) ?? [];
      maps.set(step.table, list.filter((m) => m.iova + m.size <= from || m.iova >= from + parseU64(step.size)));
    } else if (step.kind === 'smmu.commands') {
      for (const c of step.commands as { op: string; ASID?: number; Address?: string }[]) {
        if (c.op === 'CMD_TLBI_NH_VA') tlb.delete(`${c.ASID ?? 0}:${parseU64(c.Address ?? '0x0')}`);
      }
    } else if (step.kind === 'smmu.dma') {
      const address = parseU64(step.address);
      const key = `${asidOf(step.sid)}:${address & ~(PAGE - 1n)}`;
      const cached = tlb.get(key);
      if (cached !== undefined) {
        out.set(index, { output: cached + (address & (PAGE - 1n)), tlb: 'hit' });
        return;
      }
      const m = [...maps.values()].flat().find((x) => address >= x.iova && address < x.iova + x.size);
      if (m) tlb.set(key, m.paddr + ((address - m.iova) & ~(PAGE - 1n)));
      out.set(index, { ...(m ? { output: m.paddr + (address - m.iova) } : {}), tlb: 'miss' });
    }
  });
  return out;
}

describe('smmu-stage1-dma', () => {
  const { scenario, results } = lesson('smmu-stage1-dma');

  it('runs without an engine rejection', () => {
    expect(results.filter((r) => 'error' in r)).toEqual([]);
  });

  it('puts the STE at STRTAB_BASE + sid x 64 and the CD where S1ContextPtr says, with the words the fields give', () => {
    const probe = results[0];
    const create = results[1];
    if (probe?.kind !== 'smmu.probe' || 'error' in probe || create?.kind !== 'pgtable.create' || 'error' in create || !('TTB0' in create)) throw new Error('setup');
    const ste = results[3];
    const cd = results[4];
    if (ste?.kind !== 'smmu.writeSte' || 'error' in ste || cd?.kind !== 'smmu.writeCd' || 'error' in cd) throw new Error('setup');
    expect(BigInt(ste.address)).toBe(BigInt(probe.streamTable.address) + 3n * 64n);
    // V (bit 0) | Config 0b101 (bits [3:1]) | S1ContextPtr 0x9000_0000 in place: qword 0 = 0x9000_000b.
    // S1CIR = 1 (bits [3:2]), S1COR = 1 ([5:4]), S1CSH = 3 ([7:6]): qword 1 = 0xd4.
    expect(ste.words.slice(0, 2)).toEqual(['0x9000000b', '0xd4']);
    expect(cd.address).toBe('0x90000000');
    // The CD walks the table the lesson created: its TTB0 is where that table was allocated.
    expect(cd.words[1]).toBe(create.TTB0);
    // T0SZ 16 | IRGN0 1<<8 | ORGN0 1<<10 | SH0 3<<12 | EPD1 1<<30 | V 1<<31 | IPS 5<<32 | AA64 1<<41 | R 1<<45 | A 1<<46 | ASID 1<<48.
    expect(cd.words[0]).toBe('0x16205c0003510');
  });

  const HAND: Record<number, Partial<DmaLine>> = {
    6: { result: 'translated', output: '0x880000123', ste: 'fetched', cd: 'fetched', tlb: 'miss', walkReads: 4 },
    7: { result: 'translated', output: '0x880000800', ste: 'cached', cd: 'cached', tlb: 'hit' },
    8: { result: 'terminated', response: 'abort', tlb: 'miss', walkReads: 4 },
  };

  it('translates, hits the caches, and faults exactly as worked out by hand and by the mappings', () => {
    const model = stage1Model(scenario, () => 1);
    for (const [at, expected] of Object.entries(HAND)) {
      const step = Number(at);
      const r = dmaAt(results, step);
      expect(r, `steps[${step}]`).toMatchObject(expected);
      const m = model.get(step);
      expect(m?.output === undefined ? undefined : `0x${m.output.toString(16)}`, `model of steps[${step}]`).toBe(expected.output);
      expect(m?.tlb, `model TLB of steps[${step}]`).toBe(expected.tlb);
      if (expected.output) expect(scenario.steps[step]?.note).toContain(grouped16(BigInt(expected.output)));
    }
  });

  it('records F_TRANSLATION for the unmapped write at event queue index 0, with the fields the spec gives', () => {
    const r = dmaAt(results, 8);
    expect(r.event).toEqual({
      name: 'F_TRANSLATION',
      EventID: '0x10',
      StreamID: 3,
      SSV: 0,
      RnW: 0,
      InD: 0,
      PnU: 1,
      S2: 0,
      InputAddr: '0x10004000',
      reason: expect.stringContaining('level 3') as unknown as string,
    });
    expect(r.recorded).toBe(0);
    // The walk reached the level-3 table and read index (0x1000_4000 >> 12) & 511 = 4.
    const walk = r.trace?.walk as { steps: { level: number; index: number }[] } | undefined;
    expect(walk?.steps.at(-1)).toMatchObject({ level: 3, index: 4 });
    expect(scenario.steps[8]?.note).toContain('F_TRANSLATION');
  });
});

describe('smmu-stale-iotlb', () => {
  const { scenario, results } = lesson('smmu-stale-iotlb');
  const model = stage1Model(scenario, () => 1);

  it('runs without an engine rejection', () => {
    expect(results.filter((r) => 'error' in r)).toEqual([]);
  });

  // The first read walks and caches 0x8_8000_0000; after unmap + map to 0x8_9000_0000 the IOTLB still
  // answers with the old page; after CMD_TLBI_NH_VA + CMD_SYNC the walk finds the new one.
  const HAND: Record<number, { output: string; tlb: 'hit' | 'miss' }> = {
    6: { output: '0x880000010', tlb: 'miss' },
    9: { output: '0x880000010', tlb: 'hit' },
    11: { output: '0x890000010', tlb: 'miss' },
  };

  it('reads the old page until the TLBI, then the new one', () => {
    for (const [at, expected] of Object.entries(HAND)) {
      const step = Number(at);
      expect(dmaAt(results, step), `steps[${step}]`).toMatchObject({ result: 'translated', ...expected });
      const m = model.get(step);
      expect({ output: `0x${m?.output?.toString(16)}`, tlb: m?.tlb }, `model of steps[${step}]`).toEqual(expected);
      expect(scenario.steps[step]?.note).toContain(grouped16(BigInt(expected.output)));
    }
  });

  it('has the page table itself say the new page before the TLBI: the stale answer is the cache, not the table', () => {
    const remap = results[8];
    expect(remap).toMatchObject({ kind: 'pgtable.map', paddr: '0x890000000', tablesAllocated: 0 });
    const stale = dmaAt(results, 9);
    expect(stale.walkReads).toBeUndefined();
  });

  it('invalidates exactly one IOTLB entry with CMD_TLBI_NH_VA', () => {
    expect(results[10]).toMatchObject({
      kind: 'smmu.commands',
      issued: 2,
      consumed: [
        { op: 'CMD_TLBI_NH_VA', invalidated: 1 },
        { op: 'CMD_SYNC', invalidated: 0 },
      ],
    });
  });
});

describe('smmu-hitless-update', () => {
  const { scenario, results } = lesson('smmu-hitless-update');

  it('runs without an engine rejection', () => {
    expect(results.filter((r) => 'error' in r)).toEqual([]);
  });

  it('abort -> bypass: qword 1 (SHCFG, unused by abort) first, then qword 0 alone; 2 syncs, hitless', () => {
    const u = updateAt(results, 1);
    expect(u).toMatchObject({ sid: 1, hitless: true, strategy: 'critical-qword', criticalQwords: [0], writes: 2, syncs: 2 });
    expect(u.sequence).toEqual(['write qword 1', 'sync', 'write qword 0', 'sync']);
    // V | Config 0b100 = 0x9; SHCFG = 1 at bits [45:44].
    expect(u.after.slice(0, 2)).toEqual(['0x9', `0x${(1n << 44n).toString(16)}`]);
  });

  it('bypass -> stage 1: qword 1 set, qword 0 switched, qword 1 cleaned; 3 syncs, hitless', () => {
    const u = updateAt(results, 7);
    expect(u).toMatchObject({ sid: 1, hitless: true, criticalQwords: [0], writes: 3, syncs: 3 });
    expect(u.sequence).toEqual(['write qword 1', 'sync', 'write qword 0', 'sync', 'write qword 1', 'sync']);
    expect(u.after.slice(0, 2)).toEqual(['0x9000000b', '0xd4']);
  });

  it('never lets the SMMU see an STE that is neither the old nor the new configuration', () => {
    // Replay each update's stores on the STE before it, by hand: abort (V = 1, Config = 0), then bypass.
    const befores: Record<number, bigint[]> = { 1: [0x1n, 0n], 7: [0x9n, 1n << 44n] };
    for (const [at, before] of Object.entries(befores)) {
      const u = updateAt(results, Number(at));
      const entry = [...before];
      const configs = new Set<bigint>();
      for (const s of u.trace ?? []) {
        if (s.kind !== 'write') continue;
        entry[s.qword] = BigInt(s.value);
        expect((entry[0] ?? 0n) & 1n, `V after writing qword ${s.qword} in steps[${at}]`).toBe(1n);
        configs.add(((entry[0] ?? 0n) >> 1n) & 7n);
      }
      const oldConfig = ((before[0] ?? 0n) >> 1n) & 7n;
      const newConfig = (BigInt(u.after[0] ?? '0x0') >> 1n) & 7n;
      expect([...configs].every((c) => c === oldConfig || c === newConfig)).toBe(true);
    }
  });

  it('bypasses before the switch and translates after it', () => {
    expect(dmaAt(results, 2)).toMatchObject({ result: 'bypassed', output: '0x880001000', config: 'bypass' });
    // The syncs of the second update dropped the cached bypass STE, so the stage-1 STE is fetched.
    expect(dmaAt(results, 8)).toMatchObject({ result: 'translated', output: '0x880000010', config: 'stage 1', ste: 'fetched', cd: 'fetched' });
    const map = scenario.steps[4];
    if (map?.kind !== 'pgtable.map') throw new Error('steps[4] maps the buffer');
    expect(parseU64(map.paddr) + 0x10n).toBe(0x8_8000_0010n);
  });

  it('writes the CD, whose words are worked out in the note, before the STE points at it', () => {
    const [ttb0, qword0] = [scenario.steps[5], scenario.steps[6]];
    if (ttb0?.kind !== 'memory.write' || qword0?.kind !== 'memory.write') throw new Error('steps[5] and [6] write the CD');
    const create = results[3];
    expect(create && 'TTB0' in create ? create.TTB0 : undefined).toBe(`0x${parseU64(ttb0.value).toString(16)}`);
    const bits = 16n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 30n) | (1n << 31n) | (5n << 32n) | (1n << 41n) | (1n << 45n) | (1n << 46n) | (1n << 48n);
    expect(parseU64(qword0.value)).toBe(bits);
  });
});
