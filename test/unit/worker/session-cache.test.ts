/**
 * The session answers a step it has answered before from its cache, without
 * moving the engine; the answer and any later view must be exactly what a
 * fresh engine says at that step.
 */
import { describe, expect, it } from 'vitest';
import { builtinScenario } from '../../../src/scenario/index.ts';
import type { HostResponse } from '../../../src/worker/protocol.ts';
import { EngineSession } from '../../../src/worker/session.ts';
import type { SmmuViewRequest } from '../../../src/worker/smmu-view-types.ts';

const ID = 'smmu-nested';

function fresh(step: number, view?: SmmuViewRequest): HostResponse {
  const session = new EngineSession();
  session.load(1, builtinScenario(ID));
  return session.goTo(2, step, view);
}

const withoutId = (r: HostResponse) => ({ ...r, id: 0 });

describe('the session answer cache', () => {
  it('answers steps visited before exactly as a fresh engine does, in any order', () => {
    const session = new EngineSession();
    session.load(1, builtinScenario(ID));
    const count = builtinScenario(ID)!.steps.length;
    // Forward, back, and jumps over steps already answered and not.
    const order = [count, 3, 4, 3, 11, 12, 11, 0, 12, 5, 13, 6, 5];
    let id = 10;
    for (const step of order) expect(withoutId(session.goTo(id++, step))).toEqual(withoutId(fresh(step)));
  });

  it('keeps answers per view, and a view after a cached step is taken at that step', () => {
    const session = new EngineSession();
    session.load(1, builtinScenario(ID));
    const narrow: SmmuViewRequest = { streams: { first: 6, count: 4 }, stream: 8 };
    session.goTo(2, 6);
    session.goTo(3, 12);
    // Answered from the cache: the engine stays at 12 until something needs step 6.
    expect(withoutId(session.goTo(4, 6))).toEqual(withoutId(fresh(6)));
    const view = session.view(5, narrow);
    const reference = fresh(6, narrow);
    if (view.kind !== 'view' || reference.kind !== 'state') throw new Error('expected a view and a state');
    expect(view.step).toBe(6);
    expect(view.smmu).toEqual(reference.smmu);
    expect(withoutId(session.goTo(6, 6, narrow))).toEqual(withoutId(reference));
    expect(withoutId(session.goTo(7, 13))).toEqual(withoutId(fresh(13)));
  });
});
