/**
 * A million-DMA step in the worker: the session runs it slice by slice and
 * reports how many DMAs are made (the page's progress bar, and the proof of
 * life the supervisor's heartbeat needs), and the events are exactly those
 * of running the step in one go.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import { BURST_SLICE, EngineSession } from '../../../src/worker/session.ts';

const ID = 'smmu-million-dmas';

describe('long DMA bursts in the session', () => {
  it('report DMA progress within the step and give the same events as one apply', () => {
    const scenario = builtinScenario(ID);
    if (!scenario) throw new Error(`no built-in ${ID}`);
    const bursts = scenario.steps.filter((s) => s.kind === 'smmu.dmaBurst');
    expect(bursts.length).toBeGreaterThan(0);
    const steps = scenario.steps.length;

    const reports: { done: number; dmas?: { done: number; total: number } }[] = [];
    const sliced = new EngineSession();
    sliced.load(1, scenario);
    const withProgress = sliced.goTo(2, steps, undefined, (done, _total, dmas) => reports.push({ done, ...(dmas ? { dmas } : {}) }));

    const whole = new EngineSession();
    whole.load(1, scenario);
    const inOneGo = whole.goTo(2, steps);

    expect(withProgress.kind).toBe('state');
    expect(withProgress).toEqual(inOneGo);
    const inside = reports.filter((r) => r.dmas);
    // Every burst longer than a slice reports its DMAs climbing, in slices, never past its count.
    const long = bursts.filter((b) => b.kind === 'smmu.dmaBurst' && b.count > BURST_SLICE).length;
    expect(long).toBeGreaterThan(0);
    expect(new Set(inside.map((r) => r.done)).size).toBe(long);
    for (const r of inside) {
      expect(r.dmas!.done % BURST_SLICE).toBe(0);
      expect(r.dmas!.done).toBeLessThan(r.dmas!.total);
    }
  });
});
