/**
 * Read-ahead: when idle, the session answers the step after the one shown
 * (in the view last asked for). What it reads ahead must be exactly what a
 * fresh engine says there; the step shown, and any view of it asked for
 * afterwards, must not change; and a long DMA burst is never read ahead.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import type { HostResponse } from '../../../src/worker/protocol.ts';
import { BURST_SLICE, EngineSession } from '../../../src/worker/session.ts';
import type { SmmuViewRequest } from '../../../src/worker/smmu-view-types.ts';
import { createEndpoint } from '../../../src/worker/endpoint.ts';
import type { FromWorker } from '../../../src/worker/protocol.ts';

const ID = 'smmu-nested';
const withoutId = (r: HostResponse) => ({ ...r, id: 0 });

function fresh(id: string, step: number, view?: SmmuViewRequest): HostResponse {
  const session = new EngineSession();
  session.load(1, builtinScenario(id));
  return session.goTo(2, step, view);
}

describe('the session reads the next step ahead', () => {
  it('answers the next step as a fresh engine does, and leaves the step shown as it was', () => {
    const count = builtinScenario(ID)!.steps.length;
    const narrow: SmmuViewRequest = { streams: { first: 6, count: 4 }, stream: 8 };
    const session = new EngineSession();
    session.load(1, builtinScenario(ID));
    session.goTo(2, count); // the page's survey: the engine ends at the last step
    let id = 3;
    for (let step = 0; step < count; step++) {
      session.goTo(id++, step, narrow);
      expect(session.readAhead()).toBe(true);
      // Already answered: a second read-ahead has nothing to do.
      expect(session.readAhead()).toBe(false);
      // The step shown is still `step`: a view asked for now is taken there.
      const view = session.view(id++, narrow);
      const here = fresh(ID, step, narrow);
      if (view.kind !== 'view' || here.kind !== 'state') throw new Error('expected a view and a state');
      expect(view.step).toBe(step);
      expect(view.smmu).toEqual(here.smmu);
    }
    // Every step read ahead, then stepped to, is what a fresh engine gives.
    for (let step = count; step >= 0; step--) expect(withoutId(session.goTo(id++, step, narrow))).toEqual(withoutId(fresh(ID, step, narrow)));
    // Nothing after the last step.
    expect(session.readAhead()).toBe(false);
  });

  it('does not read ahead a DMA burst longer than a slice', () => {
    const scenario = builtinScenario('smmu-million-dmas')!;
    const at = scenario.steps.findIndex((s) => s.kind === 'smmu.dmaBurst' && s.count > BURST_SLICE);
    expect(at).toBeGreaterThan(0);
    const session = new EngineSession();
    session.load(1, scenario);
    session.goTo(2, at); // the burst is step at + 1
    expect(session.readAhead()).toBe(false);
    // The step before it is read ahead as any other.
    const before = new EngineSession();
    before.load(1, scenario);
    before.goTo(2, at - 1);
    expect(before.readAhead()).toBe(true);
  });

  it('is what the worker endpoint does after each step, once the answer is posted', () => {
    const posted: FromWorker[] = [];
    const idle: (() => void)[] = [];
    const handle = createEndpoint((m) => posted.push(m), () => 0, (work) => idle.push(work));
    handle({ kind: 'load', id: 1, scenario: builtinScenario(ID) });
    expect(idle).toHaveLength(0);
    handle({ kind: 'goTo', id: 2, step: 3 });
    expect(posted.map((m) => m.kind)).toEqual(['loaded', 'state']);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    handle({ kind: 'goTo', id: 3, step: 4 });
    const answer = posted.at(-1) as HostResponse;
    expect(withoutId(answer)).toEqual(withoutId(fresh(ID, 4)));
  });
});
