import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.ts';
import type { WalkResult, WalkStep } from '../../../src/engine/hw/pgtable/types.ts';
import { countReads } from '../../../src/ui/walk/nested.ts';
import { nestedGrid } from '../../../src/ui/walk/nestedGrid.ts';
import { runTo, scenarioOf } from './smmuRun.ts';

function nestedDmas(id: string) {
  const log = runTo(id, scenarioOf(id).steps.length).log;
  return log.flat().flatMap((e: EngineEvent) => (e.kind === 'smmu.dma' || e.kind === 'linux.dma' ? [e.outcome] : []))
    .filter((o) => o.trace.walk?.steps.some((s) => s.s2));
}

describe('nested walk grid', () => {
  for (const id of ['smmu-nested', 'linux-nested-iommufd']) {
    it(`numbers every read of ${id}'s nested DMAs once, in order, with the trace's count`, () => {
      const dmas = nestedDmas(id);
      expect(dmas.length).toBeGreaterThan(0);
      for (const o of dmas) {
        const walk = o.trace.walk!;
        const cd = o.trace.cd?.s2 && o.trace.cd.ipa !== undefined ? { ipa: o.trace.cd.ipa, walk: o.trace.cd.s2 } : undefined;
        const grid = nestedGrid(walk, cd);
        const reads = countReads(walk);
        expect(grid.total).toBe(reads.total + (cd?.walk.steps.length ?? 0));
        expect(grid.stage1).toBe(reads.stage1);
        const orders = grid.rows.flatMap((r) => r.cells.map((c) => c.order));
        expect(orders).toEqual(Array.from({ length: grid.total }, (_, i) => i + 1));
        // One row per stage-1 level (plus the CD and the output IPA), each read at the PA its stage-2 walk gave.
        expect(grid.rows.filter((r) => r.key.startsWith('L')).map((r) => r.key)).toEqual(walk.steps.map((s) => `L${s.level}`));
        walk.steps.forEach((step) => {
          const row = grid.rows.find((r) => r.key === `L${step.level}`)!;
          expect(row.cells.filter((c) => c.kind === 's2').map((c) => c.address)).toEqual((step.s2?.steps ?? []).map((s) => s.descriptorAddress));
          const s1 = row.cells.find((c) => c.kind === 's1');
          if (s1 && step.s2?.output !== undefined) expect(s1.address).toBe(step.s2.output);
        });
        // Cells never overlap: each (row, column) holds one read.
        const places = grid.rows.flatMap((r) => r.cells.map((c) => `${c.x},${c.y}`));
        expect(new Set(places).size).toBe(places.length);
        for (const r of grid.rows) for (const c of r.cells) expect(c.x + 1).toBeLessThan(grid.width);
      }
    });
  }

  it('lays a 4-level by 4-level walk out as 24 reads: 4 rows of 4 + 1, then 4 for the output IPA', () => {
    // The built-ins walk 3-level stage 2, so stretch a real nested walk: every stage-2 walk gets one more level.
    const real = nestedDmas('linux-nested-iommufd')[0]!.trace.walk!;
    expect(real.steps).toHaveLength(4);
    const deepen = <T extends { steps: readonly WalkStep[] }>(w: T): T => {
      const last = w.steps[w.steps.length - 1]!;
      return { ...w, steps: [...w.steps, { ...last, level: last.level + 1, descriptorAddress: last.descriptorAddress + 8n }] };
    };
    const walk: WalkResult = { ...real, steps: real.steps.map((s) => ({ ...s, s2: deepen(s.s2!) })), stage2: deepen(real.stage2!) };
    const grid = nestedGrid(walk);
    expect(grid.total).toBe(24);
    expect(grid.columns.filter((c) => c.kind === 's2')).toHaveLength(4);
    expect(grid.columns[grid.columns.length - 1]).toEqual({ kind: 's1' });
    expect(grid.rows.map((r) => r.cells.length)).toEqual([5, 5, 5, 5, 4]);
  });
});
