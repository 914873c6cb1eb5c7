/**
 * Every built-in lesson validates and, run on the real engine, gives the
 * results worked out by hand. The expected values are written out below and
 * cross-checked against a model derived from the scenario's own map steps,
 * so neither a wrong engine nor a wrong hand calculation slips through.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtinScenarios,
  parseScenarioText,
  runScenario,
  type Scenario,
  type StepResult,
} from '../../../src/scenario/index.ts';
import { parseU64 } from '../../../src/engine/index.ts';
import { loadBuiltin } from '../../../src/scenario/builtin.ts';

type Expected = { output: bigint; levels: number } | { fault: 'translation' | 'permission'; level: number; levels: number };

/** Worked by hand from each file's maps: step index -> result. */
const HAND: Record<string, Record<number, Expected>> = {
  'walk-4k-page': {
    3: { output: 0x0000_0008_8ab0_0123n, levels: 4 },
    4: { output: 0x0000_0008_8ab0_1ff8n, levels: 4 },
    5: { output: 0x0000_0008_8000_7010n, levels: 4 },
    6: { fault: 'translation', level: 3, levels: 4 },
  },
  'walk-16k-page': {
    2: { output: 0x0000_0008_8004_1234n, levels: 4 },
    3: { output: 0x0000_0008_8004_6000n, levels: 4 },
    4: { fault: 'translation', level: 3, levels: 4 },
  },
  'walk-64k-page': {
    2: { output: 0x0000_0008_8010_1234n, levels: 3 },
    3: { output: 0x0000_0008_8011_fffcn, levels: 3 },
    4: { fault: 'translation', level: 3, levels: 3 },
  },
  'block-2m': {
    3: { output: 0x0000_0008_8021_2345n, levels: 2 },
    4: { output: 0x0000_0008_803f_fff0n, levels: 2 },
    5: { output: 0x0000_0008_9000_0abcn, levels: 3 },
    6: { fault: 'translation', level: 3, levels: 3 },
  },
  'permission-fault': {
    3: { output: 0x0000_0008_8123_5010n, levels: 3 },
    4: { output: 0x0000_0008_8123_4800n, levels: 3 },
    5: { fault: 'permission', level: 3, levels: 3 },
  },
};

/** What the maps before step `at` say about a walk: the model a reader would use with pencil and paper. */
function fromMappings(s: Scenario, at: number): { output: bigint } | { fault: 'translation' | 'permission' } {
  const walk = s.steps[at];
  if (walk?.kind !== 'walk') throw new Error(`steps[${at}] is not a walk`);
  const address = parseU64(walk.address);
  for (const step of s.steps.slice(0, at)) {
    if (step.kind !== 'pgtable.map' || step.table !== walk.table || typeof step.prot !== 'string') continue;
    const iova = parseU64(step.iova);
    if (address < iova || address >= iova + parseU64(step.size)) continue;
    const needed = walk.access === 'read' ? 'r' : walk.access === 'write' ? 'w' : 'x';
    // A write-only request still gets a readable page: a stage-1 descriptor cannot say write-only.
    const allowed = step.prot.includes(needed) || (needed === 'r' && step.prot.includes('w'));
    return allowed ? { output: parseU64(step.paddr) + (address - iova) } : { fault: 'permission' };
  }
  return { fault: 'translation' };
}

/** Index of `address` at `level` for granule shift g and the 48-or-fewer-bit input, from the Arm ARM's arithmetic. */
function indexAt(address: bigint, level: number, granuleShift: number, inputSize: number): number {
  const stride = granuleShift - 3;
  const lsb = granuleShift + (3 - level) * stride;
  const width = Math.min(stride, inputSize - lsb);
  return Number((address >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n));
}

const GRANULE_SHIFT: Record<number, number> = { 0: 12, 1: 16, 2: 14 };

/** The page-table lessons: each creates one table, maps and walks. The SMMU lessons are checked in builtin-smmu.test.ts. */
const WALK_LESSONS = ['walk-4k-page', 'walk-16k-page', 'walk-64k-page', 'block-2m', 'permission-fault'];

