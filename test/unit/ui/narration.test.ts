import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/events.ts';
import { narrateEvent, narrateStep, walkReads } from '../../../src/ui/narration/narrate.ts';
import { neighbourMark, stepMarks } from '../../../src/store/marks.ts';
import { runTo, scenarioOf } from './smmuRun.ts';

/** Every event of a built-in scenario, run to its end by the engine session the page uses. */
function fullLog(id: string): readonly (readonly EngineEvent[])[] {
  return runTo(id, scenarioOf(id).steps.length).log;
}

function eventsOf<K extends EngineEvent['kind']>(log: readonly (readonly EngineEvent[])[], kind: K): Extract<EngineEvent, { kind: K }>[] {
  return log.flat().filter((e): e is Extract<EngineEvent, { kind: K }> => e.kind === kind);
}

const hex = (v: bigint | number) => `0x${v.toString(16)}`;

describe('narration from real engine events', () => {
  it('names the STE a DMA fetched, where from and its Config', () => {
    const dmas = eventsOf(fullLog('smmu-stage1-dma'), 'smmu.dma');
    const fetched = dmas.find((d) => d.outcome.trace.ste && !d.outcome.trace.ste.cached && d.outcome.trace.ste.address !== undefined);
    expect(fetched).toBeDefined();
    if (!fetched) return;
    const ste = fetched.outcome.trace.ste;
    const lines = narrateEvent(fetched);
    expect(lines).toContain(`STE ${hex(fetched.outcome.tx.sid)} fetched from ${hex(ste?.address ?? 0n)}: Config = ${ste?.config ?? ''}`);
    const last = lines[lines.length - 1] ?? '';
    if (fetched.outcome.result === 'translated') expect(last).toBe(`Translated to PA ${hex(fetched.outcome.output ?? 0n)}`);
    else expect(last).toMatch(/^(Terminated|Bypassed)/);
  });

  it('says a terminated DMA\'s event by its spec name', () => {
    const dma = eventsOf(fullLog('smmu-stale-iotlb'), 'smmu.dma').concat(eventsOf(fullLog('smmu-stage1-dma'), 'smmu.dma')).find((d) => d.outcome.event);
    expect(dma).toBeDefined();
    if (!dma?.outcome.event) return;
    expect(narrateEvent(dma).join('\n')).toContain(dma.outcome.event.name);
  });

  it('writes a claim of DMA ownership as the kernel call, its return and where each device went', () => {
    const log = fullLog('linux-claim-dma-owner');
    const claim = eventsOf(log, 'linux.called').find((e) => e.call.call === 'iommu_group_claim_dma_owner');
    expect(claim).toBeDefined();
    if (!claim) return;
    const line = narrateEvent(claim)[0] ?? '';
    expect(line.startsWith('iommu_group_claim_dma_owner(')).toBe(true);
    expect(line).toContain(` = ${claim.returned}`);
    const group = claim.groups.find((g) => g.id === claim.checkpoints[0]?.group);
    if (group) expect(line).toContain(`${group.devices.join(', ')} -> ${group.domain ?? 'NULL'}`);
  });

  it('counts a nested walk\'s reads, stage-2 sub-walks included', () => {
    const log = fullLog('smmu-nested');
    const walk = eventsOf(log, 'smmu.dma').map((d) => d.outcome.trace.walk).find((w) => w?.steps.some((s) => s.s2));
    expect(walk).toBeDefined();
    if (!walk) return;
    const s2 = walk.steps.reduce((n, s) => n + (s.s2?.steps.length ?? 0), 0) + (walk.stage2?.steps.length ?? 0);
    expect(walkReads(walk)).toBe(walk.steps.length + s2);
    expect(walkReads(walk)).toBeGreaterThan(walk.steps.length);
  });

  it('describes every event of every step of a whole Linux scenario with at least one line', () => {
    const log = fullLog('linux-nested-iommufd');
    for (const events of log) {
      for (const e of events) expect(narrateEvent(e).length, e.kind).toBeGreaterThan(0);
      expect(narrateStep(events).every((line) => line.length > 0 && !line.includes('undefined'))).toBe(true);
    }
  });

  it('narrates a refused command with its message', () => {
    const e: EngineEvent = { kind: 'command.rejected', command: 'walk', message: 'no table named "x"', field: 'table' };
    expect(narrateEvent(e)).toEqual(['Refused: no table named "x" (table)']);
  });
});

describe('timeline marks', () => {
  it('marks the steps whose DMA raised an SMMU event, and only those with something to jump to', () => {
    const log = fullLog('smmu-stage1-dma');
    const marks = stepMarks(log);
    for (const m of marks) {
      const events = log[m.step - 1] ?? [];
      expect(events.some((e) => (e.kind === 'smmu.dma' && e.outcome.event) || e.kind === 'command.rejected' || (e.kind === 'walk.completed' && e.result.fault))).toBe(true);
    }
    const raising = log.flatMap((events, i) => (events.some((e) => e.kind === 'smmu.dma' && e.outcome.event) ? [i + 1] : []));
    expect(raising.length).toBeGreaterThan(0);
    expect(marks.map((m) => m.step)).toEqual(expect.arrayContaining(raising));
  });

  it('finds the previous and next mark around the cursor', () => {
    const marks = [{ step: 2, reason: 'a' }, { step: 5, reason: 'b' }];
    expect(neighbourMark(marks, 0, 1)).toBe(2);
    expect(neighbourMark(marks, 2, 1)).toBe(5);
    expect(neighbourMark(marks, 5, 1)).toBeUndefined();
    expect(neighbourMark(marks, 5, -1)).toBe(2);
    expect(neighbourMark(marks, 2, -1)).toBeUndefined();
  });
});
