/** The runner: each step's engine events summed up as one JSON-friendly result. */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, toJsonLine, type Scenario, type StepResult } from '../../../src/scenario/index.ts';

function run(steps: unknown[]): StepResult[] {
  const r = parseScenario({ format: 'iommu-visualizer-scenario', version: 1, title: 't', steps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return [...runScenario(r.scenario as Scenario)];
}

const CREATE = { kind: 'pgtable.create', name: 'dev0', TG0: 0, T0SZ: 16 };

describe('runScenario', () => {
  it('reports what a map wrote, grouped by level, and what an unmap cleared', () => {
    // 2MB + 4KB at a 2MB-aligned IOVA and PA: one level-2 block, then one level-3 page.
    const [, map, unmap] = run([
      CREATE,
      { kind: 'pgtable.map', table: 'dev0', iova: '0x20_0000', paddr: '0x8_8000_0000', size: '0x20_1000', prot: 'rw' },
      { kind: 'pgtable.unmap', table: 'dev0', iova: '0x40_0000', size: '0x1000' },
    ]);
    expect(map).toMatchObject({
      step: 1,
      kind: 'pgtable.map',
      iova: '0x200000',
      paddr: '0x880000000',
      size: '0x201000',
      entries: [
        { level: 2, size: '0x200000', count: 1 },
        { level: 3, size: '0x1000', count: 1 },
      ],
    });
    expect(map && 'tablesAllocated' in map && map.tablesAllocated).toBe(3);
    expect(unmap).toMatchObject({ step: 2, kind: 'pgtable.unmap', iova: '0x400000', unmapped: '0x1000', entries: [{ level: 3, size: '0x1000', count: 1 }] });
  });

  it('turns a command the engine refuses into an error line and goes on', () => {
    const results = run([
      CREATE,
      { kind: 'pgtable.map', table: 'dev0', iova: '0x1800', paddr: '0x8_8000_0000', size: '0x1000', prot: 'rw' },
      { kind: 'pgtable.map', table: 'dev0', iova: '0x1000', paddr: '0x8_8000_0000', size: '0x1000', prot: 'r' },
      { kind: 'walk', table: 'dev0', address: '0x1004', access: 'read', privileged: false },
    ]);
    expect(results[1]).toMatchObject({ step: 1, kind: 'pgtable.map', field: 'iova' });
    expect(results[1] && 'error' in results[1] && results[1].error).toMatch(/aligned/);
    expect(results[3]).toEqual({ step: 3, kind: 'walk', table: 'dev0', input: '0x1004', access: 'read', privileged: false, output: '0x880000004', mappingSize: '0x1000', levels: 4 });
  });

  it('gives a walk that hits an invalid level-0 entry a translation fault at level 0 after one read', () => {
    const [, walk] = run([CREATE, { kind: 'walk', table: 'dev0', address: '0x1000', access: 'write' }]);
    expect(walk).toMatchObject({ kind: 'walk', fault: { type: 'translation', level: 0 }, levels: 1 });
    expect(walk && 'output' in walk).toBe(false);
  });

  it('writes memory and reports the old value', () => {
    const [first, second] = run([
      { kind: 'memory.write', address: '0x8_8000_0000', value: '0x1122_3344_5566_7788' },
      { kind: 'memory.write', address: '0x8_8000_0000', value: '0xff', size: 1 },
    ]);
    expect(first).toEqual({ step: 0, kind: 'memory.write', address: '0x880000000', size: 8, value: '0x1122334455667788' });
    expect(second).toEqual({ step: 1, kind: 'memory.write', address: '0x880000000', size: 1, value: '0xff', old: '0x88' });
  });

  it('prints results as single JSON lines with bigints in hex', () => {
    expect(toJsonLine({ a: 0x8_8000_0000n, b: [1n, undefined], c: undefined })).toBe('{"a":"0x880000000","b":["0x1",null]}');
  });
});