describe('built-in scenarios', () => {
  it('are the walk lessons, then the SMMU lessons, then the Linux lessons, in picker order, and their files validate on their own', () => {
    expect(builtinScenarios.map((b) => b.id)).toEqual([
      ...WALK_LESSONS, 'smmu-stage1-dma', 'smmu-stale-iotlb', 'smmu-hitless-update', 'smmu-nested', 'smmu-million-dmas',
      'linux-claim-dma-owner', 'linux-replace-domain', 'linux-nested-iommufd', 'linux-sva-bind', 'linux-dma-api-fq', 'linux-msi-doorbell',
      'vtd-first-stage-dma', 'vtd-stale-iotlb', 'compare-smmu-vtd',
    ]);
    for (const { id } of builtinScenarios) {
      const text = readFileSync(new URL(`../../../src/scenario/builtin/${id}.json`, import.meta.url), 'utf8');
      const parsed = parseScenarioText(text);
      expect(parsed.ok ? [] : parsed.errors, id).toEqual([]);
    }
  });

  it('fail loudly, naming the file and the field, when one is broken', () => {
    const broken = { format: 'iommu-visualizer-scenario', version: 1, title: 'x', steps: [{ kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 8 }] };
    expect(() => loadBuiltin('broken', broken)).toThrow(/^built-in scenario "broken" \(src\/scenario\/builtin\/broken\.json\) is invalid: steps\[0\]\.T0SZ: must be a whole number from 16 to 39/);
  });

  for (const { id, scenario } of builtinScenarios.filter((b) => WALK_LESSONS.includes(b.id))) {
    describe(id, () => {
      const results: StepResult[] = [...runScenario(scenario, { trace: true })];
      const hand = HAND[id] ?? {};

      it('runs every step without an engine rejection', () => {
        expect(results).toHaveLength(scenario.steps.length);
        expect(results.filter((r) => 'error' in r)).toEqual([]);
      });

      it('ends with walks, and every walk is worked out by hand', () => {
        expect(scenario.steps.at(-1)?.kind).toBe('walk');
        const walks = scenario.steps.flatMap((s, i) => (s.kind === 'walk' ? [i] : []));
        expect(Object.keys(hand).map(Number)).toEqual(walks);
      });

      it('gives the hand-worked output address or fault for each walk, agreeing with the mappings', () => {
        for (const [at, expected] of Object.entries(hand)) {
          const step = Number(at);
          const r = results[step];
          if (r?.kind !== 'walk' || 'error' in r) throw new Error(`steps[${step}] did not produce a walk result`);
          const model = fromMappings(scenario, step);
          if ('output' in expected) {
            expect(model, `model of steps[${step}]`).toEqual({ output: expected.output });
            expect(r.fault, `steps[${step}]`).toBeUndefined();
            expect(r.output && BigInt(r.output), `steps[${step}]`).toBe(expected.output);
          } else {
            expect(model, `model of steps[${step}]`).toEqual({ fault: expected.fault });
            expect(r.output).toBeUndefined();
            expect(r.fault?.type, `steps[${step}]`).toBe(expected.fault);
            expect(r.fault?.level, `steps[${step}]`).toBe(expected.level);
          }
          expect(r.levels, `levels read by steps[${step}]`).toBe(expected.levels);
        }
      });

      it('indexes each level with the address bits the Arm ARM gives for the granule', () => {
        const create = scenario.steps[0];
        if (create?.kind !== 'pgtable.create' || create.stage === 2) throw new Error('a walk lesson starts by creating its stage-1 table');
        const g = GRANULE_SHIFT[create.TG0] as number;
        for (const r of results) {
          if (r.kind !== 'walk' || 'error' in r) continue;
          const address = BigInt(r.input);
          for (const level of r.trace ?? []) {
            expect(level.index, `${r.input} at level ${level.level}`).toBe(indexAt(address, level.level, g, 64 - create.T0SZ));
          }
        }
      });

      it('narrates each walk with the result it really gets', () => {
        for (const [at, expected] of Object.entries(hand)) {
          const note = scenario.steps[Number(at)]?.note ?? '';
          if ('output' in expected) {
            const grouped = expected.output.toString(16).padStart(16, '0').replace(/(.{4})(?!$)/g, '$1_');
            expect(note, `steps[${at}].note`).toContain(`0x${grouped}`);
          } else {
            expect(note, `steps[${at}].note`).toContain(`${expected.fault} fault at level ${expected.level}`);
          }
        }
      });
    });
  }
});
