/**
 * Opening a scenario runs it to its end once (the survey that places the
 * timeline's event marks) before showing the start step. A step the user
 * takes while the survey runs wins over the start step, and the marks still
 * arrive: they belong to the scenario, not to where the user is.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AppController } from '../../../src/app/controller.ts';
import { builtinScenarios } from '../../../src/scenario/index.ts';
import { stepMarks } from '../../../src/store/marks.ts';
import { resetAppStore, useAppStore } from '../../../src/store/appStore.ts';
import { InProcessHost } from '../../../src/worker/in-process-host.ts';
import type { EngineHost, StepState } from '../../../src/worker/protocol.ts';

const ID = 'smmu-stage1-dma';

/** The real engine, with the first run to the last step held until `release()`. */
function gatedHost(stepCount: () => number) {
  const inner = new InProcessHost();
  let release!: () => void;
  const gate = new Promise<void>((done) => (release = done));
  let held = false;
  const host: EngineHost = {
    mode: 'in-process',
    load: (s) => inner.load(s),
    goTo: async (step, view): Promise<StepState> => {
      if (!held && step === stepCount()) {
        held = true;
        await gate;
      }
      return inner.goTo(step, view);
    },
    view: (v) => inner.view(v),
    dispose: () => inner.dispose(),
  };
  return { host, release };
}

beforeEach(() => resetAppStore());

describe('a step taken while a scenario opens', () => {
  it('is shown instead of the start step, and the event marks still come', async () => {
    const steps = builtinScenarios.find((b) => b.id === ID)!.scenario.steps.length;
    const { host, release } = gatedHost(() => steps);
    const c = new AppController({ host, scenarios: builtinScenarios });
    const opening = c.open(ID, 0);
    await expect.poll(() => useAppStore.getState().status).toBe('ready');
    const stepping = c.stepBy(1);
    release();
    await Promise.all([opening, stepping]);
    const state = useAppStore.getState();
    expect(state.cursor).toBe(1);
    // The same marks a survey of a fresh engine gives.
    const fresh = new InProcessHost();
    await fresh.load(builtinScenarios.find((b) => b.id === ID)!.scenario);
    const expected = stepMarks((await fresh.goTo(steps)).log);
    expect(expected.length).toBeGreaterThan(0);
    expect(state.marks).toEqual(expected);
  });
});
